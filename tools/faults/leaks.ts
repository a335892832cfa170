/**
 * The leak scan: every text the runs emitted (stdout, stderr, messages, errors, rendered outputs, the emulator's
 * request log, temporary files) searched for every secret they involved, by value and in the forms a secret
 * travels in (URL- and form-encoded, base64, base64url, JSON-escaped, `base64(id:secret)` of HTTP Basic), and for
 * any fragment of 16 characters of those forms; then, for the runs whose secrets this process never sees (the
 * demo's own emulator), by shape: a JWT, an identity-domain client secret, a PEM private key, base64 of a client
 * secret. It does not use the project's own redactor (`components/http/redact.ts`): the code under test does not judge itself.
 */

/** What a secret is, for the report (never its value). */
export type SecretKind = "client secret" | "admin secret" | "access token" | "private key";

/** Fragments of this length or more of a secret's forms count as a leak. */
export const FRAGMENT_CHARS = 16;

export interface Leak {
  readonly source: string;
  readonly kind: SecretKind | "shape";
  /** How it was found: the form (`base64`, `fragment of base64url`, …) or the shape's name; never the value. */
  readonly how: string;
}

interface Needle {
  readonly kind: SecretKind;
  readonly form: string;
  readonly value: string;
}

function formEncode(value: string): string {
  return new URLSearchParams([["", value]]).toString().slice(1);
}

/**
 * The base64 (or base64url) characters that `bytes` fix when they start at byte offset 0, 1 and 2 of an encoded
 * run: a secret inside a larger payload (`x:secret`, a JSON body) can start at any of the three.
 */
function alignedBase64(bytes: Buffer, encoding: "base64" | "base64url"): string[] {
  return [0, 1, 2].map((pad) => {
    const encoded = Buffer.concat([Buffer.alloc(pad, 0x41), bytes]).toString(encoding);
    // Characters fully determined by the bytes: skip those that mix in the padding byte or what follows them.
    return encoded.slice(Math.ceil((pad * 8) / 6), Math.floor(((pad + bytes.length) * 8) / 6));
  });
}

function formsOf(value: string): Array<[string, string]> {
  const bytes = Buffer.from(value, "utf8");
  return [
    ["plain", value],
    ["URL-encoded", encodeURIComponent(value)],
    ["form-encoded", formEncode(value)],
    ...alignedBase64(bytes, "base64").map((form): [string, string] => ["base64", form]),
    ...alignedBase64(bytes, "base64url").map((form): [string, string] => ["base64url", form]),
    ["JSON-escaped", JSON.stringify(value).slice(1, -1)],
  ];
}

/** The stable base64 characters of `prefix` at each of the three byte alignments it can start at. */
export function base64Shapes(prefix: string): string[] {
  return alignedBase64(Buffer.from(prefix, "utf8"), "base64");
}

const SHAPES: ReadonlyArray<readonly [string, RegExp]> = [
  ["a JWT", /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/],
  ["an identity-domain client secret", /idcscs-[0-9a-f]{8}-[0-9a-f]{4}/],
  ["a PEM private key", /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
  ...base64Shapes("idcscs-").map((shape): readonly [string, RegExp] => [
    "base64 of a client secret",
    new RegExp(shape.replace(/[+/]/g, (c) => `\\${c}`)),
  ]),
];

export class LeakScanner {
  private readonly needles: Needle[] = [];
  private readonly fragments = new Map<string, Needle>();
  private readonly known = new Set<string>();
  readonly leaks: Leak[] = [];
  private readonly texts: Array<[string, string]> = [];
  private readonly secretKinds = new Map<SecretKind, number>();

  /** A secret to look for, with every form it can take. */
  addSecret(kind: SecretKind, value: string): void {
    if (value.length < 8 || this.known.has(value)) return;
    this.known.add(value);
    this.secretKinds.set(kind, (this.secretKinds.get(kind) ?? 0) + 1);
    const forms =
      kind === "private key"
        ? // The base64 body of the PEM, line by line: its header is not secret, any line of the body is.
          value
            .split("\n")
            .filter((line) => line !== "" && !line.startsWith("-----"))
            .map((line): [string, string] => ["a line of the PEM body", line])
        : formsOf(value);
    for (const [form, text] of forms) this.addNeedle({ kind, form, value: text });
  }

  /** An HTTP Basic credential: `base64(id:secret)`, with and without form encoding (RFC 6749 §2.3.1). */
  addBasicCredential(clientId: string, clientSecret: string): void {
    for (const pair of [
      `${clientId}:${clientSecret}`,
      `${formEncode(clientId)}:${formEncode(clientSecret)}`,
    ]) {
      const bytes = Buffer.from(pair, "utf8");
      this.addNeedle({ kind: "client secret", form: "base64(id:secret)", value: bytes.toString("base64") });
      this.addNeedle({
        kind: "client secret",
        form: "base64url(id:secret)",
        value: bytes.toString("base64url"),
      });
    }
  }

  private addNeedle(needle: Needle): void {
    this.needles.push(needle);
    for (let i = 0; i + FRAGMENT_CHARS <= needle.value.length; i += 1) {
      const fragment = needle.value.slice(i, i + FRAGMENT_CHARS);
      if (!this.fragments.has(fragment)) this.fragments.set(fragment, needle);
    }
  }

  /** Keeps one emitted text; every text is searched at the end, for every secret known by then. */
  scan(source: string, text: string): void {
    this.texts.push([source, text]);
  }

  /** Searches every text kept for every secret and shape; call once, at the end. */
  search(): readonly Leak[] {
    this.leaks.length = 0;
    for (const [source, text] of this.texts) this.searchOne(source, text);
    return this.leaks;
  }

  private searchOne(source: string, text: string): void {
    const found = new Set<string>();
    const report = (leak: Leak): void => {
      const key = `${leak.kind}|${leak.how}`;
      if (found.has(key)) return;
      found.add(key);
      this.leaks.push(leak);
    };
    for (const needle of this.needles) {
      if (needle.value.length < FRAGMENT_CHARS && text.includes(needle.value))
        report({ source, kind: needle.kind, how: needle.form });
    }
    for (let i = 0; i + FRAGMENT_CHARS <= text.length; i += 1) {
      const needle = this.fragments.get(text.slice(i, i + FRAGMENT_CHARS));
      if (needle) report({ source, kind: needle.kind, how: `${needle.form} (or a fragment of it)` });
    }
    for (const [name, shape] of SHAPES) if (shape.test(text)) report({ source, kind: "shape", how: name });
  }

  summary(): { sources: number; chars: number; secrets: ReadonlyMap<SecretKind, number> } {
    const chars = this.texts.reduce((sum, [, text]) => sum + text.length, 0);
    return { sources: this.texts.length, chars, secrets: this.secretKinds };
  }
}
