/**
 * `/admin/v1/Grants`
 * (https://docs.oracle.com/en-us/iaas/Content/Identity/api-getstarted/WorkingWithApps.htm): giving an App an
 * app role of another App. The grantee, the granting app and the role are checked, the role must belong to
 * the app, and a second identical grant is a 409 (Grant `compositeKey` is "used to prevent duplicate Grants",
 * oci-go-sdk identitydomains/grant.go). The grantee's `grantedAppRoles` follow.
 * Only App grantees are modelled (no users or groups in this domain).
 */
import { type EmulatorContext } from "../context";
import { emptyReply, jsonReply, type EmuRequest, type Reply } from "../http";
import { newResourceId } from "../ids";
import { type Router } from "../router";
import { parseProjection, project } from "../scim/attributes";
import { invalidValue, missingAttributes, notFound, ScimError } from "../scim/errors";
import { GRANT_SCHEMA, GRANT_SCHEMA_URN } from "../scim/schema";
import { checkSchemas, checkTypes } from "../scim/validate";
import { etagOf, type GrantRecord, type Json, obj, str, touch } from "../store";
import { serverFields, principalJson } from "./appModel";
import { type Principal } from "./auth";
import { list, queryFromSearchBody, queryFromUrl } from "./listing";
import { adminRoute, jsonBody, type RetryTokens } from "./scimRoute";

/** oci-go-sdk identitydomains/grant.go `GrantMechanism`. */
export const GRANT_MECHANISMS: readonly string[] = [
  "IMPORT_APPROLE_MEMBERS",
  "ADMINISTRATOR_TO_USER",
  "ADMINISTRATOR_TO_DELEGATED_USER",
  "ADMINISTRATOR_TO_GROUP",
  "SERVICE_MANAGER_TO_USER",
  "ADMINISTRATOR_TO_APP",
  "SERVICE_MANAGER_TO_APP",
  "OPC_INFRA_TO_APP",
  "GROUP_MEMBERSHIP",
  "IMPORT_GRANTS",
  "SYNC_TO_USER",
  "ACCESS_REQUEST",
  "APP_ENTITLEMENT_COLLECTION",
  "ADMINISTRATOR_TO_DYNAMIC_RESOURCE_GROUP",
];
const GRANTEE_TYPES: readonly string[] = ["User", "Group", "App", "DynamicResourceGroup"];
/** Mechanisms whose grantee must be an App ("ADMINISTRATOR_TO_APP … The grantee (client) App gains access"). */
const APP_MECHANISMS: ReadonlySet<string> = new Set([
  "ADMINISTRATOR_TO_APP",
  "SERVICE_MANAGER_TO_APP",
  "OPC_INFRA_TO_APP",
]);

export function compositeKey(
  granteeType: string,
  granteeId: string,
  appId: string,
  roleId: string | undefined,
): string {
  return [granteeType, granteeId, appId, roleId === undefined ? "" : `appRoles:${roleId}`].join("/");
}

interface GrantInput {
  readonly mechanism: string;
  readonly granteeType: string;
  readonly granteeId: string;
  readonly appId: string;
  readonly roleId: string | undefined;
}

function validate(ctx: EmulatorContext, body: Json): GrantInput {
  checkTypes(body, GRANT_SCHEMA);
  const grantee = obj(body, "grantee");
  const app = obj(body, "app");
  const entitlement = obj(body, "entitlement");
  const missing: string[] = [];
  if (body.schemas === undefined) missing.push("schemas");
  if (body.grantMechanism === undefined) missing.push("grantMechanism");
  if (!grantee) missing.push("grantee");
  else
    missing.push(
      ...["type", "value"].filter((k) => typeof grantee[k] !== "string").map((k) => `grantee.${k}`),
    );
  if (entitlement && typeof app?.value !== "string") missing.push("app");
  if (entitlement) {
    missing.push(
      ...["attributeName", "attributeValue"]
        .filter((k) => typeof entitlement[k] !== "string")
        .map((k) => `entitlement.${k}`),
    );
  }
  if (missing.length > 0) throw missingAttributes(missing);
  checkSchemas(body, GRANT_SCHEMA);
  const mechanism = str(body, "grantMechanism") ?? "";
  if (!GRANT_MECHANISMS.includes(mechanism)) {
    throw invalidValue(
      `Invalid value "${mechanism}" for attribute "grantMechanism". Allowed values: ${GRANT_MECHANISMS.join(", ")}.`,
    );
  }
  const granteeType = str(grantee ?? {}, "type") ?? "";
  const granteeId = str(grantee ?? {}, "value") ?? "";
  if (!GRANTEE_TYPES.includes(granteeType)) {
    throw invalidValue(
      `Invalid value "${granteeType}" for attribute "grantee.type". Allowed values: ${GRANTEE_TYPES.join(", ")}.`,
    );
  }
  if (APP_MECHANISMS.has(mechanism) !== (granteeType === "App")) {
    throw invalidValue(`grantMechanism ${mechanism} does not go with a grantee of type ${granteeType}.`);
  }
  if (granteeType !== "App" || !ctx.store.apps.has(granteeId)) {
    throw invalidValue(`Invalid grantee: no ${granteeType} with id "${granteeId}" exists.`);
  }
  const appId = str(app ?? {}, "value");
  if (appId === undefined) throw missingAttributes(["app"]);
  if (!ctx.store.apps.has(appId)) throw invalidValue(`Invalid app: no App with id "${appId}" exists.`);
  let roleId: string | undefined;
  if (entitlement) {
    if (entitlement.attributeName !== "appRoles") {
      throw invalidValue(
        `Unsupported entitlement.attributeName "${String(entitlement.attributeName)}": use "appRoles".`,
      );
    }
    roleId = str(entitlement, "attributeValue") ?? "";
    const role = ctx.store.roles.get(roleId);
    if (!role) throw invalidValue(`Invalid entitlement: no AppRole with id "${roleId}" exists.`);
    if (role.appId !== appId) {
      throw invalidValue(
        `Invalid entitlement: the AppRole "${roleId}" does not belong to the App "${appId}".`,
      );
    }
  }
  return { mechanism, granteeType, granteeId, appId, roleId };
}

/** `createdAt` before now makes a seeded grant count at once, whatever the propagation delay. */
export function createGrantRecord(
  ctx: EmulatorContext,
  input: GrantInput,
  principal: Principal,
  origin: GrantRecord["origin"],
  createdAt = ctx.now(),
): GrantRecord {
  const key = compositeKey(input.granteeType, input.granteeId, input.appId, input.roleId);
  if (ctx.store.grantByCompositeKey(key)) {
    throw new ScimError(
      409,
      "A Grant with the same grantee, app and entitlement already exists.",
      "uniqueness",
    );
  }
  const now = ctx.now();
  const id = newResourceId();
  const base = ctx.info.idcsUrl;
  const granteeApp = ctx.store.apps.get(input.granteeId);
  const grantingApp = ctx.store.apps.get(input.appId);
  const resource: Json = {
    schemas: [GRANT_SCHEMA_URN],
    ...serverFields(ctx, "Grant", id, `${base}/admin/v1/Grants/${id}`, "domaingrant", principal, now),
    grantMechanism: input.mechanism,
    grantee: {
      type: input.granteeType,
      value: input.granteeId,
      $ref: `${base}/admin/v1/Apps/${input.granteeId}`,
      display: granteeApp ? str(granteeApp.resource, "displayName") : undefined,
    },
    app: {
      value: input.appId,
      $ref: `${base}/admin/v1/Apps/${input.appId}`,
      display: grantingApp ? str(grantingApp.resource, "displayName") : undefined,
    },
    ...(input.roleId === undefined
      ? {}
      : { entitlement: { attributeName: "appRoles", attributeValue: input.roleId } }),
    // oci-go-sdk identitydomains/grant_grantor.go has value, $ref, type and display, no ocid (unlike
    // idcsCreatedBy).
    grantor: (({ ocid: _ocid, ...grantor }) => grantor)(principalJson(principal, base)),
    isFulfilled: true,
    compositeKey: key,
  };
  const record: GrantRecord = {
    id,
    createdAt,
    granteeId: input.granteeId,
    granteeType: input.granteeType,
    appId: input.appId,
    roleId: input.roleId,
    compositeKey: key,
    origin,
    resource,
  };
  ctx.store.grants.set(id, record);
  // The grantee's grantedAppRoles changed, so its version does too.
  if (granteeApp) touch(granteeApp.resource, now);
  return record;
}

/** For seeding: the same record and effects as `POST /admin/v1/Grants`, visible from the start. */
export function seedAppRoleGrant(
  ctx: EmulatorContext,
  granteeId: string,
  appId: string,
  roleId: string,
  principal: Principal,
  origin: GrantRecord["origin"],
): GrantRecord {
  return createGrantRecord(
    ctx,
    { mechanism: "ADMINISTRATOR_TO_APP", granteeType: "App", granteeId, appId, roleId },
    principal,
    origin,
    0,
  );
}

function grantReply(request: EmuRequest, record: GrantRecord, status: number, base: string): Reply {
  const projection = parseProjection(
    request.query.getAll("attributes"),
    request.query.getAll("attributeSets"),
    GRANT_SCHEMA,
  );
  const headers: Record<string, string> = { etag: etagOf(record.resource) };
  if (status === 201) headers.location = `${base}/admin/v1/Grants/${record.id}`;
  return jsonReply(status, project(record.resource, projection, GRANT_SCHEMA), headers);
}

export function registerGrants(router: Router, ctx: EmulatorContext, retryTokens: RetryTokens): void {
  const allGrants = () => [...ctx.store.grants.values()].map((grant) => grant.resource);
  const find = (id: string): GrantRecord => {
    const grant = ctx.store.grants.get(id);
    if (!grant) throw notFound("Grant", id);
    return grant;
  };

  router.add(
    "POST",
    "/admin/v1/Grants",
    adminRoute(ctx, (request, principal) => {
      const replayed = retryTokens.replay(request, ctx.now());
      if (replayed) return replayed;
      const body = jsonBody(request);
      parseProjection(
        request.query.getAll("attributes"),
        request.query.getAll("attributeSets"),
        GRANT_SCHEMA,
      );
      const record = createGrantRecord(ctx, validate(ctx, body), principal, "api");
      const reply = grantReply(request, record, 201, ctx.info.idcsUrl);
      retryTokens.remember(request, reply, ctx.now());
      return reply;
    }),
  );
  router.add(
    "GET",
    "/admin/v1/Grants",
    adminRoute(ctx, (request) => list(allGrants(), queryFromUrl(request), GRANT_SCHEMA)),
  );
  router.add(
    "POST",
    "/admin/v1/Grants/.search",
    adminRoute(ctx, (request) => list(allGrants(), queryFromSearchBody(jsonBody(request)), GRANT_SCHEMA)),
  );
  router.add(
    "GET",
    "/admin/v1/Grants/:id",
    adminRoute(ctx, (request) => grantReply(request, find(request.params.id ?? ""), 200, ctx.info.idcsUrl)),
  );
  router.add(
    "DELETE",
    "/admin/v1/Grants/:id",
    adminRoute(ctx, (request) => {
      const grant = find(request.params.id ?? "");
      ctx.store.grants.delete(grant.id);
      const grantee = ctx.store.apps.get(grant.granteeId);
      if (grantee) touch(grantee.resource, ctx.now());
      return emptyReply(204);
    }),
  );
  router.add(
    "PATCH",
    "/admin/v1/Grants/:id",
    adminRoute(ctx, () => {
      throw new ScimError(
        501,
        "Changing Grants is not implemented by the emulator; every Grant attribute is immutable.",
      );
    }),
  );
}
