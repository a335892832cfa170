/**
 * SCIM list paging and the ListResponse envelope
 * (https://docs.oracle.com/en-us/iaas/Content/Identity/api-getstarted/OCISResponseBody.htm). All five fields
 * are always present: the OCI SDKs mark them mandatory and the Terraform data sources loop on
 * `startIndex + itemsPerPage <= totalResults`. `itemsPerPage` is the page size asked for (or 50), not the
 * number of resources returned.
 */
import { invalidValue, ScimError } from "./errors";
import { type ResourceSchema, LIST_RESPONSE_SCHEMA_URN } from "./schema";

type Json = Record<string, unknown>;

export const DEFAULT_COUNT = 50;
/** "count … max 1000" (oci-go-sdk identitydomains/list_apps_request_response.go). */
export const MAX_COUNT = 1000;

export interface Paging {
  readonly startIndex: number;
  readonly count: number;
}

function integer(name: string, raw: string): number {
  if (!/^[-+]?\d+$/.test(raw.trim()))
    throw invalidValue(`Invalid value "${raw}" for ${name}: expected an integer.`);
  return Number(raw);
}

/**
 * `startIndex` < 1 counts as 1 and a negative `count` as 50
 * (https://docs.oracle.com/en-us/iaas/Content/Identity/api-getstarted/OCISQueryParameters.htm).
 */
export function parsePaging(startIndex: string | null | undefined, count: string | null | undefined): Paging {
  const start =
    startIndex === null || startIndex === undefined || startIndex === ""
      ? 1
      : integer("startIndex", startIndex);
  const size =
    count === null || count === undefined || count === "" ? DEFAULT_COUNT : integer("count", count);
  return {
    startIndex: start < 1 ? 1 : start,
    count: size < 0 ? DEFAULT_COUNT : Math.min(size, MAX_COUNT),
  };
}

function sortKey(resource: Json, path: string): unknown {
  let value: unknown = resource;
  for (const part of path.split(".")) {
    if (Array.isArray(value)) value = value[0];
    if (typeof value !== "object" || value === null) return undefined;
    const entry = Object.entries(value).find(([key]) => key.toLowerCase() === part.toLowerCase());
    value = entry?.[1];
  }
  return Array.isArray(value) ? value[0] : value;
}

/** `sortBy` / `sortOrder` (default ascending); resources without the attribute come last. */
export function sortResources(
  resources: readonly Json[],
  sortBy: string | null | undefined,
  sortOrder: string | null | undefined,
  schema: ResourceSchema,
): Json[] {
  const sorted = [...resources];
  if (!sortBy) return sorted;
  const info = schema.get(sortBy);
  if (!info)
    throw new ScimError(
      400,
      `Invalid sortBy "${sortBy}": not an attribute of ${schema.resourceType}.`,
      "invalidValue",
    );
  const order = (sortOrder ?? "ascending").toLowerCase();
  if (order !== "ascending" && order !== "descending") {
    throw invalidValue(`Invalid sortOrder "${sortOrder}". Allowed values: ascending, descending.`);
  }
  const direction = order === "ascending" ? 1 : -1;
  const normalise = (value: unknown): unknown =>
    typeof value === "string" && !info.caseExact ? value.toLowerCase() : value;
  sorted.sort((a, b) => {
    const x = normalise(sortKey(a, info.path));
    const y = normalise(sortKey(b, info.path));
    if (x === undefined || x === null) return y === undefined || y === null ? 0 : 1;
    if (y === undefined || y === null) return -1;
    if (typeof x === "number" && typeof y === "number") return (x - y) * direction;
    const sx = typeof x === "string" ? x : JSON.stringify(x);
    const sy = typeof y === "string" ? y : JSON.stringify(y);
    return sx < sy ? -direction : sx > sy ? direction : 0;
  });
  return sorted;
}

export function listResponse(all: readonly Json[], paging: Paging): Json {
  return {
    schemas: [LIST_RESPONSE_SCHEMA_URN],
    totalResults: all.length,
    Resources: all.slice(paging.startIndex - 1, paging.startIndex - 1 + paging.count),
    startIndex: paging.startIndex,
    itemsPerPage: paging.count,
  };
}
