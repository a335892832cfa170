/**
 * The OCI provider's side of a deployment, done against a real identity domain API (the emulator): each
 * `DomainsApp` / `DomainsGrant` registration becomes the SCIM call that terraform-provider-oci makes for it,
 * and each data source the GET it makes, signed with an OCI API key, retried as the provider retries
 * (`retryPolicy.ts`). Sources: terraform-provider-oci v8.23.0 `internal/service/identity_domains/`
 * (`identity_domains_app_resource.go`, `identity_domains_grant_resource.go`, the paging loop of
 * `identity_domains_app_roles_data_source.go`) and `internal/service/integration/` (the instance read).
 */
import { isHttpError, type HttpResponse } from "../../../components/http";
import type { SignedClient } from "../../../components/signing";
import { attemptsOf, withProviderRetries, type ProviderRetryOptions } from "./retryingClient";
import { toJsonBody, toPulumiShape, type JsonObject } from "./translate";

export const OCI_TOKENS = {
  app: "oci:Identity/domainsApp:DomainsApp",
  grant: "oci:Identity/domainsGrant:DomainsGrant",
  getApp: "oci:Identity/getDomainsApp:getDomainsApp",
  getAppRoles: "oci:Identity/getDomainsAppRoles:getDomainsAppRoles",
  getIntegrationInstance: "oci:Integration/getIntegrationInstance:getIntegrationInstance",
} as const;

/** Resource nested objects that TF declares `MaxItems: 1`, which the bridge keeps as objects. */
const APP_OBJECTS: ReadonlySet<string> = new Set([
  "basedOnTemplate",
  "appSignonPolicy",
  "asOpcService",
  "idpPolicy",
  "radiusPolicy",
  "samlServiceProvider",
  "signonPolicy",
  "termsOfUse",
]);
const GRANT_OBJECTS: ReadonlySet<string> = new Set([
  "app",
  "appEntitlementCollection",
  "entitlement",
  "grantee",
]);

/** Arguments that configure the call rather than travel in the body (TF `identity_domains_app_resource.go`). */
const NOT_IN_BODY: ReadonlySet<string> = new Set([
  "idcsEndpoint",
  "attributeSets",
  "attributes",
  "authorization",
  "resourceTypeSchemaVersion",
  "forceDelete",
]);

type Inputs = Readonly<Record<string, unknown>>;

export interface ProviderResult {
  readonly id: string;
  readonly state: Record<string, unknown>;
}

/** A failed provider call, phrased as the OCI provider reports a service error (oci-go-sdk `common/errors.go`). */
export class OciProviderError extends Error {
  override readonly name = "OciProviderError";
}

function stringInput(inputs: Inputs, key: string, token: string): string {
  const value = inputs[key];
  if (typeof value !== "string" || value === "") {
    throw new OciProviderError(`${token}: the required argument "${key}" is missing`);
  }
  return value;
}

/** `attributeSets=all&attributeSets=default` as the Go SDK sends them (collectionFormat multi), and `attributes`. */
function attributeQuery(inputs: Inputs): URLSearchParams {
  const query = new URLSearchParams();
  const sets = inputs["attributeSets"];
  if (Array.isArray(sets)) for (const set of sets) query.append("attributeSets", String(set));
  if (typeof inputs["attributes"] === "string" && inputs["attributes"] !== "") {
    query.set("attributes", inputs["attributes"]);
  }
  return query;
}

function withQuery(url: string, query: URLSearchParams): string {
  const text = query.toString();
  return text === "" ? url : `${url}?${text}`;
}

/** A resource's state as Pulumi keeps it: its id is the resource's id, not one of its properties. */
function stateOf(
  inputs: Inputs,
  resource: JsonObject,
  objects: ReadonlySet<string>,
): Record<string, unknown> {
  const { id: _id, ...state } = toPulumiShape(resource, objects);
  return { ...inputs, ...state };
}

function idOf(resource: JsonObject): string {
  const id = resource["id"];
  if (typeof id !== "string")
    throw new OciProviderError("the identity domain answered a resource without an id");
  return id;
}

/** The operation each answer belongs to, so that a broken body can be reported with the call that got it. */
const operations = new WeakMap<HttpResponse, string>();

/** `CreateApp (POST https://…/admin/v1/Apps)`: the call, as every message of this provider names it. */
function callName(operation: string | undefined, method: string, url: string): string {
  const request = `${method} ${url.split("?")[0] ?? url}`;
  return operation === undefined ? request : `${operation} (${request})`;
}

/**
 * The answer's JSON object. A truncated or malformed body is an error naming the call; it is not retried, as the
 * SDK does not retry a 2xx it cannot unmarshal. Nothing of the body is quoted: a create's answer holds a secret.
 */
function parse(response: HttpResponse): JsonObject {
  let parsed: unknown;
  try {
    parsed = JSON.parse(response.body);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new OciProviderError(
      `${callName(operations.get(response), response.method, response.url)}: the answer (HTTP ${response.status}, ${Buffer.byteLength(response.body)} bytes) is not a JSON object; it may be truncated or malformed`,
    );
  }
  return parsed as JsonObject;
}

/**
 * The Go SDK's rendering of an error answer (oci-go-sdk `common/errors.go`): the service, the status and the
 * body's `code` (SCIM bodies have none, hence `BadErrorResponse`), then its `message`, or the SCIM `detail`, which
 * a real run only shows in debug logs.
 */
function serviceError(service: string, status: number, body: string): string {
  let parsed: { code?: unknown; message?: unknown; detail?: unknown } = {};
  try {
    const value: unknown = JSON.parse(body);
    if (typeof value === "object" && value !== null) parsed = value;
  } catch {
    // Not JSON: the status says it all.
  }
  const code = typeof parsed.code === "string" && parsed.code !== "" ? parsed.code : "BadErrorResponse";
  const text =
    typeof parsed.message === "string"
      ? ` Message: ${parsed.message}`
      : typeof parsed.detail === "string"
        ? ` Detail: ${parsed.detail}`
        : "";
  return `Error returned by ${service} Service. Http Status Code: ${status}. Error Code: ${code}.${text}`;
}

function afterAttempts(count: number): string {
  return count > 1 ? ` (after ${count} attempts)` : "";
}

/**
 * Sends the call through the retrying client; the last answer, if not a success, or the last transport error
 * becomes an error naming the call and how many attempts it took.
 */
async function call(
  client: SignedClient,
  operation: string,
  request: Parameters<SignedClient["request"]>[0],
  accept404 = false,
): Promise<HttpResponse> {
  const name = callName(operation, request.method, request.url);
  const response = await client.request({ ...request, acceptStatus: () => true }).catch((error: unknown) => {
    // The HTTP layer's message starts with the method and URL, which `name` already gives.
    const reason = isHttpError(error)
      ? error.message.replace(`${error.method} ${error.url} failed: `, "")
      : error instanceof Error
        ? error.message
        : String(error);
    throw new OciProviderError(`${name}: ${reason}${afterAttempts(attemptsOf(error))}`);
  });
  operations.set(response, operation);
  const ok = (response.status >= 200 && response.status < 300) || (accept404 && response.status === 404);
  if (!ok) {
    const service = new URL(request.url).pathname.startsWith("/20190131/")
      ? "IntegrationInstance"
      : "IdentityDomains";
    throw new OciProviderError(
      `${name}: ${serviceError(service, response.status, response.body)}${afterAttempts(attemptsOf(response))}`,
    );
  }
  return response;
}

/** The configured app with the computed parts of its nested arguments taken from the state, as PutApp sends it. */
function withComputedFromState(news: Inputs, olds: Inputs): Record<string, unknown> {
  const out: Record<string, unknown> = { ...news };
  const oldScopes = Array.isArray(olds["allowedScopes"]) ? (olds["allowedScopes"] as Inputs[]) : [];
  if (Array.isArray(news["allowedScopes"])) {
    out["allowedScopes"] = (news["allowedScopes"] as Inputs[]).map((scope) => {
      const known = oldScopes.find((old) => old["fqs"] === scope["fqs"]);
      return known === undefined
        ? scope
        : { idOfDefiningApp: known["idOfDefiningApp"], readOnly: known["readOnly"], ...scope };
    });
  }
  const oldTemplate = olds["basedOnTemplate"];
  if (
    typeof news["basedOnTemplate"] === "object" &&
    typeof oldTemplate === "object" &&
    oldTemplate !== null
  ) {
    out["basedOnTemplate"] = { ref: (oldTemplate as Inputs)["ref"], ...(news["basedOnTemplate"] as Inputs) };
  }
  return out;
}

/**
 * A data source's answer for a missing object: the provider swallows the 404 (terraform-provider-oci
 * internal/tfresource/errors.go handleMissingResourceError), empties the id, and the bridge returns the arguments
 * with no error.
 */
function missing(inputs: Inputs): Record<string, unknown> {
  return { ...inputs, id: "" };
}

export interface EmulatedProviderOptions {
  /** Signs every call with the deployer's API key. */
  readonly client: SignedClient;
  /** Where `GET /20190131/integrationInstances/{id}` goes (the OCI Integration control plane). */
  readonly integrationEndpoint: string;
  /** The provider's retries: its own budgets by default; tests shorten them and inject a clock. */
  readonly retry?: ProviderRetryOptions;
}

export function emulatedOciProvider(options: EmulatedProviderOptions) {
  const client = withProviderRetries(options.client, options.retry);

  async function createApp(inputs: Inputs): Promise<ProviderResult> {
    const endpoint = stringInput(inputs, "idcsEndpoint", OCI_TOKENS.app);
    const response = await call(client, "CreateApp", {
      method: "POST",
      url: withQuery(`${endpoint}/admin/v1/Apps`, attributeQuery(inputs)),
      body: toJsonBody(inputs, NOT_IN_BODY),
    });
    const created = parse(response);
    return { id: idOf(created), state: stateOf(inputs, created, APP_OBJECTS) };
  }

  async function createGrant(inputs: Inputs): Promise<ProviderResult> {
    const endpoint = stringInput(inputs, "idcsEndpoint", OCI_TOKENS.grant);
    const response = await call(client, "CreateGrant", {
      method: "POST",
      url: withQuery(`${endpoint}/admin/v1/Grants`, attributeQuery(inputs)),
      body: toJsonBody(inputs, NOT_IN_BODY),
    });
    const created = parse(response);
    return { id: idOf(created), state: stateOf(inputs, created, GRANT_OBJECTS) };
  }

  /** TF Delete: `DELETE /Apps/{id}?forceDelete=<bool>` with no deactivation first; a 404 counts as gone. */
  async function deleteApp(id: string, state: Inputs): Promise<void> {
    const endpoint = stringInput(state, "idcsEndpoint", OCI_TOKENS.app);
    const force = state["forceDelete"] === true;
    await call(
      client,
      "DeleteApp",
      { method: "DELETE", url: `${endpoint}/admin/v1/Apps/${encodeURIComponent(id)}?forceDelete=${force}` },
      true,
    );
  }

  async function deleteGrant(id: string, state: Inputs): Promise<void> {
    const endpoint = stringInput(state, "idcsEndpoint", OCI_TOKENS.grant);
    await call(
      client,
      "DeleteGrant",
      { method: "DELETE", url: `${endpoint}/admin/v1/Grants/${encodeURIComponent(id)}` },
      true,
    );
  }

  async function getApp(inputs: Inputs): Promise<Record<string, unknown>> {
    const endpoint = stringInput(inputs, "idcsEndpoint", OCI_TOKENS.getApp);
    const appId = stringInput(inputs, "appId", OCI_TOKENS.getApp);
    const response = await call(
      client,
      "GetApp",
      {
        method: "GET",
        url: withQuery(`${endpoint}/admin/v1/Apps/${encodeURIComponent(appId)}`, attributeQuery(inputs)),
      },
      true,
    );
    if (response.status === 404) return missing(inputs);
    return { ...inputs, ...toPulumiShape(parse(response)) };
  }

  /** The provider's loop: `for startIndex+itemsPerPage <= totalResults { startIndex += itemsPerPage }`. */
  async function getAppRoles(inputs: Inputs): Promise<Record<string, unknown>> {
    const endpoint = stringInput(inputs, "idcsEndpoint", OCI_TOKENS.getAppRoles);
    const query = attributeQuery(inputs);
    if (typeof inputs["appRoleFilter"] === "string") query.set("filter", inputs["appRoleFilter"]);
    if (typeof inputs["appRoleCount"] === "number") query.set("count", String(inputs["appRoleCount"]));
    const roles: Record<string, unknown>[] = [];
    let startIndex = 1;
    let page: JsonObject;
    for (;;) {
      query.set("startIndex", String(startIndex));
      page = parse(
        await call(client, "ListAppRoles", {
          method: "GET",
          url: withQuery(`${endpoint}/admin/v1/AppRoles`, query),
        }),
      );
      const resources = Array.isArray(page["Resources"]) ? page["Resources"] : [];
      for (const role of resources) roles.push(toPulumiShape(role as JsonObject));
      const perPage = Number(page["itemsPerPage"]);
      const total = Number(page["totalResults"]);
      if (!(perPage > 0) || startIndex + perPage > total) break;
      startIndex += perPage;
    }
    return {
      ...inputs,
      id: `AppRoles${JSON.stringify(inputs["appRoleFilter"] ?? "")}`,
      appRoles: roles,
      totalResults: Number(page["totalResults"]),
      itemsPerPage: Number(page["itemsPerPage"]),
      startIndex: Number(page["startIndex"]),
      schemas: page["schemas"] ?? [],
    };
  }

  async function getIntegrationInstance(inputs: Inputs): Promise<Record<string, unknown>> {
    const id = stringInput(inputs, "integrationInstanceId", OCI_TOKENS.getIntegrationInstance);
    const response = await call(
      client,
      "GetIntegrationInstance",
      {
        method: "GET",
        url: `${options.integrationEndpoint}/20190131/integrationInstances/${encodeURIComponent(id)}`,
      },
      true,
    );
    if (response.status === 404) return missing(inputs);
    return { ...inputs, ...toPulumiShape(parse(response)) };
  }

  /** TF Read (refresh, import): `GET /<Resource>/{id}` with the attribute query; a 404 means it is gone. */
  async function readResource(
    token: string,
    operation: string,
    collection: "Apps" | "Grants",
    objects: ReadonlySet<string>,
    id: string,
    state: Inputs,
  ): Promise<Record<string, unknown> | undefined> {
    const endpoint = stringInput(state, "idcsEndpoint", token);
    const url = withQuery(
      `${endpoint}/admin/v1/${collection}/${encodeURIComponent(id)}`,
      attributeQuery(state),
    );
    const response = await call(client, operation, { method: "GET", url }, true);
    if (response.status === 404) return undefined;
    return stateOf(state, parse(response), objects);
  }

  const readApp = (id: string, state: Inputs) =>
    readResource(OCI_TOKENS.app, "GetApp", "Apps", APP_OBJECTS, id, state);
  const readGrant = (id: string, state: Inputs) =>
    readResource(OCI_TOKENS.grant, "GetGrant", "Grants", GRANT_OBJECTS, id, state);

  /**
   * TF Update: a full `PUT /Apps/{id}` (PutApp) of the configuration, re-sending the Optional + Computed values
   * the state holds (`allowedScopes[].idOfDefiningApp` and `readOnly`, `basedOnTemplate.$ref`) and never `name`
   * (identity_domains_app_resource.go `Update`).
   */
  async function updateApp(id: string, olds: Inputs, news: Inputs): Promise<Record<string, unknown>> {
    const endpoint = stringInput(news, "idcsEndpoint", OCI_TOKENS.app);
    const body = toJsonBody(withComputedFromState(news, olds), NOT_IN_BODY);
    delete body["name"];
    const response = await call(client, "PutApp", {
      method: "PUT",
      url: withQuery(`${endpoint}/admin/v1/Apps/${encodeURIComponent(id)}`, attributeQuery(news)),
      body,
    });
    return stateOf(news, parse(response), APP_OBJECTS);
  }

  return {
    createApp,
    createGrant,
    deleteApp,
    deleteGrant,
    getApp,
    getAppRoles,
    getIntegrationInstance,
    readApp,
    readGrant,
    updateApp,
  };
}

export type EmulatedOciProvider = ReturnType<typeof emulatedOciProvider>;
