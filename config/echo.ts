/**
 * How text from the stack file appears in a message. A message is printed on a terminal and in CI logs, so
 * nothing the user typed may act on the terminal or hide itself: control characters (an escape sequence can
 * recolour or erase lines), bidirectional overrides and isolates (they reorder what is displayed, see
 * CVE-2021-42574, "Trojan Source", https://trojansource.codes/), zero-width and other format characters, and
 * line or paragraph separators are shown as `\u…` escapes, as JSON shows C0 controls. Long text is cut, so a
 * 20,000-character key cannot bury the message.
 */
import { UNSAFE_CHARACTERS } from "../components/http/safeText";

/** How many characters of one piece of user text a message shows. */
export const ECHO_LIMIT = 100;

/** The code point of a character as Unicode writes it: `U+202E`. */
export function codePointName(character: string): string {
  return `U+${(character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;
}

/** Each unsafe character as `\uXXXX` (or `\u{XXXXX}` beyond the BMP); everything else unchanged. */
export function escapeUnsafe(text: string): string {
  return text.replace(UNSAFE_CHARACTERS, (character) => {
    const code = character.codePointAt(0) ?? 0;
    return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}

/** At most `limit` code points, the last one an ellipsis when the text was cut. */
export function truncate(text: string, limit = ECHO_LIMIT): string {
  if (text.length <= limit) return text;
  const codePoints = Array.from(text);
  return codePoints.length <= limit ? text : `${codePoints.slice(0, limit - 1).join("")}…`;
}

/** At most `limit` code points, the middle replaced by an ellipsis: a path keeps its file name. */
export function truncateMiddle(text: string, limit = ECHO_LIMIT): string {
  const codePoints = Array.from(text);
  if (codePoints.length <= limit) return text;
  const head = Math.floor((limit - 1) / 3);
  return `${codePoints.slice(0, head).join("")}…${codePoints.slice(codePoints.length - (limit - 1 - head)).join("")}`;
}

/** A path built from user text (an absolute file name): cut in the middle, then escaped. */
export function echoPath(text: string): string {
  return escapeUnsafe(truncateMiddle(text));
}

/** User text as a message shows it bare (a key name): cut, then escaped. */
export function echo(text: string): string {
  return escapeUnsafe(truncate(text));
}

/** User text as a message quotes it: cut, then JSON-quoted, then escaped. */
export function quote(text: string): string {
  return escapeUnsafe(JSON.stringify(truncate(text)));
}
