/**
 * The emulator's request and reply values. Handlers never touch sockets: they return a `Reply`, which the
 * server then records, passes through fault injection and writes.
 */
import { type IncomingHttpHeaders } from "node:http";
import { type EmulatorHost } from "./types";

export interface EmuRequest {
  readonly host: EmulatorHost;
  readonly method: string;
  /** The raw request-target (path and query) exactly as received; OCI signatures sign it. */
  readonly target: string;
  /** Path without the query, percent-encoding kept. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  /** Path parameters filled by the router, percent-decoded. */
  readonly params: Readonly<Record<string, string>>;
  /** What handlers learn about the request for the request log (who signed it); shared by every copy of it. */
  readonly notes?: RequestNotes;
}

export interface RequestNotes {
  signedBy?: string;
}

export interface Reply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: Buffer;
}

export const JSON_CONTENT_TYPE = "application/json;charset=utf-8";

export function jsonReply(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return {
    status,
    headers: { "content-type": JSON_CONTENT_TYPE, ...headers },
    body: Buffer.from(JSON.stringify(body), "utf8"),
  };
}

export function emptyReply(status: number, headers: Record<string, string> = {}): Reply {
  return { status, headers };
}

export function header(request: EmuRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(", ") : value;
}

/** The media type of the request without parameters, lower-cased (`application/scim+json`). */
export function mediaType(request: EmuRequest): string {
  return (header(request, "content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
}

/** Parses the body as a JSON object; `undefined` for anything else (not JSON, an array, a string…). */
export function jsonObjectBody(request: EmuRequest): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(request.body.toString("utf8"));
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
