/**
 * Who may call `/admin/v1` (and the OCI control-plane read): identity domains take "both token-based
 * authorization and OCI request signatures"
 * (https://docs.oracle.com/en-us/iaas/Content/Identity/api-getstarted/api-managing-authorization.htm).
 * - `Authorization: Signature …`: an OCI API key (how Terraform and Pulumi call: terraform-provider-oci
 *   internal/client/provider_clients.go), or a security token's session key (`keyId="ST$<token>"`: a session of
 *   `oci session authenticate`, a resource or instance principal), see signature.ts and securityTokens.ts.
 * - `Authorization: Bearer <jwt>`: an access token from this domain's token endpoint for the scope
 *   `urn:opc:idm:__myscopes__`, held by a client that was granted an administrator role of the domain
 *   (IDCSAppId's "Identity Domain Administrator" or "Application Administrator"), like the seeded admin client.
 */
import { createHash } from "node:crypto";
import { jwtVerify } from "jose";
import { adminAudience, type EmulatorContext } from "../context";
import { header, type EmuRequest } from "../http";
import { ScimError } from "../scim/errors";
import { str } from "../store";
import { checkSignedRequest, SignatureError, type Signer } from "./signature";

export const ADMIN_SCOPE = "urn:opc:idm:__myscopes__";
export const IDCS_APP_ID = "IDCSAppId";
export const ADMIN_ROLE_NAMES: readonly string[] = [
  "Identity Domain Administrator",
  "Application Administrator",
];
export const TOKEN_ISSUER = "https://identity.oraclecloud.com/";

/** Who made a change, as `idcsCreatedBy` / `idcsLastModifiedBy` / `grantor` show it. */
export interface Principal {
  readonly type: "App" | "User";
  readonly value: string;
  readonly display: string;
  readonly ocid?: string;
}

function unauthorized(detail: string): ScimError {
  return new ScimError(401, detail);
}

function principalOf(signer: Signer): Principal {
  // API-key keyIds are `<tenancy OCID>/<user OCID>/<fingerprint>` (oci-go-sdk common/configuration.go); a
  // security token names its principal in `sub`.
  const user =
    signer.kind === "securityToken" ? signer.subject : (signer.keyId.split("/")[1] ?? signer.keyId);
  return {
    type: "User",
    value: createHash("sha256").update(user).digest("hex").slice(0, 32),
    display: user,
    ...(user.startsWith("ocid1.user.") ? { ocid: user } : {}),
  };
}

/**
 * Who signed, for the request log: an API key's keyId (`<tenancy OCID>/<user OCID>/<fingerprint>`, nothing secret),
 * or the principal a security token names (the token itself is a credential and is not kept).
 */
function signedBy(signer: Signer): string {
  return signer.kind === "apiKey" ? signer.keyId : `securityToken:${signer.subject}`;
}

/** The client behind a valid bearer token, or why it is refused. */
export async function verifyAccessToken(
  token: string,
  ctx: EmulatorContext,
): Promise<{
  readonly clientId: string;
  readonly audiences: readonly string[];
  readonly scopes: readonly string[];
}> {
  const { payload } = await jwtVerify(token, ctx.keys.publicKey, {
    algorithms: ["RS256"],
    issuer: TOKEN_ISSUER,
    currentDate: new Date(ctx.now()),
  });
  const audiences = Array.isArray(payload.aud) ? payload.aud : payload.aud ? [payload.aud] : [];
  const scope = typeof payload.scope === "string" ? payload.scope : "";
  const clientId = typeof payload.client_id === "string" ? payload.client_id : "";
  if (payload.tok_type !== "AT" || !clientId) throw new Error("not an access token");
  return { clientId, audiences, scopes: scope.split(" ").filter((s) => s !== "") };
}

function isDomainAdmin(appId: string, ctx: EmulatorContext): boolean {
  return ctx.store.grantsTo(appId).some((grant) => {
    const role = grant.roleId ? ctx.store.roles.get(grant.roleId) : undefined;
    return role?.appId === IDCS_APP_ID && ADMIN_ROLE_NAMES.includes(role.displayName);
  });
}

async function bearerPrincipal(token: string, ctx: EmulatorContext): Promise<Principal> {
  let claims: Awaited<ReturnType<typeof verifyAccessToken>>;
  try {
    claims = await verifyAccessToken(token, ctx);
  } catch {
    throw unauthorized("The access token is missing, invalid or expired.");
  }
  if (!claims.audiences.includes(adminAudience(ctx.info)) || !claims.scopes.includes(ADMIN_SCOPE)) {
    throw unauthorized(`The access token was not issued for the identity domain's ${ADMIN_SCOPE} scope.`);
  }
  const app = ctx.store.appByName(claims.clientId);
  if (!app || !isDomainAdmin(str(app.resource, "id") ?? "", ctx)) {
    throw unauthorized("The client of this access token is not an administrator of the identity domain.");
  }
  return {
    type: "App",
    value: str(app.resource, "id") ?? "",
    display: str(app.resource, "displayName") ?? "",
  };
}

/** Authorizes an admin call; throws a SCIM 401 otherwise. */
export async function authorizeAdmin(request: EmuRequest, ctx: EmulatorContext): Promise<Principal> {
  const authorization = header(request, "authorization")?.trim() ?? "";
  if (/^Bearer\s+/i.test(authorization))
    return bearerPrincipal(authorization.replace(/^Bearer\s+/i, ""), ctx);
  if (/^Signature\s/i.test(authorization)) {
    try {
      const signer = await checkSignedRequest(request, ctx.adminKeys, ctx.now(), ctx.securityTokens);
      if (request.notes) request.notes.signedBy = signedBy(signer);
      return principalOf(signer);
    } catch (error) {
      if (error instanceof SignatureError)
        throw unauthorized(`Invalid OCI request signature: ${error.message}`);
      throw error;
    }
  }
  throw unauthorized(
    "Authorization is required: an OCI request signature or a bearer token of an administrator.",
  );
}
