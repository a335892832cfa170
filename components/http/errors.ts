import { inspect } from "node:util";

/**
 * Why a request failed, from a closed set. The set is what callers branch on (retry or not, which
 * diagnosis) and what messages print; nothing from the underlying library's error is kept.
 */
export const HttpErrorCode = {
  /** No complete answer within the timeout. */
  timeout: "timeout",
  /** The peer closed or reset the connection mid-request (ECONNRESET, EPIPE, "socket hang up"). */
  connectionReset: "connection_reset",
  /** Any other transport failure: refused, unreachable, DNS. */
  network: "network",
  /** The TLS handshake failed: unknown CA, expired or mismatched certificate, not TLS at all. */
  tls: "tls",
  /** A 3xx answer; redirects are never followed. */
  redirect: "redirect",
  /** An answer with a status the caller did not accept. */
  status: "status",
  /** The body exceeded the size limit. */
  tooLarge: "too_large",
  /** The URL is not a valid absolute http(s) URL. */
  invalidUrl: "invalid_url",
  /** `http://` to a non-loopback host, or to loopback without the caller's explicit consent. */
  insecureUrl: "insecure_url",
} as const;

export type HttpErrorCode = (typeof HttpErrorCode)[keyof typeof HttpErrorCode];

export interface HttpErrorDetails {
  readonly code: HttpErrorCode;
  readonly method: string;
  /** Already redacted (see `redactUrl`). */
  readonly url: string;
  readonly status?: number;
  /** The platform's error code (e.g. `ECONNREFUSED`, `CERT_HAS_EXPIRED`), when it is a plain code. */
  readonly causeCode?: string;
  /** Redacted `Location` of a 3xx. */
  readonly location?: string;
  /** Parsed `Retry-After` of a 429/503, in milliseconds. */
  readonly retryAfterMs?: number;
  readonly timeoutMs?: number;
}

const DESCRIPTIONS: Record<HttpErrorCode, (d: HttpErrorDetails) => string> = {
  timeout: (d) => `no answer within ${d.timeoutMs ?? "the"} ms`,
  connection_reset: (d) => `the connection was reset${d.causeCode ? ` (${d.causeCode})` : ""}`,
  network: (d) => `network error${d.causeCode ? ` (${d.causeCode})` : ""}`,
  tls: (d) => `TLS handshake failed${d.causeCode ? ` (${d.causeCode})` : ""}`,
  redirect: (d) =>
    `redirected with ${d.status ?? "3xx"} to ${d.location ?? "an unknown location"}; redirects are not followed`,
  status: (d) => `unexpected HTTP status ${d.status ?? "(none)"}`,
  too_large: () => "the response body is too large",
  invalid_url: () => "not a valid absolute http(s) URL",
  insecure_url: () => "plain http:// is only allowed for a loopback host, and only when explicitly allowed",
};

/**
 * The only error this project's HTTP layer throws. It is built from scratch out of plain fields, so it
 * has no `cause`, `config`, `request` or `response` that could carry an `Authorization` header, a form
 * body with a secret, or a token in a response body.
 */
export class HttpError extends Error {
  override readonly name = "HttpError";
  readonly code: HttpErrorCode;
  readonly method: string;
  readonly url: string;
  readonly status: number | undefined;
  readonly causeCode: string | undefined;
  readonly location: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly timeoutMs: number | undefined;

  constructor(details: HttpErrorDetails) {
    super(`${details.method} ${details.url} failed: ${DESCRIPTIONS[details.code](details)}`);
    this.code = details.code;
    this.method = details.method;
    this.url = details.url;
    this.status = details.status;
    this.causeCode = details.causeCode;
    this.location = details.location;
    this.retryAfterMs = details.retryAfterMs;
    this.timeoutMs = details.code === HttpErrorCode.timeout ? details.timeoutMs : undefined;
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      code: this.code,
      method: this.method,
      url: this.url,
      status: this.status,
      causeCode: this.causeCode,
      location: this.location,
      retryAfterMs: this.retryAfterMs,
      timeoutMs: this.timeoutMs,
    };
  }

  [inspect.custom](): string {
    return `${this.name} [${this.code}]: ${this.message}`;
  }
}

export function isHttpError(value: unknown): value is HttpError {
  return value instanceof HttpError;
}

/** Thrown when the client itself cannot be built (e.g. the CA file is unreadable). */
export class HttpConfigError extends Error {
  override readonly name = "HttpConfigError";
}
