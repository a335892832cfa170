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
