/**
 * `PATCH /admin/v1/Apps/{id}` (RFC 7644 §3.5.2): `add`, `replace` and `remove` operations, `op` compared
 * case-insensitively (https://docs.oracle.com/en-us/iaas/Content/Identity/api-getstarted/OCISRequestBody.htm
 * writes `add`, oci-go-sdk's identitydomains enum `ADD`). Paths are a top-level attribute, optionally with a
 * value filter (`allowedScopes[fqs eq "…"]`). The patched result is then checked exactly like a PUT, so the
 * same rules (immutability, known scopes, uniqueness) apply.
 */
import { type EmulatorContext } from "../context";
import { invalidValue, ScimError } from "../scim/errors";
import { type FilterNode } from "../scim/filter";
import { compileFilter, matches } from "../scim/filterEval";
import { APP_SCHEMA } from "../scim/schema";
import { writableAttributes } from "../scim/validate";
import { type AppRecord, type Json } from "../store";
import { replaceAppRecord } from "./appModel";
import { type Principal } from "./auth";

export const PATCH_OP_SCHEMA_URN = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

interface Target {
  readonly attribute: string;
  readonly multiValued: boolean;
  readonly filter: FilterNode | undefined;
}

function target(path: string): Target {
  const match = /^([A-Za-z][A-Za-z0-9_$]*)(?:\[(.+)\])?$/.exec(path.trim());
  const info = match ? APP_SCHEMA.get(match[1] ?? "") : undefined;
  if (!match || !info || info.path.includes(".")) {
    throw new ScimError(400, `Invalid PATCH path "${path}".`, "invalidPath");
  }
  if (info.mutability === "readOnly") {
    throw new ScimError(400, `Attribute "${info.path}" is read-only.`, "mutability");
  }
  let filter: FilterNode | undefined;
  if (match[2] !== undefined) {
    if (!info.multiValued) throw new ScimError(400, `"${info.path}" is not multi-valued.`, "invalidPath");
    filter = compileFilter(`${info.path}[${match[2]}]`, APP_SCHEMA);
  }
  return { attribute: info.path, multiValued: info.multiValued, filter };
}

function elementMatches(filter: FilterNode, attribute: string, element: unknown): boolean {
  return matches(filter, { [attribute]: [element] }, APP_SCHEMA);
}

function applyOperation(draft: Json, operation: unknown): void {
  if (typeof operation !== "object" || operation === null)
    throw invalidValue("Each PATCH operation must be an object.");
  const { op, path, value } = operation as { op?: unknown; path?: unknown; value?: unknown };
  const kind = typeof op === "string" ? op.toLowerCase() : "";
  if (kind !== "add" && kind !== "replace" && kind !== "remove") {
    throw invalidValue(`Invalid PATCH op "${String(op)}". Allowed values: add, replace, remove.`);
  }
  if (path === undefined) {
    if (kind === "remove") throw new ScimError(400, "A remove operation needs a path.", "noTarget");
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw invalidValue("A PATCH operation without a path needs an object value.");
    }
    for (const [key, item] of Object.entries(value as Json))
      applyOperation(draft, { op: kind, path: key, value: item });
    return;
  }
  if (typeof path !== "string") throw new ScimError(400, "The PATCH path must be a string.", "invalidPath");
  const { attribute, multiValued, filter } = target(path);
  const current = draft[attribute];
  if (kind === "remove") {
    if (filter && Array.isArray(current)) {
      draft[attribute] = current.filter((element) => !elementMatches(filter, attribute, element));
    } else {
      delete draft[attribute];
    }
    return;
  }
  if (filter) {
    if (!Array.isArray(current)) throw new ScimError(400, `No values of "${attribute}" match.`, "noTarget");
    draft[attribute] = current.map((element: unknown) =>
      elementMatches(filter, attribute, element) && typeof value === "object" && value !== null
        ? { ...(element as Json), ...(value as Json) }
        : element,
    );
    return;
  }
  if (kind === "add" && multiValued) {
    const added: unknown[] = Array.isArray(value) ? (value as unknown[]) : [value];
    draft[attribute] = [...(Array.isArray(current) ? (current as unknown[]) : []), ...added];
    return;
  }
  draft[attribute] = value;
}

export function patchApp(ctx: EmulatorContext, record: AppRecord, body: Json, principal: Principal): void {
  const schemas = body.schemas;
  if (!Array.isArray(schemas) || !schemas.includes(PATCH_OP_SCHEMA_URN)) {
    throw invalidValue(`Attribute "schemas" must contain "${PATCH_OP_SCHEMA_URN}".`);
  }
  const operations = body.Operations;
  if (!Array.isArray(operations) || operations.length === 0) {
    throw invalidValue('A PATCH request needs a non-empty "Operations" array.');
  }
  const draft: Json = {
    schemas: record.resource.schemas,
    ...writableAttributes(record.resource, APP_SCHEMA),
  };
  for (const operation of operations) applyOperation(draft, operation);
  replaceAppRecord(ctx, record, draft, principal);
}
