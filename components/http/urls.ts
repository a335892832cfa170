import { isIP } from "node:net";

import { HttpError, HttpErrorCode } from "./errors";
import { redactUrl } from "./redact";

/** 127.0.0.0/8, ::1 (and its IPv4-mapped forms) and `localhost`: the only hosts plain http:// may reach. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.startsWith("[") && hostname.endsWith("]") ? hostname.slice(1, -1) : hostname;
  const lower = host.toLowerCase();
  if (lower === "localhost") return true;
  if (isIP(lower) === 4) return lower.split(".")[0] === "127";
  if (isIP(lower) === 6) {
    if (lower === "::1" || lower === "0:0:0:0:0:0:0:1") return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
    return mapped?.[1] !== undefined && mapped[1].split(".")[0] === "127";
  }
  return false;
}

/**
 * Parses a request URL and enforces the transport rule: https always; http only for a loopback host
 * and only when the caller opted in. Throws an HttpError before any byte is sent.
 */
export function checkRequestUrl(raw: string, method: string, allowPlainHttpOnLoopback: boolean): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new HttpError({ code: HttpErrorCode.invalidUrl, method, url: redactUrl(raw) });
  }
  if (url.protocol === "https:") return url;
  if (url.protocol === "http:") {
    if (allowPlainHttpOnLoopback && isLoopbackHost(url.hostname)) return url;
    throw new HttpError({ code: HttpErrorCode.insecureUrl, method, url: redactUrl(raw) });
  }
  throw new HttpError({ code: HttpErrorCode.invalidUrl, method, url: redactUrl(raw) });
}

/**
 * `Retry-After` (RFC 9110 §10.2.3): delay-seconds or an HTTP-date. Returns milliseconds from `nowMs`,
 * never negative, or undefined when absent or unparsable.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date) || !/[a-z]/i.test(trimmed)) return undefined;
  return Math.max(0, date - nowMs);
}
