/**
 * The display name of a client's app in the identity domain, and the prefix a stack puts before each client's
 * name to form it. The identity domain makes the display name unique (`uniqueness: server` on the App's
 * `displayName`, oci-go-sdk `identitydomains/app.go`) but documents no length or character set, so these are
 * the project's own: text that reads well in the console and in a SCIM filter, checked the same way by the stack
 * config and by the component.
 */

export const DISPLAY_NAME_MAX_LENGTH = 100;
export const DISPLAY_NAME_PREFIX_MAX_LENGTH = 40;

const DISPLAY_NAME = /^[A-Za-z0-9][A-Za-z0-9 ._()-]*$/;
const DISPLAY_NAME_PREFIX = /^[A-Za-z0-9 ._-]*$/;

/** The display-name rule in words, for messages. */
export const DISPLAY_NAME_RULE =
  `at most ${DISPLAY_NAME_MAX_LENGTH} letters, digits, spaces, ".", "_", "-", "(" or ")", ` +
  "starting with a letter or digit";

/** The prefix rule in words, for messages. */
export const DISPLAY_NAME_PREFIX_RULE = `at most ${DISPLAY_NAME_PREFIX_MAX_LENGTH} letters, digits, spaces, ".", "_" or "-"`;

/** True for a display name: see `DISPLAY_NAME_RULE`; no trailing space, which the console would not show. */
export function isDisplayName(value: string): boolean {
  return value.length <= DISPLAY_NAME_MAX_LENGTH && DISPLAY_NAME.test(value) && value.trimEnd() === value;
}

/** True for a prefix (`""` for none): see `DISPLAY_NAME_PREFIX_RULE`. */
export function isDisplayNamePrefix(value: string): boolean {
  return value.length <= DISPLAY_NAME_PREFIX_MAX_LENGTH && DISPLAY_NAME_PREFIX.test(value);
}

/** A client's display name when none is given: the prefix, then the client's name. */
export function prefixedDisplayName(prefix: string, clientName: string): string {
  return `${prefix}${clientName}`;
}
