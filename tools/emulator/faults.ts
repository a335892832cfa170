/**
 * Canned failures served instead of (or on top of) the real answer, per host, method and path prefix.
 * The first matching fault wins and is used up after `times` matches.
 */
import { z } from "zod";
import { jsonReply, type Reply } from "./http";
import { ociError, ociErrorCode } from "./ociErrors";
import { scimErrorBody, ScimError } from "./scim/errors";
import { type EmulatorHost, type FaultSpec } from "./types";

const faultSchema = z
  .object({
    host: z.enum(["identity", "runtime", "designTime"]).optional(),
    method: z
      .string()
      .regex(/^[A-Za-z]+$/)
      .optional(),
    path: z.string().startsWith("/"),
    kind: z.enum([
      "status",
      "reset",
      "delay",
      "malformed-json",
      "truncated-json",
      "wrong-content-type",
      "html-error",
      "redirect",
    ]),
    status: z.union([z.literal(429), z.literal(500), z.literal(502), z.literal(503)]).optional(),
    retryAfterSeconds: z.number().int().min(0).max(86_400).nullable().optional(),
    delayMs: z.number().int().min(0).max(600_000).optional(),
    location: z
      .string()
      .max(2048)
      .refine((value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol), {
        message: "location must be an absolute http(s) URL",
      })
      .optional(),
    times: z
      .custom<number>((v) => v === Infinity || (typeof v === "number" && Number.isInteger(v) && v >= 1), {
        message: "times must be a positive integer or Infinity",
      })
      .optional(),
  })
  .strict()
  .refine((f) => f.kind !== "status" || f.status !== undefined, {
    message: 'kind "status" needs status',
    path: ["status"],
  })
  .refine((f) => f.kind !== "delay" || f.delayMs !== undefined, {
    message: 'kind "delay" needs delayMs',
    path: ["delayMs"],
  })
  .refine((f) => f.location === undefined || f.kind === "redirect", {
    message: 'location is only for kind "redirect"',
    path: ["location"],
  });

export class FaultSpecError extends Error {}

/** Validates a fault; throws `FaultSpecError` naming each problem. */
export function parseFaultSpec(value: unknown): FaultSpec {
  const result = faultSchema.safeParse(value);
  if (!result.success) {
    throw new FaultSpecError(
      `Invalid fault: ${result.error.issues.map((issue) => `${issue.path.join(".") || "fault"}: ${issue.message}`).join("; ")}`,
    );
  }
  return result.data;
}

interface ActiveFault {
  readonly spec: FaultSpec;
  remaining: number;
}

export class FaultRegistry {
  private faults: ActiveFault[] = [];

  add(spec: FaultSpec): void {
    const parsed = parseFaultSpec(spec);
    this.faults.push({ spec: parsed, remaining: parsed.times ?? 1 });
  }

  clear(): void {
    this.faults = [];
  }

  /** The fault that answers this request, if any (and counts the use). */
  take(host: EmulatorHost, method: string, path: string): FaultSpec | undefined {
    const index = this.faults.findIndex(
      ({ spec }) =>
        (spec.host === undefined || spec.host === host) &&
        (spec.method === undefined || spec.method.toUpperCase() === method.toUpperCase()) &&
        path.startsWith(spec.path),
    );
    const fault = this.faults[index];
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults.splice(index, 1);
    return fault.spec;
  }
}

const REASONS: Readonly<Record<number, string>> = {
  429: "Too many requests",
  500: "Internal server error",
  502: "Bad gateway",
  503: "Service unavailable",
};

/** `Retry-After` on a 429: `retryAfterSeconds` (default 1), none when it is null. */
function retryAfterHeader(fault: FaultSpec, status: number): Record<string, string> {
  if (status !== 429 || fault.retryAfterSeconds === null) return {};
  return { "retry-after": String(fault.retryAfterSeconds ?? 1) };
}

/** A plausible body for the route's family: SCIM on /admin, OAuth on /oauth2, `{code, message}` elsewhere. */
export function faultStatusReply(fault: FaultSpec, host: EmulatorHost, path: string): Reply {
  const status = fault.status ?? 500;
  const headers = retryAfterHeader(fault, status);
  const reason = `${REASONS[status] ?? "Error"} (injected by the emulator).`;
  if (host === "identity" && path.startsWith("/oauth2/")) {
    const error = status === 503 || status === 429 ? "temporarily_unavailable" : "server_error";
    return jsonReply(status, { error, error_description: reason }, headers);
  }
  if (host === "identity" && path.startsWith("/admin/")) {
    return jsonReply(status, scimErrorBody(new ScimError(status, reason)), headers);
  }
  return ociError(status, ociErrorCode(status), reason, headers);
}

/**
 * The error page a load balancer or proxy in front of a service serves instead of the service's own answer
 * (status default 502): HTML, not the route's JSON format.
 */
export function faultHtmlReply(fault: FaultSpec): Reply {
  const status = fault.status ?? 502;
  const reason = REASONS[status] ?? "Error";
  const page =
    `<!DOCTYPE html>\n<html><head><title>${status} ${reason}</title></head>\n` +
    `<body><center><h1>${status} ${reason}</h1></center><hr><center>load balancer (injected by the emulator)</center></body></html>\n`;
  return {
    status,
    headers: { "content-type": "text/html; charset=utf-8", ...retryAfterHeader(fault, status) },
    body: Buffer.from(page, "utf8"),
  };
}

/** Where a `redirect` fault sends the request: `location`, else the same target on a host that is not this one. */
export const DEFAULT_REDIRECT_ORIGIN = "https://redirected.invalid";

/** `307 Temporary Redirect` to another host, as a misrouted load balancer or a moved endpoint answers. */
export function faultRedirectReply(fault: FaultSpec, target: string): Reply {
  return {
    status: 307,
    headers: { location: fault.location ?? `${DEFAULT_REDIRECT_ORIGIN}${target}` },
  };
}

/** `malformed-json`, `truncated-json`, `wrong-content-type` applied to the real answer. */
export function corruptReply(reply: Reply, kind: FaultSpec["kind"]): Reply {
  const text = reply.body?.toString("utf8") ?? "";
  switch (kind) {
    case "malformed-json": {
      // A trailing comma before the closing bracket: looks like JSON, is not.
      const broken = text.length > 0 ? `${text.slice(0, -1)},${text.slice(-1)}` : '{"';
      return {
        status: 200,
        headers: { ...reply.headers, "content-type": "application/json;charset=utf-8" },
        body: Buffer.from(broken),
      };
    }
    case "truncated-json": {
      const body =
        reply.body && reply.body.length > 1
          ? reply.body.subarray(0, Math.floor(reply.body.length / 2))
          : Buffer.from('{"');
      return {
        status: 200,
        headers: { ...reply.headers, "content-type": "application/json;charset=utf-8" },
        body,
      };
    }
    case "wrong-content-type":
      return { ...reply, headers: { ...reply.headers, "content-type": "text/html; charset=utf-8" } };
    default:
      return reply;
  }
}
