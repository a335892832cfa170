/**
 * Text that came from a server (a claim, an error code, a header) is data, not terminal output: printed as is,
 * an ANSI escape can clear the screen, a CR/LF can forge a line such as "✔ ok", a bidi override can reorder what
 * a reader sees (CVE-2021-42574, "Trojan Source"), and a long value can flood a log. `safeText` is the one place
 * where such text is made safe to print: every control, format and line/paragraph separator character (Unicode
 * categories Cc, Cf, Zl, Zp, and lone surrogates) is shown as a visible escape, and the result is bounded.
 * The result contains no such character and is never longer than `maxLength`, so applying it twice changes
 * nothing.
 */

/** Default bound of one message or hint (characters). */
export const MAX_TEXT_CHARS = 1000;
/** Bound of one server-sent value quoted inside a message. */
export const MAX_VALUE_CHARS = 200;

/**
 * The characters no text from outside may print as they are: controls (C0, DEL, C1), format characters (bidi
 * controls, zero-width characters, the BOM), line and paragraph separators, and lone surrogates. The one owner of
 * that rule: the config's messages (config/echo.ts) escape the same set.
 */
export const UNSAFE_CHARACTERS = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;

const NAMED: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

function escapeOne(char: string): string {
  const named = NAMED[char];
  if (named !== undefined) return named;
  const code = char.codePointAt(0) ?? 0;
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, "0")}`
    : `\\u{${code.toString(16).padStart(4, "0")}}`;
}

function marker(omitted: number): string {
  return `… (${omitted} more characters)`;
}

/** `text` with unsafe characters escaped, cut to at most `maxLength` characters with a note of what was cut. */
export function safeText(text: string, maxLength: number = MAX_TEXT_CHARS): string {
  const escaped = text.replace(UNSAFE_CHARACTERS, escapeOne);
  if (escaped.length <= maxLength) return escaped;
  // The note is sized for the largest possible count, so the result never exceeds maxLength; a bound too
  // small to hold it gets a bare cut.
  const room = maxLength - marker(escaped.length).length;
  let kept = room > 0 ? room : Math.max(0, maxLength);
  // Never split a surrogate pair: half of one would be a lone surrogate, which a second pass would escape.
  const last = escaped.charCodeAt(kept - 1);
  if (kept > 0 && last >= 0xd800 && last <= 0xdbff) kept -= 1;
  return `${escaped.slice(0, kept)}${room > 0 ? marker(escaped.length - kept) : ""}`;
}

/** A server-sent value inside a message: made safe, bounded, and quoted. */
export function quoted(value: string, maxLength: number = MAX_VALUE_CHARS): string {
  return `"${safeText(value, maxLength)}"`;
}

/**
 * At most `max` values, quoted, then how many more there were: a list a server made long stays short. `prepare`
 * runs on each shown value before it is cut (e.g. a redactor, so that no part of a secret survives the cut).
 */
export function quotedList(
  values: readonly string[],
  separator = ", ",
  prepare: (value: string) => string = (value) => value,
  max = 3,
): string {
  if (values.length === 0) return "(none)";
  const shown = values.slice(0, max).map((value) => quoted(prepare(value)));
  const more = values.length - shown.length;
  return `${shown.join(separator)}${more > 0 ? ` (and ${more} more)` : ""}`;
}
