export {
  createHttpClient,
  checkTimeoutMs,
  DEFAULT_TIMEOUT_MS,
  DEFAULT_MAX_RESPONSE_BYTES,
  MAX_TIMER_MS,
} from "./client";
export type { HttpClient, HttpClientOptions, HttpMethod, HttpRequest, HttpResponse } from "./client";
export { HttpError, HttpErrorCode, HttpConfigError, isHttpError } from "./errors";
export type { HttpErrorDetails } from "./errors";
export { createSecretRedactor, redactUrl, REDACTED, MIN_SECRET_FRAGMENT, MIN_SECRET_LENGTH } from "./redact";
export type { SecretRedactor } from "./redact";
export { safeText, quoted, quotedList, MAX_TEXT_CHARS, MAX_VALUE_CHARS } from "./safeText";
export { isLoopbackHost, checkRequestUrl, parseRetryAfter } from "./urls";
export { fullJitterDelayMs } from "./backoff";
