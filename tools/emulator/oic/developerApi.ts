/**
 * The OIC design-time host (`https://design.integration.<region>.ocp.oraclecloud.com`, here 127.0.0.3):
 * `GET /ic/api/integration/v1/connections[/{id}]?integrationInstance=<name>`
 * (https://docs.oracle.com/en/cloud/paas/application-integration/rest-api/op-ic-api-integration-v1-connections-get.html).
 * Checks in order: `integrationInstance` given (400) and known (404); a bearer token that verifies, is not
 * expired and names this instance's audience (401 NotAuthenticated, see ociErrors.ts); a granted role that
 * may view connections, counting a grant only once it has propagated (the knob's answer, see `roleRefused`).
 */
import { CONNECTION_VIEWER_ROLES } from "./oracleFacts";
import { type EmulatorContext, type OicInstance } from "../context";
import { header, jsonReply, type EmuRequest, type Reply } from "../http";
import { verifyAccessToken } from "../identity/auth";
import { notAuthenticated, ociError } from "../ociErrors";
import { type Router } from "../router";
import { str } from "../store";
import { type MissingRoleAnswer } from "../types";
import {
  applyConnectionQuery,
  ConnectionQueryError,
  orderConnections,
  parseConnectionQuery,
} from "./connectionQuery";
import { type Connection } from "./connections";

export const CONNECTIONS_PATH = "/ic/api/integration/v1/connections";
/** OIC's default page size is unconfirmed; 100 matches the limit public scripts ask for. */
export const DEFAULT_LIMIT = 100;

/**
 * A client without a role that may view connections, or whose grant has not propagated. Oracle's
 * "Unauthorized Errors: Check Roles Assigned to Your Confidential Application" suggests a 401, not a 403
 * (https://docs.oracle.com/en/cloud/paas/application-integration/integrations-user/check-roles-assigned-your-confidential-application.html),
 * but no source shows the answer, so it is a knob (`MissingRoleAnswer`); the NotAuthorized body is this
 * emulator's choice in OIC's `{code, message}` shape, naming the roles that would do.
 */
export function roleRefused(answer: MissingRoleAnswer): Reply {
  if (answer === "401-not-authenticated") return notAuthenticated();
  return ociError(
    answer === "403-not-authorized" ? 403 : 401,
    "NotAuthorized",
    `The client is not authorized to view connections: it needs one of the roles ${CONNECTION_VIEWER_ROLES.join(", ")}.`,
  );
}

type Gate = { readonly instance: OicInstance } | { readonly refusal: Reply };

async function gate(ctx: EmulatorContext, request: EmuRequest): Promise<Gate> {
  const name = request.query.get("integrationInstance");
  if (name === null || name === "") {
    return { refusal: ociError(400, "BadRequest", "The integrationInstance query parameter is required.") };
  }
  const instance = ctx.instances.find((candidate) => candidate.name === name);
  if (!instance) return { refusal: ociError(404, "NotFound", `Integration instance ${name} was not found.`) };
  const authorization = header(request, "authorization") ?? "";
  const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
  if (!token) return { refusal: notAuthenticated() };
  let clientId: string;
  try {
    const claims = await verifyAccessToken(token, ctx);
    if (!claims.audiences.includes(instance.audience)) return { refusal: notAuthenticated() };
    clientId = claims.clientId;
  } catch {
    return { refusal: notAuthenticated() };
  }
  const app = ctx.store.appByName(clientId);
  const now = ctx.now();
  const canView = (app ? ctx.store.grantsTo(str(app.resource, "id") ?? "") : []).some((grant) => {
    const role = grant.roleId ? ctx.store.roles.get(grant.roleId) : undefined;
    return (
      role?.appId === instance.appId &&
      CONNECTION_VIEWER_ROLES.includes(role.displayName) &&
      ctx.propagation.grantVisible(grant, now)
    );
  });
  return canView ? { instance } : { refusal: roleRefused(ctx.oic.missingRoleAnswer) };
}

function connectionJson(
  ctx: EmulatorContext,
  instance: OicInstance,
  connection: Connection,
): Record<string, unknown> {
  const href = `${ctx.info.designTimeUrl}${CONNECTIONS_PATH}/${encodeURIComponent(connection.id)}?integrationInstance=${encodeURIComponent(instance.name)}`;
  return {
    ...connection,
    links: [
      { href, rel: "self" },
      { href, rel: "canonical" },
    ],
  };
}

function nonNegativeInteger(request: EmuRequest, name: string, fallback: number): number | undefined {
  const raw = request.query.get(name);
  if (raw === null || raw === "") return fallback;
  return /^\d+$/.test(raw) ? Number(raw) : undefined;
}

async function listConnections(ctx: EmulatorContext, request: EmuRequest): Promise<Reply> {
  const checked = await gate(ctx, request);
  if ("refusal" in checked) return checked.refusal;
  const { instance } = checked;
  const limit = nonNegativeInteger(request, "limit", DEFAULT_LIMIT);
  const offset = nonNegativeInteger(request, "offset", 0);
  if (limit === undefined || offset === undefined) {
    return ociError(400, "BadRequest", "limit and offset must be non-negative integers.");
  }
  let selected: Connection[];
  try {
    const q = request.query.get("q");
    const filtered =
      q === null ? instance.connections : applyConnectionQuery(instance.connections, parseConnectionQuery(q));
    selected = orderConnections(filtered, request.query.get("orderBy"));
  } catch (error) {
    if (error instanceof ConnectionQueryError) return ociError(400, "BadRequest", error.message);
    throw error;
  }
  const page = selected.slice(offset, offset + limit);
  const self = `${ctx.info.designTimeUrl}${request.target}`;
  return jsonReply(200, {
    items: page.map((connection) => connectionJson(ctx, instance, connection)),
    hasMore: offset + page.length < selected.length,
    totalResults: selected.length,
    limit,
    // `offset` and top-level `links` are unconfirmed: no public source shows them in this collection.
    offset,
    links: [{ href: self, rel: "self" }],
  });
}

async function getConnection(ctx: EmulatorContext, request: EmuRequest): Promise<Reply> {
  const checked = await gate(ctx, request);
  if ("refusal" in checked) return checked.refusal;
  const id = request.params.id ?? "";
  const connection = checked.instance.connections.find((candidate) => candidate.id === id);
  if (!connection) return ociError(404, "NotFound", `Connection ${id} was not found.`);
  return jsonReply(200, connectionJson(ctx, checked.instance, connection));
}

export function registerDeveloperApi(router: Router, ctx: EmulatorContext): void {
  router.add("GET", CONNECTIONS_PATH, (request) => listConnections(ctx, request));
  router.add("GET", `${CONNECTIONS_PATH}/:id`, (request) => getConnection(ctx, request));
}
