/**
 * The plumbing every `/admin/v1` handler shares: admin authorization, SCIM error replies, JSON bodies,
 * repeated query parameters, and `opc-retry-token` replay for creates.
 */
import { createHash } from "node:crypto";
import { type EmulatorContext } from "../context";
import { header, jsonReply, mediaType, type EmuRequest, type Reply } from "../http";
import { type Handler } from "../router";
import { ScimError, scimErrorBody } from "../scim/errors";
import { type Json } from "../store";
import { authorizeAdmin, type Principal } from "./auth";

export function scimErrorReply(error: ScimError): Reply {
  return jsonReply(error.status, scimErrorBody(error));
}

export function adminRoute(
  ctx: EmulatorContext,
  handle: (request: EmuRequest, principal: Principal) => Reply | Promise<Reply>,
): Handler {
  return async (request) => {
    try {
      return await handle(request, await authorizeAdmin(request, ctx));
    } catch (error) {
      if (error instanceof ScimError) return scimErrorReply(error);
      throw error;
    }
  };
}

/**
 * Both media types identity domains document
 * (https://docs.oracle.com/en-us/iaas/Content/Identity/api-getstarted/SendRequests.htm); a request without
 * Content-Type is accepted.
 */
const JSON_MEDIA_TYPES: ReadonlySet<string> = new Set(["", "application/json", "application/scim+json"]);

export function jsonBody(request: EmuRequest): Json {
  const type = mediaType(request);
  if (!JSON_MEDIA_TYPES.has(type)) {
    throw new ScimError(
      415,
      `Unsupported media type "${type}": send application/json or application/scim+json.`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(request.body.toString("utf8"));
  } catch {
    throw new ScimError(400, "The request body is not valid JSON.", "invalidSyntax");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ScimError(400, "The request body must be a JSON object.", "invalidSyntax");
  }
  return value as Json;
}

export function queryAll(request: EmuRequest, name: string): string[] {
  return request.query.getAll(name);
}

interface StoredReply {
  readonly fingerprint: string;
  readonly reply: Reply;
  readonly at: number;
}

const RETRY_TOKEN_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * `opc-retry-token` (the SDKs generate one for every create, oci-go-sdk identitydomains_client.go;
 * "Idempotency tokens expire after 24 hours", its request structs): a create retried with the same token and
 * the same body gets the first answer again instead of a 409, so a client that lost the first response can
 * still learn the new resource's id and secret.
 */
export class RetryTokens {
  private readonly replies = new Map<string, StoredReply>();

  private static fingerprint(request: EmuRequest): string {
    return createHash("sha256")
      .update(`${request.method} ${request.path}\n`)
      .update(request.body)
      .digest("hex");
  }

  replay(request: EmuRequest, now: number): Reply | undefined {
    const token = header(request, "opc-retry-token");
    const stored = token ? this.replies.get(token) : undefined;
    if (!stored || now - stored.at > RETRY_TOKEN_TTL_MS) return undefined;
    return stored.fingerprint === RetryTokens.fingerprint(request) ? stored.reply : undefined;
  }

  remember(request: EmuRequest, reply: Reply, now: number): void {
    const token = header(request, "opc-retry-token");
    if (token && reply.status < 300) {
      this.replies.set(token, { fingerprint: RetryTokens.fingerprint(request), reply, at: now });
    }
  }
}
