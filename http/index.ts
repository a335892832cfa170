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
export { redactUrl, REDACTED } from "./redact";
export { isLoopbackHost, checkRequestUrl, parseRetryAfter } from "./urls";
export { fullJitterDelayMs } from "./backoff";
