import { readFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import { createSecureContext } from "node:tls";
import { homedir } from "node:os";
import { inspect } from "node:util";

import axios, { type AxiosInstance, type AxiosResponse } from "axios";

import { HttpConfigError, HttpError, HttpErrorCode } from "./errors";
import { expandHome } from "./paths";
import { redactUrl } from "./redact";
import { MAX_VALUE_CHARS, safeText } from "./safeText";
import { DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT_MS, MAX_TIMER_MS, MAX_TIMER_REASON } from "./limits";
import { checkRequestUrl, parseRetryAfter } from "./urls";

/** Why a duration is refused: not a positive number of milliseconds a timer can wait. */
export function checkTimeoutMs(name: string, value: number): void {
  if (!Number.isFinite(value) || value <= 0 || value > MAX_TIMER_MS) {
    throw new HttpConfigError(
      `${name} must be a positive number of milliseconds up to ${MAX_TIMER_MS} (${MAX_TIMER_REASON}), got ${String(value)}`,
    );
  }
}

export interface HttpClientOptions {
  /** Per-request limit from the first byte sent to the last byte received (default `DEFAULT_TIMEOUT_MS`). */
  readonly timeoutMs?: number;
  /** PEM file of the CA certificates to trust instead of the system roots (e.g. the emulator's CA), like curl's --cacert; `~/` is the home folder, a relative path starts at the working directory. */
  readonly caFile?: string;
  /** Allow plain `http://` to 127.0.0.0/8, ::1 and localhost (default false). Never to any other host. */
  readonly allowPlainHttpOnLoopback?: boolean;
  /** Responses larger than this fail with `too_large` (default 1 MiB). */
  readonly maxResponseBytes?: number;
  readonly userAgent?: string;
}

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface HttpRequest {
  readonly method: HttpMethod;
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** A string is sent as is; `URLSearchParams` as a form; anything else as JSON. */
  readonly body?: unknown;
  /** Statuses that resolve; any other throws an HttpError (`redirect` for 3xx, else `status`). Default: 2xx. */
  readonly acceptStatus?: (status: number) => boolean;
  /** Overrides the client's timeout for this request. */
  readonly timeoutMs?: number;
}

export interface HttpResponse {
  readonly method: HttpMethod;
  /** Redacted request URL. */
  readonly url: string;
  readonly status: number;
  /** Lower-case names; `set-cookie` dropped. */
  readonly headers: Readonly<Record<string, string>>;
  /** The raw body text; may hold a token, so it is hidden from `JSON.stringify` and `util.inspect`. */
  readonly body: string;
}

export interface HttpClient {
  request(request: HttpRequest): Promise<HttpResponse>;
  readonly timeoutMs: number;
  /** Whether plain http:// to loopback is allowed (absent: not allowed), so callers can refuse a URL up front. */
  readonly allowPlainHttpOnLoopback?: boolean;
  /** Closes pooled keep-alive connections. */
  close(): void;
}

const isSuccess = (status: number): boolean => status >= 200 && status < 300;

/** Node's TLS and X.509 verification failure codes. */
const TLS_CODES: ReadonlySet<string> = new Set([
  "EPROTO",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "CERT_REVOKED",
  "CERT_UNTRUSTED",
  "CERT_REJECTED",
  "CERT_SIGNATURE_FAILURE",
  "HOSTNAME_MISMATCH",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);
const RESET_CODES: ReadonlySet<string> = new Set(["ECONNRESET", "EPIPE"]);
const TIMEOUT_CODES: ReadonlySet<string> = new Set(["ETIMEDOUT", "ECONNABORTED", "ESOCKETTIMEDOUT"]);

function plainCode(value: unknown): string | undefined {
  return typeof value === "string" && /^[A-Z][A-Z0-9_]{1,63}$/.test(value) ? value : undefined;
}

/** The platform code of a transport failure: the axios error's own, or its cause's (Node sets both variously). */
function transportCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const own = plainCode((error as { code?: unknown }).code);
  const cause = (error as { cause?: unknown }).cause;
  const fromCause =
    typeof cause === "object" && cause !== null ? plainCode((cause as { code?: unknown }).code) : undefined;
  // axios wraps some failures in its own generic codes; the cause's code is the more precise one.
  if (own && !own.startsWith("ERR_BAD_") && own !== "ERR_NETWORK") return own;
  return fromCause ?? own;
}

function classifyTransportError(
  error: unknown,
  deadlineFired: boolean,
): { code: HttpErrorCode; causeCode?: string } {
  const causeCode = transportCode(error);
  if (deadlineFired || (causeCode !== undefined && TIMEOUT_CODES.has(causeCode))) {
    return { code: HttpErrorCode.timeout, causeCode };
  }
  const message = error instanceof Error ? error.message : "";
  if (message.includes("maxContentLength")) return { code: HttpErrorCode.tooLarge };
  if (causeCode !== undefined) {
    if (TLS_CODES.has(causeCode) || causeCode.startsWith("ERR_TLS_") || causeCode.startsWith("ERR_SSL_")) {
      return { code: HttpErrorCode.tls, causeCode };
    }
    if (causeCode.startsWith("CERT_") || causeCode.startsWith("UNABLE_TO_"))
      return { code: HttpErrorCode.tls, causeCode };
    if (RESET_CODES.has(causeCode)) return { code: HttpErrorCode.connectionReset, causeCode };
  }
  if (/socket hang up/i.test(message))
    return { code: HttpErrorCode.connectionReset, causeCode: "ECONNRESET" };
  return { code: HttpErrorCode.network, causeCode };
}

/**
 * Like curl's --cacert, the file replaces the system roots: the servers must chain to a CA in it. (Adding
 * it to the ~140 public roots would also cost ~20 ms of parsing per client built.) A path written `~/…` is under
 * the home folder and a relative one starts at the working directory, read when the client is built (paths.ts).
 */
function loadCa(caFile: string): string[] {
  let pem: string;
  try {
    pem = readFileSync(expandHome(caFile, homedir(), process.cwd()), "utf8");
  } catch (error) {
    const code = plainCode((error as { code?: unknown }).code) ?? "unreadable";
    throw new HttpConfigError(
      `cannot read the CA file ${caFile} (${code}); pass the PEM file of the CA that signed the server's certificate`,
    );
  }
  if (!pem.includes("-----BEGIN CERTIFICATE-----")) {
    throw new HttpConfigError(
      `the CA file ${caFile} holds no PEM certificate ("-----BEGIN CERTIFICATE-----")`,
    );
  }
  return [pem];
}

function pickHeaders(raw: AxiosResponse["headers"]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
    const key = name.toLowerCase();
    if (key === "set-cookie" || value === undefined || value === null) continue;
    if (typeof value === "string" || typeof value === "number") headers[key] = String(value);
    else if (Array.isArray(value)) headers[key] = value.map((item) => `${item as string}`).join(", ");
  }
  return headers;
}

function makeResponse(
  method: HttpMethod,
  url: string,
  status: number,
  headers: Record<string, string>,
  body: string,
): HttpResponse {
  const summary = { method, url, status, headers };
  const response: HttpResponse = { ...summary, body };
  Object.defineProperties(response, {
    body: { value: body, enumerable: false },
    toJSON: { value: () => summary, enumerable: false },
    [inspect.custom]: { value: () => `HttpResponse ${method} ${url} ${status}`, enumerable: false },
  });
  return response;
}

function resolveLocation(location: string, base: URL): string {
  try {
    return new URL(location, base).href;
  } catch {
    return location;
  }
}

function encodeBody(body: unknown, headers: Record<string, string>): string | undefined {
  if (body === undefined) return undefined;
  const hasType = Object.keys(headers).some((name) => name.toLowerCase() === "content-type");
  if (typeof body === "string") return body;
  if (body instanceof URLSearchParams) {
    if (!hasType) headers["Content-Type"] = "application/x-www-form-urlencoded;charset=UTF-8";
    return body.toString();
  }
  if (!hasType) headers["Content-Type"] = "application/json";
  return JSON.stringify(body);
}

/**
 * The one way this project makes HTTP calls. Every request: a timeout (socket and overall deadline),
 * TLS verified against the system roots plus an optional CA file, `http://` only to loopback when
 * allowed, no redirects followed, no proxy from the environment, and any failure rebuilt as an
 * HttpError that carries no headers, config or body.
 */
export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  checkTimeoutMs("timeoutMs", timeoutMs);
  const allowPlainHttpOnLoopback = options.allowPlainHttpOnLoopback === true;
  // One secure context for every connection: building it parses the whole trust store, which per
  // connection would cost milliseconds each time many clients are checked at once.
  const secureContext = createSecureContext(
    options.caFile !== undefined ? { ca: loadCa(options.caFile) } : {},
  );
  const httpsAgent = new https.Agent({ keepAlive: true, secureContext });
  const httpAgent = new http.Agent({ keepAlive: true });
  const instance: AxiosInstance = axios.create({
    httpsAgent,
    httpAgent,
    // The environment's HTTP(S)_PROXY would silently reroute (and, for loopback, break) every call.
    proxy: false,
    maxRedirects: 0,
    maxContentLength: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    responseType: "text",
    // Keep the body as text; callers parse and validate it themselves.
    transformResponse: [(data: unknown) => data],
    validateStatus: () => true,
    transitional: { clarifyTimeoutError: true },
    adapter: "http",
  });

  async function request(req: HttpRequest): Promise<HttpResponse> {
    const { method } = req;
    const safeUrl = redactUrl(req.url);
    const url = checkRequestUrl(req.url, method, allowPlainHttpOnLoopback);
    const limit = req.timeoutMs ?? timeoutMs;
    checkTimeoutMs("timeoutMs", limit);
    const headers: Record<string, string> = { Accept: "application/json", ...req.headers };
    if (options.userAgent !== undefined) headers["User-Agent"] = options.userAgent;
    const data = encodeBody(req.body, headers);
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), limit);
    let raw: AxiosResponse<unknown>;
    try {
      raw = await instance.request<unknown>({
        method,
        url: url.href,
        headers,
        data,
        timeout: limit,
        signal: deadline.signal,
      });
    } catch (error) {
      const { code, causeCode } = classifyTransportError(error, deadline.signal.aborted);
      // A fresh error: the axios one (with its config and headers) is dropped here, not chained as `cause`.
      throw new HttpError({ code, method, url: safeUrl, causeCode, timeoutMs: limit });
    } finally {
      clearTimeout(timer);
    }
    const headersOut = pickHeaders(raw.headers);
    // responseType "text" with an identity transform: the body is a string (or absent for 204/HEAD).
    const body = typeof raw.data === "string" ? raw.data : "";
    const accept = req.acceptStatus ?? isSuccess;
    if (!accept(raw.status)) {
      const location = headersOut.location;
      throw new HttpError({
        code: raw.status >= 300 && raw.status < 400 ? HttpErrorCode.redirect : HttpErrorCode.status,
        method,
        url: safeUrl,
        status: raw.status,
        // The server's text: bounded, so that a huge Location cannot flood a log through this error's message.
        location:
          location === undefined
            ? undefined
            : safeText(redactUrl(resolveLocation(location, url)), MAX_VALUE_CHARS),
        retryAfterMs: parseRetryAfter(headersOut["retry-after"], Date.now()),
      });
    }
    return makeResponse(method, safeUrl, raw.status, headersOut, body);
  }

  return {
    request,
    timeoutMs,
    allowPlainHttpOnLoopback,
    close() {
      httpsAgent.destroy();
      httpAgent.destroy();
    },
  };
}
