/**
 * URLs as they may appear in errors and logs: no user info, no fragment, and only the values of query
 * parameters known to be harmless. Everything else keeps its name but loses its value, so a token or a
 * secret passed in a query string (some APIs accept `access_token=`) never reaches a message.
 */
const SAFE_QUERY_KEYS: ReadonlySet<string> = new Set([
  "integrationInstance",
  "limit",
  "offset",
  "orderBy",
  "expand",
  "forceDelete",
  "attributes",
  "attributeSets",
  "startIndex",
  "count",
]);

export const REDACTED = "[redacted]";

export function redactUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    // An unparsable URL may be anything, including a pasted secret: say nothing about its content.
    return "<invalid URL>";
  }
  url.username = "";
  url.password = "";
  url.hash = "";
  const kept = new URLSearchParams();
  for (const [key, value] of url.searchParams) {
    kept.append(key, SAFE_QUERY_KEYS.has(key) ? value : REDACTED);
  }
  const query = kept.toString();
  return `${url.origin}${url.pathname}${query ? `?${query.replaceAll(encodeURIComponent(REDACTED), REDACTED)}` : ""}`;
}

/**
 * Fragments this long or longer of a known secret are redacted wherever they appear: a server that echoes part
 * of a secret (an error message quoting the first half of a header) must not print that part either.
 */
export const MIN_SECRET_FRAGMENT = 8;
/** Shorter secrets are only redacted whole, and not at all below this length (they would redact ordinary words). */
export const MIN_SECRET_LENGTH = 4;

/**
 * Removes known secret values from text; holds them only in a closure, never in an enumerable field. Its methods
 * use no `this`, so they can be passed on as functions.
 */
export interface SecretRedactor {
  /** Adds a secret (e.g. an access token once it is known); its encoded forms are added too. */
  add(this: void, secret: string): void;
  /** Adds one value exactly as given (no encoded forms), e.g. an already encoded credential. */
  addValue(this: void, value: string): void;
  /** `text` with every known secret, its encoded forms and their fragments replaced by `[redacted]`. */
  redact(this: void, text: string): string;
}

/** The forms in which a secret can come back: as is, URL- and form-encoded, base64 and base64url. */
function formsOf(secret: string): string[] {
  const utf8 = Buffer.from(secret, "utf8");
  return [
    secret,
    encodeURIComponent(secret),
    new URLSearchParams([["", secret]]).toString().slice(1),
    utf8.toString("base64"),
    utf8.toString("base64").replace(/=+$/, ""),
    utf8.toString("base64url"),
  ];
}

/**
 * Redaction by value, not by shape: a check knows the client secret, the Basic credential and the token it
 * holds, so any of them in a message (echoed by a server in an error code, a claim, a Location) is removed
 * whatever it looks like. A text is redacted on every run of `MIN_SECRET_FRAGMENT` or more characters that
 * occurs in one of the forms, so substrings go too; a secret shorter than that is redacted where it occurs whole.
 */
export function createSecretRedactor(secrets: readonly string[] = []): SecretRedactor {
  const fragments = new Set<string>();
  const wholes = new Set<string>();
  const addValue = (value: string): void => {
    if (value.length >= MIN_SECRET_FRAGMENT) {
      for (let i = 0; i + MIN_SECRET_FRAGMENT <= value.length; i += 1) {
        fragments.add(value.slice(i, i + MIN_SECRET_FRAGMENT));
      }
    } else if (value.length >= MIN_SECRET_LENGTH) {
      wholes.add(value);
    }
  };
  const add = (secret: string): void => {
    for (const form of formsOf(secret)) addValue(form);
  };
  for (const secret of secrets) add(secret);
  const redact = (raw: string): string => {
    // Whole short secrets first, longest first, so a short one inside a longer one leaves nothing behind.
    let text = raw;
    for (const whole of [...wholes].sort((a, b) => b.length - a.length))
      text = text.replaceAll(whole, REDACTED);
    if (fragments.size === 0 || text.length < MIN_SECRET_FRAGMENT) return text;
    const covered = new Uint8Array(text.length);
    for (let i = 0; i + MIN_SECRET_FRAGMENT <= text.length; i += 1) {
      if (fragments.has(text.slice(i, i + MIN_SECRET_FRAGMENT))) covered.fill(1, i, i + MIN_SECRET_FRAGMENT);
    }
    let out = "";
    let start = 0;
    while (start < text.length) {
      let end = start;
      const hidden = covered[start] === 1;
      while (end < text.length && (covered[end] === 1) === hidden) end += 1;
      out += hidden ? REDACTED : text.slice(start, end);
      start = end;
    }
    return out;
  };
  return { add, addValue, redact };
}
