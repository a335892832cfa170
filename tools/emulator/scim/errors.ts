/**
 * SCIM error bodies as identity domains send them
 * (https://docs.oracle.com/en-us/iaas/Content/Identity/api-getstarted/OCISResponseBody.htm): `schemas`,
 * `detail`, and `status` as a string. There is no `code`/`message`, which is why the OCI SDKs report them as
 * `BadErrorResponse`.
 */
export const SCIM_ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error";
export const ORACLE_ERROR_EXTENSION = "urn:ietf:params:scim:api:oracle:idcs:extension:messages:Error";

/**
 * RFC 7644 §3.12 error types. Whether identity domains fill `scimType` is unconfirmed: Oracle's examples show
 * none.
 */
export type ScimType =
  | "invalidFilter"
  | "tooMany"
  | "uniqueness"
  | "mutability"
  | "invalidSyntax"
  | "invalidPath"
  | "noTarget"
  | "invalidValue"
  | "invalidVers"
  | "sensitive";

export class ScimError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly scimType?: ScimType,
    /** Oracle's `messageId`, only where Oracle's docs show one. */
    readonly messageId?: string,
  ) {
    super(detail);
    this.name = "ScimError";
  }
}

export function scimErrorBody(error: ScimError): Record<string, unknown> {
  const body: Record<string, unknown> = {
    schemas: error.messageId ? [SCIM_ERROR_SCHEMA, ORACLE_ERROR_EXTENSION] : [SCIM_ERROR_SCHEMA],
    detail: error.detail,
    status: String(error.status),
  };
  if (error.scimType) body.scimType = error.scimType;
  if (error.messageId) body[ORACLE_ERROR_EXTENSION] = { messageId: error.messageId };
  return body;
}

/**
 * "Missing required attribute(s): a,b." with Oracle's documented messageId
 * (https://docs.oracle.com/en-us/iaas/Content/Identity/api-getstarted/OCISResponseBody.htm).
 */
export function missingAttributes(names: readonly string[]): ScimError {
  return new ScimError(
    400,
    `Missing required attribute(s): ${names.join(",")}.`,
    "invalidValue",
    "error.common.validation.missingReqAttributes",
  );
}

export function notFound(resourceType: string, id: string): ScimError {
  return new ScimError(404, `Resource ${resourceType} with id ${id} not found.`);
}

export function invalidValue(detail: string): ScimError {
  return new ScimError(400, detail, "invalidValue");
}
