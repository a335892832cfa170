/**
 * One list pipeline for Apps, AppRoles and Grants: filter, sort, page, project. Serves both
 * `GET /admin/v1/<Resource>?filter=…` and `POST /admin/v1/<Resource>/.search`
 * (https://docs.oracle.com/en-us/iaas/Content/Identity/api-getstarted/OCISQueryParameters.htm).
 */
import { jsonReply, type EmuRequest, type Reply } from "../http";
import { invalidValue } from "../scim/errors";
import { parseProjection, project } from "../scim/attributes";
import { compileFilter, matches } from "../scim/filterEval";
import { listResponse, parsePaging, sortResources } from "../scim/listResponse";
import { type ResourceSchema, SEARCH_REQUEST_SCHEMA_URN } from "../scim/schema";
import { type Json } from "../store";

export interface ListQuery {
  readonly filter: string | undefined;
  readonly sortBy: string | undefined;
  readonly sortOrder: string | undefined;
  readonly startIndex: string | undefined;
  readonly count: string | undefined;
  readonly attributes: readonly string[];
  readonly attributeSets: readonly string[];
}

export function list(all: readonly Json[], query: ListQuery, schema: ResourceSchema): Reply {
  const projection = parseProjection(query.attributes, query.attributeSets, schema);
  const paging = parsePaging(query.startIndex, query.count);
  const filter = query.filter === undefined ? undefined : compileFilter(query.filter, schema);
  const selected = filter ? all.filter((resource) => matches(filter, resource, schema)) : [...all];
  const sorted = sortResources(selected, query.sortBy, query.sortOrder, schema);
  const body = listResponse(sorted, paging);
  body.Resources = (body.Resources as Json[]).map((resource) => project(resource, projection, schema));
  return jsonReply(200, body);
}

export function queryFromUrl(request: EmuRequest): ListQuery {
  const one = (name: string): string | undefined => request.query.get(name) ?? undefined;
  return {
    filter: one("filter"),
    sortBy: one("sortBy"),
    sortOrder: one("sortOrder"),
    startIndex: one("startIndex"),
    count: one("count"),
    attributes: request.query.getAll("attributes"),
    attributeSets: request.query.getAll("attributeSets"),
  };
}

function optionalString(body: Json, key: string): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === "number" && (key === "startIndex" || key === "count")) return String(value);
  if (typeof value !== "string") throw invalidValue(`SearchRequest attribute "${key}" has an invalid value.`);
  return value;
}

function stringList(body: Json, key: string): string[] {
  const value = body[key];
  if (value === undefined || value === null) return [];
  if (Array.isArray(value) && value.every((item) => typeof item === "string")) return value;
  if (typeof value === "string") return [value];
  throw invalidValue(`SearchRequest attribute "${key}" must be an array of strings.`);
}

/** The body of `POST …/.search` (oci-go-sdk identitydomains `SearchRequest`). */
export function queryFromSearchBody(body: Json): ListQuery {
  const schemas = body.schemas;
  if (!Array.isArray(schemas) || !schemas.includes(SEARCH_REQUEST_SCHEMA_URN)) {
    throw invalidValue(`Attribute "schemas" must contain "${SEARCH_REQUEST_SCHEMA_URN}".`);
  }
  return {
    filter: optionalString(body, "filter"),
    sortBy: optionalString(body, "sortBy"),
    sortOrder: optionalString(body, "sortOrder"),
    startIndex: optionalString(body, "startIndex"),
    count: optionalString(body, "count"),
    attributes: stringList(body, "attributes"),
    attributeSets: stringList(body, "attributeSets"),
  };
}
