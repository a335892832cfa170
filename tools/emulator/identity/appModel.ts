/**
 * How an App comes to be and changes
 * (https://docs.oracle.com/en-us/iaas/Content/Identity/api-getstarted/CreateActivateOAuthClientApp.htm and
 * oci-go-sdk identitydomains/app.go): required attributes, server-generated `id`, `name` (the client id) and
 * `clientSecret`, `allowedScopes` resolved against the published scopes of resource apps, uniqueness of
 * `name` and `displayName`, and full replacement on PUT.
 */
import { type EmulatorContext } from "../context";
import { newClientSecret, newOcid, newResourceId } from "../ids";
import { invalidValue, missingAttributes, ScimError } from "../scim/errors";
import { APP_SCHEMA, APP_SCHEMA_URN } from "../scim/schema";
import { checkImmutable, checkSchemas, checkTypes, writableAttributes } from "../scim/validate";
import { type AppRecord, type Json, newMeta, obj, str, timestamp, touch } from "../store";
import { type Principal } from "./auth";

/**
 * `basedOnTemplate.value` → `wellKnownId`, the templates for custom apps
 * (https://docs.oracle.com/en-us/iaas/Content/Identity/api-getstarted/CreateActivateOAuthClientApp.htm).
 */
export const APP_TEMPLATES: Readonly<Record<string, string>> = {
  CustomWebAppTemplateId: "CustomWebAppTemplateId",
  CustomBrowserMobileTemplateId: "CustomBrowserMobileTemplateId",
  CustomSAMLAppTemplateId: "CustomSAMLAppTemplateId",
  CustomEnterpriseAppTemplateId: "CustomEnterpriseAppTemplateId",
};

const ENUMS: Readonly<Record<string, readonly string[]>> = {
  clientType: ["confidential", "public", "trusted"],
  trustScope: ["Explicit", "Account", "Tags", "Default"],
  clientIPChecking: ["anywhere", "whitelisted"],
};

/**
 * "alphanumerics and _ only", the note on App `name` in
 * https://docs.oracle.com/en-us/iaas/Content/Identity/api-getstarted/CreateActivateOAuthClientApp.htm.
 */
const NAME_PATTERN = /^[A-Za-z0-9_]+$/;
const TEMPLATES_LAST_MODIFIED = Date.UTC(2024, 0, 1);

export function principalJson(principal: Principal, idcsUrl: string): Json {
  const collection = principal.type === "App" ? "Apps" : "Users";
  return {
    type: principal.type,
    value: principal.value,
    display: principal.display,
    $ref: `${idcsUrl}/admin/v1/${collection}/${principal.value}`,
    ...(principal.ocid ? { ocid: principal.ocid } : {}),
  };
}

export function appLocation(ctx: EmulatorContext, id: string): string {
  return `${ctx.info.idcsUrl}/admin/v1/Apps/${id}`;
}

/** The attributes identity domains fill on every resource. */
export function serverFields(
  ctx: EmulatorContext,
  resourceType: string,
  id: string,
  location: string,
  ocidType: string,
  principal: Principal,
  now: number,
): Json {
  const by = principalJson(principal, ctx.info.idcsUrl);
  return {
    id,
    ocid: newOcid(ocidType),
    meta: newMeta(resourceType, location, now),
    idcsCreatedBy: by,
    idcsLastModifiedBy: by,
    domainOcid: ctx.info.domainOcid,
    compartmentOcid: ctx.info.compartmentOcid,
    tenancyOcid: ctx.info.tenancyOcid,
  };
}

function isSecretHolder(resource: Json): boolean {
  const clientType = str(resource, "clientType");
  return resource.isOAuthClient === true && (clientType === "confidential" || clientType === "trusted");
}

function checkEnums(attributes: Json): void {
  for (const [key, allowed] of Object.entries(ENUMS)) {
    const value = attributes[key];
    if (value !== undefined && !allowed.includes(value as string)) {
      throw invalidValue(
        `Invalid value ${JSON.stringify(value)} for attribute "${key}". Allowed values: ${allowed.join(", ")}.`,
      );
    }
  }
}

function checkRequired(body: Json, attributes: Json, creating: boolean): void {
  const missing: string[] = [];
  if (body.schemas === undefined || body.schemas === null) missing.push("schemas");
  if (typeof attributes.displayName !== "string" || attributes.displayName.trim() === "")
    missing.push("displayName");
  const template = obj(attributes, "basedOnTemplate");
  if (creating && typeof template?.value !== "string") missing.push("basedOnTemplate");
  if (attributes.isOAuthClient === true && attributes.clientType === undefined) missing.push("clientType");
  if (missing.length > 0) throw missingAttributes(missing);
  checkSchemas(body, APP_SCHEMA);
}

function checkUnique(ctx: EmulatorContext, attributes: Json, selfId: string | undefined): void {
  const displayName = str(attributes, "displayName") ?? "";
  const byDisplayName = ctx.store.appByDisplayName(displayName);
  if (byDisplayName && str(byDisplayName.resource, "id") !== selfId) {
    throw new ScimError(409, `An App with displayName "${displayName}" already exists.`, "uniqueness");
  }
  const name = str(attributes, "name");
  const byName = name === undefined ? undefined : ctx.store.appByName(name);
  if (name !== undefined && byName && str(byName.resource, "id") !== selfId) {
    throw new ScimError(409, `An App with name "${name}" already exists.`, "uniqueness");
  }
}

/**
 * Each `allowedScopes[].fqs` must be a scope some resource app publishes; `idOfDefiningApp` is filled in.
 * Unknown fqs → 400 (behaviour inferred: https://github.com/oracle/terraform-provider-oci/issues/2542 shows a
 * 400 on such a create, without its cause).
 */
function resolveAllowedScopes(ctx: EmulatorContext, value: unknown): Json[] | undefined {
  if (value === undefined) return undefined;
  const seen = new Set<string>();
  const out: Json[] = [];
  for (const entry of value as Json[]) {
    const fqs = str(entry, "fqs");
    if (fqs === undefined) throw missingAttributes(["allowedScopes.fqs"]);
    if (seen.has(fqs)) continue;
    seen.add(fqs);
    const defining = ctx.store.definingApp(fqs);
    if (!defining) {
      throw invalidValue(
        `Invalid value for attribute "allowedScopes": "${fqs}" is not a scope published by any resource App.`,
      );
    }
    out.push({ fqs, idOfDefiningApp: str(defining.app.resource, "id"), readOnly: false });
  }
  return out;
}

/**
 * A resource app's own `scopes[]`: `fqs` = `audience` + `value`, no separator (oci-go-sdk
 * identitydomains/app.go, `Audience`).
 */
function resolvePublishedScopes(attributes: Json): Json[] | undefined {
  const scopes = attributes.scopes;
  if (scopes === undefined) return undefined;
  const audience = str(attributes, "audience");
  if (!audience) throw missingAttributes(["audience"]);
  return (scopes as Json[]).map((scope) => {
    const value = str(scope, "value");
    if (!value) throw missingAttributes(["scopes.value"]);
    return { requiresConsent: false, ...scope, fqs: `${audience}${value}` };
  });
}

/**
 * Server defaults. `active` defaults to false: unconfirmed, no public source shows whether a POST without it
 * starts inactive; the console's separate Activate step suggests so.
 */
function withDefaults(attributes: Json): Json {
  const out: Json = {
    active: false,
    isOAuthClient: false,
    isOAuthResource: false,
    isOPCService: false,
    meterAsOPCService: false,
    isAliasApp: false,
    isManagedApp: false,
    isUnmanagedApp: false,
    migrated: false,
    infrastructure: false,
    ...attributes,
  };
  if (out.isOAuthClient === true) {
    const trusted = out.clientType === "confidential" || out.clientType === "trusted";
    // "The trustScope value of Explicit is assigned by default"
    // (https://docs.oracle.com/en-us/iaas/Content/Identity/api-getstarted/Scopes.htm).
    if (trusted && out.trustScope === undefined) out.trustScope = "Explicit";
    if (out.clientIPChecking === undefined) out.clientIPChecking = "anywhere";
    if (out.accessTokenExpiry === undefined) out.accessTokenExpiry = 3600;
    if (out.allowedGrants === undefined) out.allowedGrants = [];
  }
  return out;
}

function normalisedTemplate(ctx: EmulatorContext, attributes: Json): Json {
  const template = obj(attributes, "basedOnTemplate") ?? {};
  const value = str(template, "value") ?? "";
  // Own keys only: "constructor" or "toString" are not templates.
  if (!Object.hasOwn(APP_TEMPLATES, value)) {
    throw invalidValue(
      `Invalid value "${value}" for attribute "basedOnTemplate.value". Allowed values: ${Object.keys(APP_TEMPLATES).join(", ")}.`,
    );
  }
  return {
    value,
    wellKnownId: APP_TEMPLATES[value],
    $ref: `${ctx.info.idcsUrl}/admin/v1/AppTemplates/${value}`,
    lastModified: timestamp(TEMPLATES_LAST_MODIFIED),
  };
}

function scopeTimes(
  allowedScopes: unknown,
  previous: Map<string, number> | undefined,
  now: number,
): Map<string, number> {
  const times = new Map<string, number>();
  for (const scope of Array.isArray(allowedScopes) ? (allowedScopes as Json[]) : []) {
    const fqs = str(scope, "fqs") ?? "";
    times.set(fqs, previous?.get(fqs) ?? now);
  }
  return times;
}

export function createAppRecord(ctx: EmulatorContext, body: Json, principal: Principal): AppRecord {
  checkTypes(body, APP_SCHEMA);
  const attributes = writableAttributes(body, APP_SCHEMA);
  checkRequired(body, attributes, true);
  checkEnums(attributes);
  const name = attributes.name;
  if (name !== undefined && !NAME_PATTERN.test(name as string)) {
    throw invalidValue(
      `Invalid value ${JSON.stringify(name)} for attribute "name": only letters, digits and _ are allowed.`,
    );
  }
  const basedOnTemplate = normalisedTemplate(ctx, attributes);
  checkUnique(ctx, attributes, undefined);
  const now = ctx.now();
  const id = newResourceId();
  const allowedScopes = resolveAllowedScopes(ctx, attributes.allowedScopes);
  const scopes = resolvePublishedScopes(attributes);
  const server = serverFields(ctx, "App", id, appLocation(ctx, id), "domainapp", principal, now);
  const resource: Json = {
    schemas: [APP_SCHEMA_URN],
    ...server,
    ...withDefaults(attributes),
    name: name ?? newResourceId(),
    basedOnTemplate,
    ...(allowedScopes ? { allowedScopes } : {}),
    ...(scopes ? { scopes } : {}),
  };
  // The server's own values win over anything sent (e.g. an `ocid`, immutable but server-generated).
  Object.assign(resource, server);
  if (Array.isArray(body.schemas))
    resource.schemas = [...new Set([APP_SCHEMA_URN, ...(body.schemas as string[])])];
  if (isSecretHolder(resource)) resource.clientSecret = newClientSecret();
  return {
    resource,
    activeSince: resource.active === true ? now : undefined,
    scopeAddedAt: scopeTimes(allowedScopes, undefined, now),
    origin: "api",
  };
}

/** Server-owned attributes a replace keeps: readOnly ones and immutable ones already set. */
function keptOnReplace(stored: Json): Json {
  const kept: Json = {};
  for (const [key, value] of Object.entries(stored)) {
    const info = APP_SCHEMA.get(key);
    if (info && (info.mutability === "readOnly" || info.mutability === "immutable")) kept[key] = value;
  }
  return kept;
}

/**
 * PUT: a full replace (RFC 7644 §3.5.1). Omitted readWrite attributes return to their defaults (the RFC
 * allows either).
 */
export function replaceAppRecord(
  ctx: EmulatorContext,
  record: AppRecord,
  body: Json,
  principal: Principal,
): void {
  checkTypes(body, APP_SCHEMA);
  const attributes = writableAttributes(body, APP_SCHEMA);
  checkRequired(body, attributes, false);
  checkEnums(attributes);
  checkImmutable(attributes, record.resource, APP_SCHEMA);
  checkUnique(ctx, attributes, str(record.resource, "id"));
  const now = ctx.now();
  const allowedScopes = resolveAllowedScopes(ctx, attributes.allowedScopes);
  const scopes = resolvePublishedScopes(attributes);
  const kept = keptOnReplace(record.resource);
  const resource: Json = {
    // `kept` first for the attribute order of the answer, last so that its values win.
    ...kept,
    ...withDefaults(attributes),
    ...kept,
    schemas: [...new Set([APP_SCHEMA_URN, ...((body.schemas as string[] | undefined) ?? [])])],
    idcsLastModifiedBy: principalJson(principal, ctx.info.idcsUrl),
    ...(allowedScopes ? { allowedScopes } : {}),
    ...(scopes ? { scopes } : {}),
  };
  if (!allowedScopes) delete resource.allowedScopes;
  if (!scopes) delete resource.scopes;
  if (isSecretHolder(resource))
    resource.clientSecret = str(record.resource, "clientSecret") ?? newClientSecret();
  else delete resource.clientSecret;
  touch(resource, now);
  const wasActive = record.resource.active === true;
  record.resource = resource;
  record.activeSince = resource.active === true ? (wasActive ? record.activeSince : now) : undefined;
  record.scopeAddedAt = scopeTimes(allowedScopes, record.scopeAddedAt, now);
}

/** `PUT /AppStatusChanger/{id}` and PATCH of `active`: (de)activation restarts the app's propagation clock. */
export function setActive(
  ctx: EmulatorContext,
  record: AppRecord,
  active: boolean,
  principal: Principal,
): void {
  const now = ctx.now();
  const wasActive = record.resource.active === true;
  record.resource.active = active;
  record.resource.idcsLastModifiedBy = principalJson(principal, ctx.info.idcsUrl);
  touch(record.resource, now);
  record.activeSince = active ? (wasActive ? record.activeSince : now) : undefined;
}

export function appIdOf(record: AppRecord): string {
  return str(record.resource, "id") ?? "";
}
