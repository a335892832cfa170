/**
 * Request-body checks driven by the resource schema: types of known attributes, and which attributes a
 * client may write. Unknown attributes are tolerated and dropped (clients such as the OCI provider send
 * fields the emulator does not model); `urn:` schema extensions are kept as sent.
 */
import { invalidValue, ScimError } from "./errors";
import { type AttributeInfo, type ResourceSchema } from "./schema";

type Json = Record<string, unknown>;

function typeMatches(value: unknown, type: string): boolean {
  switch (type) {
    case "boolean":
      return typeof value === "boolean";
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "decimal":
      return typeof value === "number";
    case "complex":
      return typeof value === "object" && value !== null && !Array.isArray(value);
    default:
      return typeof value === "string";
  }
}

function describeType(info: AttributeInfo): string {
  const single =
    info.type === "complex" ? "an object" : info.type === "reference" ? "a string" : `a ${info.type}`;
  return info.multiValued ? `an array of ${single.replace(/^an? /, "")} values` : single;
}

/** 400 `invalidValue` when a known attribute (or a known sub-attribute) has the wrong JSON type. */
export function checkTypes(body: Json, schema: ResourceSchema, parent?: string): void {
  for (const [key, value] of Object.entries(body)) {
    if (value === null || key.startsWith("urn:")) continue;
    const info = schema.get(parent ? `${parent}.${key}` : key);
    if (!info) continue;
    const values = info.multiValued ? value : [value];
    if (!Array.isArray(values) || !values.every((item) => typeMatches(item, info.type))) {
      throw invalidValue(`Attribute "${info.path}" must be ${describeType(info)}.`);
    }
    if (info.type === "complex" && !parent) {
      for (const item of values) checkTypes(item as Json, schema, info.path);
    }
  }
}

/** Drops sub-attributes the client may not write (readOnly) from a complex value. */
function writableComplex(value: unknown, parent: string, schema: ResourceSchema): unknown {
  const strip = (item: unknown): unknown => {
    if (typeof item !== "object" || item === null || Array.isArray(item)) return item;
    const out: Json = {};
    for (const [key, sub] of Object.entries(item as Json)) {
      if (schema.get(`${parent}.${key}`)?.mutability !== "readOnly") out[key] = sub;
    }
    return out;
  };
  return Array.isArray(value) ? value.map(strip) : strip(value);
}

/**
 * The attributes of `body` a client may set, in their canonical spelling: readWrite, writeOnly and immutable
 * ones (immutable: only on create, see `checkImmutable`), and `urn:` extensions. Null means "not given".
 */
export function writableAttributes(body: Json, schema: ResourceSchema): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(body)) {
    if (value === null || value === undefined) continue;
    if (key.startsWith("urn:")) {
      out[key] = value;
      continue;
    }
    const info = schema.get(key);
    if (!info || info.path.includes(".") || info.mutability === "readOnly") continue;
    out[info.path] = info.type === "complex" ? writableComplex(value, info.path, schema) : value;
  }
  return out;
}

function sameValue(sent: unknown, stored: unknown): boolean {
  if (typeof sent === "object" && sent !== null && !Array.isArray(sent)) {
    if (typeof stored !== "object" || stored === null) return false;
    // Providers send unset optional sub-attributes as "" or null (e.g. basedOnTemplate.wellKnownId): not a change.
    return Object.entries(sent as Json).every(
      ([key, value]) => value === "" || value === null || sameValue(value, (stored as Json)[key]),
    );
  }
  return JSON.stringify(sent) === JSON.stringify(stored);
}

/** RFC 7644 §3.5.1: an immutable attribute sent in a replace must equal the stored value (400 mutability). */
export function checkImmutable(writable: Json, stored: Json, schema: ResourceSchema): void {
  for (const [key, value] of Object.entries(writable)) {
    const info = schema.get(key);
    if (info?.mutability !== "immutable" || stored[key] === undefined) continue;
    if (!sameValue(value, stored[key])) {
      throw new ScimError(400, `Attribute "${info.path}" is immutable and cannot be changed.`, "mutability");
    }
  }
}

/** `schemas` must be an array naming the resource's core schema. */
export function checkSchemas(body: Json, schema: ResourceSchema): void {
  const schemas = body.schemas;
  if (!Array.isArray(schemas) || !schemas.some((s) => typeof s === "string" && s === schema.schemaUrn)) {
    throw invalidValue(`Attribute "schemas" must contain "${schema.schemaUrn}".`);
  }
}
