/**
 * OCI-style error bodies `{code, message}`: the OCI control plane's format, and the one OIC showed in the
 * only public sample of an OIC error (NotAuthenticated in
 * http://niallcblogs.blogspot.com/2024/05/1016-oic3-factory-api-design-and.html). OIC's other error bodies
 * are unconfirmed (no public source shows them); the emulator uses this shape for all of them.
 */
import { jsonReply, type Reply } from "./http";

export function ociError(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): Reply {
  return jsonReply(status, { code, message }, headers);
}

/** The exact 401 body OIC answers (the blog post cited above) and OCI's standard 401. */
export const NOT_AUTHENTICATED = {
  code: "NotAuthenticated",
  message: "The required information to complete authentication was not provided or was incorrect.",
} as const;

export function notAuthenticated(): Reply {
  return ociError(401, NOT_AUTHENTICATED.code, NOT_AUTHENTICATED.message);
}

/** OCI's answer for a resource that does not exist or that the caller may not see. */
export function notAuthorizedOrNotFound(): Reply {
  return ociError(404, "NotAuthorizedOrNotFound", "Authorization failed or requested resource not found.");
}

const STATUS_CODES: Readonly<Record<number, string>> = {
  400: "BadRequest",
  401: "NotAuthenticated",
  404: "NotFound",
  405: "MethodNotAllowed",
  413: "PayloadTooLarge",
  429: "TooManyRequests",
  500: "InternalServerError",
  502: "BadGateway",
  503: "ServiceUnavailable",
};

export function ociErrorCode(status: number): string {
  return STATUS_CODES[status] ?? "Error";
}
