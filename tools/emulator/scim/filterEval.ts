/**
 * Checks a parsed SCIM filter against a resource schema and evaluates it on resources.
 * Attribute names are case-insensitive; string comparisons honour the attribute's `caseExact`
 * (RFC 7644 §3.4.2.2). A multi-valued attribute matches when any of its values does.
 */
import { ScimError } from "./errors";
import { type FilterNode, type FilterValue, FilterSyntaxError, parseFilter } from "./filter";
import { type AttributeInfo, type ResourceSchema } from "./schema";

type Json = Record<string, unknown>;

function invalidFilter(detail: string): ScimError {
  return new ScimError(400, detail, "invalidFilter");
}

/** Parses and validates `?filter=`; every problem becomes a SCIM 400 `invalidFilter`. */
export function compileFilter(text: string, schema: ResourceSchema): FilterNode {
  let node: FilterNode;
  try {
    node = parseFilter(text);
  } catch (error) {
    if (error instanceof FilterSyntaxError) throw invalidFilter(`Invalid filter: ${error.message}`);
    throw error;
  }
  validate(node, schema, undefined);
  return node;
}

function resolve(schema: ResourceSchema, path: string, parent: string | undefined): AttributeInfo {
  const local = schema.stripUrn(path);
  const full = parent ? `${parent}.${local}` : local;
  const info = schema.get(full);
  if (!info) throw invalidFilter(`Invalid filter: "${path}" is not an attribute of ${schema.resourceType}.`);
  // idcsSearchable:false attributes cannot be filtered on, e.g. App.audience (oci-go-sdk
  // identitydomains/app.go). The exact wording of the real error is unconfirmed; 400 invalidFilter follows
  // RFC 7644.
  if (!info.searchable && info.path !== "schemas") {
    throw invalidFilter(`Invalid filter: ${schema.resourceType} cannot be searched by "${info.path}".`);
  }
  return info;
}

function validate(node: FilterNode, schema: ResourceSchema, parent: string | undefined): void {
  switch (node.kind) {
    case "and":
    case "or":
      validate(node.left, schema, parent);
      validate(node.right, schema, parent);
      return;
    case "not":
      validate(node.expr, schema, parent);
      return;
    case "present":
      resolve(schema, node.path, parent);
      return;
    case "valuePath": {
      const info = resolve(schema, node.path, parent);
      if (parent || info.type !== "complex") {
        throw invalidFilter(`Invalid filter: "${node.path}[...]" needs a complex attribute.`);
      }
      validate(node.filter, schema, info.path);
      return;
    }
    case "compare": {
      const info = resolve(schema, node.path, parent);
      const ordering = node.op === "gt" || node.op === "ge" || node.op === "lt" || node.op === "le";
      const substring = node.op === "co" || node.op === "sw" || node.op === "ew";
      // RFC 7644 §3.4.2.2: ordering on booleans (and binaries) SHALL fail with invalidFilter.
      if (ordering && (info.type === "boolean" || info.type === "binary" || info.type === "complex")) {
        throw invalidFilter(`Invalid filter: "${node.op}" cannot compare the ${info.type} "${info.path}".`);
      }
      if ((ordering || substring) && (node.value === null || typeof node.value === "boolean")) {
        throw invalidFilter(`Invalid filter: "${node.op}" needs a string or a number.`);
      }
      if (substring && typeof node.value !== "string") {
        throw invalidFilter(`Invalid filter: "${node.op}" needs a string.`);
      }
      if (substring && !["string", "reference", "dateTime"].includes(info.type)) {
        throw invalidFilter(`Invalid filter: "${node.op}" cannot compare the ${info.type} "${info.path}".`);
      }
      return;
    }
  }
}

function getCaseInsensitive(object: Json, key: string): unknown {
  // Own keys only: a filter on "constructor" must not find Object.prototype.constructor.
  if (Object.hasOwn(object, key)) return object[key];
  const lower = key.toLowerCase();
  for (const [k, v] of Object.entries(object)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

/** All values at `path` (`a` or `a.b`) with arrays flattened; missing or null values are left out. */
function valuesAt(resource: Json, path: string): unknown[] {
  const [head = "", sub] = path.split(".");
  const top = getCaseInsensitive(resource, head);
  const items = Array.isArray(top) ? top : top === undefined || top === null ? [] : [top];
  if (sub === undefined) return items;
  return items.flatMap((item) => {
    if (typeof item !== "object" || item === null) return [];
    const value = getCaseInsensitive(item as Json, sub);
    if (value === undefined || value === null) return [];
    return Array.isArray(value) ? (value as unknown[]) : [value];
  });
}

function isPresent(value: unknown): boolean {
  if (value === undefined || value === null || value === "") return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === "object") return Object.keys(value).length > 0;
  return true;
}

function compareOne(actual: unknown, op: string, expected: FilterValue, caseExact: boolean): boolean {
  if (typeof actual === "string" && typeof expected === "string") {
    const a = caseExact ? actual : actual.toLowerCase();
    const e = caseExact ? expected : expected.toLowerCase();
    switch (op) {
      case "eq":
        return a === e;
      case "co":
        return a.includes(e);
      case "sw":
        return a.startsWith(e);
      case "ew":
        return a.endsWith(e);
      case "gt":
        return a > e;
      case "ge":
        return a >= e;
      case "lt":
        return a < e;
      case "le":
        return a <= e;
    }
    return false;
  }
  if (typeof actual === "number" && typeof expected === "number") {
    switch (op) {
      case "eq":
        return actual === expected;
      case "gt":
        return actual > expected;
      case "ge":
        return actual >= expected;
      case "lt":
        return actual < expected;
      case "le":
        return actual <= expected;
    }
    return false;
  }
  return op === "eq" && actual === expected;
}

export function matches(node: FilterNode, resource: Json, schema: ResourceSchema, parent?: string): boolean {
  switch (node.kind) {
    case "and":
      return matches(node.left, resource, schema, parent) && matches(node.right, resource, schema, parent);
    case "or":
      return matches(node.left, resource, schema, parent) || matches(node.right, resource, schema, parent);
    case "not":
      return !matches(node.expr, resource, schema, parent);
    case "present":
      return valuesAt(resource, schema.stripUrn(node.path)).some(isPresent);
    case "valuePath": {
      const local = schema.stripUrn(node.path);
      const info = schema.get(local);
      return valuesAt(resource, local).some(
        (item) =>
          typeof item === "object" &&
          item !== null &&
          matches(node.filter, item as Json, schema, info?.path ?? local),
      );
    }
    case "compare": {
      const local = schema.stripUrn(node.path);
      const full = parent ? `${parent}.${local}` : local;
      const caseExact = schema.get(full)?.caseExact ?? false;
      const values = valuesAt(resource, local);
      if (node.value === null) {
        const present = values.some(isPresent);
        return node.op === "eq" ? !present : node.op === "ne" ? present : false;
      }
      const any = (op: string): boolean => values.some((v) => compareOne(v, op, node.value, caseExact));
      // `ne` is the negation of `eq`, so `id ne "IDCSAppId"` (terraform-provider-oci
      // examples/identity_domains/app.tf) keeps every resource whose id differs, including those without the
      // attribute.
      return node.op === "ne" ? !any("eq") : any(node.op);
    }
  }
}
