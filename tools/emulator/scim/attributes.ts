/**
 * `attributes` and `attributeSets`
 * (https://docs.oracle.com/en-us/iaas/Content/Identity/api-getstarted/OCISQueryParameters.htm): which
 * attributes a response carries.
 * - neither: `always` + `default` attributes;
 * - `attributes=a,b`: `always` + the named ones (a named sub-attribute brings its parent with only that part);
 * - `attributeSets=all|always|default|request|never`, case-insensitive, comma-separated or repeated (the OCI
 *   SDKs repeat the parameter): the union of those sets, plus `attributes` when both are given.
 * `never` attributes are never returned; `always` ones always are, sub-attributes included.
 */
import { invalidValue } from "./errors";
import { type Returned, type ResourceSchema } from "./schema";

type Json = Record<string, unknown>;

const ATTRIBUTE_SETS = ["all", "always", "never", "request", "default"] as const;
export type AttributeSet = (typeof ATTRIBUTE_SETS)[number];

export interface Projection {
  /** Lower-cased attribute paths named in `attributes`. */
  readonly attributes: ReadonlySet<string>;
  readonly attributeSets: ReadonlySet<AttributeSet>;
}

/** Both the comma-separated and the repeated form, merged. */
export function listParam(values: readonly string[]): string[] {
  return values
    .flatMap((value) => value.split(","))
    .map((value) => value.trim())
    .filter((value) => value !== "");
}

export function parseProjection(
  attributes: readonly string[],
  attributeSets: readonly string[],
  schema: ResourceSchema,
): Projection {
  const sets = new Set<AttributeSet>();
  for (const raw of listParam(attributeSets)) {
    const set = raw.toLowerCase();
    if (!(ATTRIBUTE_SETS as readonly string[]).includes(set)) {
      throw invalidValue(
        `Invalid attributeSets value "${raw}". Allowed values: ${ATTRIBUTE_SETS.join(", ")}.`,
      );
    }
    sets.add(set as AttributeSet);
  }
  const names = new Set(listParam(attributes).map((name) => schema.stripUrn(name).toLowerCase()));
  return { attributes: names, attributeSets: sets };
}

function setIncludes(projection: Projection, returned: Returned): boolean {
  const sets = projection.attributeSets;
  if (returned === "never") return false;
  if (returned === "always") return true;
  if (sets.has("all")) return true;
  if (returned === "default") {
    return sets.has("default") || (sets.size === 0 && projection.attributes.size === 0);
  }
  return sets.has("request");
}

function projectComplex(
  value: unknown,
  parent: string,
  projection: Projection,
  schema: ResourceSchema,
): unknown {
  const project = (item: unknown): unknown => {
    if (typeof item !== "object" || item === null || Array.isArray(item)) return item;
    const out: Json = {};
    const namedParent = projection.attributes.has(parent.toLowerCase());
    for (const [key, sub] of Object.entries(item as Json)) {
      const info = schema.get(`${parent}.${key}`);
      const returned: Returned = info?.returned ?? "default";
      const named = projection.attributes.has(`${parent}.${key}`.toLowerCase());
      if (named || (returned === "default" && namedParent) || setIncludes(projection, returned))
        out[key] = sub;
    }
    return out;
  };
  return Array.isArray(value) ? value.map(project) : project(value);
}

function hasNamedSubAttribute(projection: Projection, parent: string): boolean {
  const prefix = `${parent.toLowerCase()}.`;
  for (const name of projection.attributes) if (name.startsWith(prefix)) return true;
  return false;
}

/** A copy of `resource` with only the attributes the projection asks for. */
export function project(resource: Json, projection: Projection, schema: ResourceSchema): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(resource)) {
    if (key.startsWith("urn:")) {
      // Schema extensions (e.g. OCITags) are returned by default like the core attributes.
      if (setIncludes(projection, "default") || projection.attributes.has(key.toLowerCase()))
        out[key] = value;
      continue;
    }
    const info = schema.get(key);
    const returned: Returned = info?.returned ?? "default";
    const named = projection.attributes.has(key.toLowerCase());
    const namedSub = hasNamedSubAttribute(projection, key);
    if (named || namedSub || setIncludes(projection, returned)) {
      out[key] = info?.type === "complex" ? projectComplex(value, info.path, projection, schema) : value;
    } else if (
      info?.type === "complex" &&
      schema.subAttributes(info.path).some((sub) => sub.returned === "always")
    ) {
      // A sub-attribute marked `returned: always` (AppRole app.value, App basedOnTemplate.value) comes back
      // whatever was asked, inside its parent and without the parent's other sub-attributes.
      const always = projectComplex(value, info.path, projection, schema);
      if (JSON.stringify(always) !== "{}" && JSON.stringify(always) !== "[]") out[key] = always;
    }
  }
  return out;
}
