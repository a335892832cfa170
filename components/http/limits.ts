/**
 * The HTTP layer's defaults and the longest wait the project accepts, in a module of their own (no imports), so
 * that code that only needs a number (the stack config, the access check's arguments) does not load the client.
 */

/** Per-request limit from the first byte sent to the last byte received. */
export const DEFAULT_TIMEOUT_MS = 10_000;

export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;

/**
 * The longest wait a Node.js timer can express (2^31 - 1 ms, about 24.8 days): a longer delay is replaced by
 * 1 ms (https://nodejs.org/api/timers.html#settimeoutcallback-delay-args), so a larger timeout would fire at
 * once and report a false timeout. Every timeout and wait of the project is checked against it.
 */
export const MAX_TIMER_MS = 2_147_483_647;

/** Why `MAX_TIMER_MS` is the limit, as messages say it after the number. */
export const MAX_TIMER_REASON = "about 24.8 days, the longest a Node.js timer waits";
