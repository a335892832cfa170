import { jsonName, pluralName, pulumiName } from "./naming";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * A JSON resource as the provider's state or a data source's result shows it. `flatten` names the nested
 * objects that stay objects (MaxItems 1 on a resource); every other nested object becomes a one-element list
 * under its plural name. SCIM extension attributes (`urn:…` keys) are dropped: nothing here uses them.
 * Nulls are dropped too.
 */
export function toPulumiShape(json: JsonObject, flatten: ReadonlySet<string> = new Set()): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(json)) {
    // TF leaves an absent (null) attribute unset; a null cannot say whether it would have been a list.
    if (key.startsWith("urn:") || value === null) continue;
    const name = pulumiName(key);
    if (isObject(value)) {
      if (flatten.has(name)) out[name] = toPulumiShape(value);
      else out[pluralName(name)] = [toPulumiShape(value)];
    } else if (Array.isArray(value)) {
      out[pluralName(name)] = value.map((item) => (isObject(item) ? toPulumiShape(item) : item));
    } else {
      out[name] = value;
    }
  }
  return out;
}

/** Resource inputs as the provider sends them: JSON names, nested objects as they are, nulls left out. */
export function toJsonBody(inputs: Readonly<Record<string, unknown>>, skip: ReadonlySet<string>): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(inputs)) {
    if (skip.has(key) || value === undefined || value === null) continue;
    out[jsonName(key)] = toJsonValue(value);
  }
  return out;
}

function toJsonValue(value: unknown): Json {
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (isObject(value)) return toJsonBody(value, new Set());
  return value as Json;
}
