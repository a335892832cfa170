/**
 * `POST /oauth2/v1/token` for `client_credentials`
 * (https://docs.oracle.com/en-us/iaas/Content/Identity/api-getstarted/CCGT.htm): HTTP Basic client
 * authentication, a form body, RS256 JWT access tokens. Errors are OAuth-style
 * `{error, error_description, ecid}`, never SCIM.
 * Checks in order: request form → grant type known → client credentials → client active and propagated →
 * grant type allowed for the client → scopes allowed and propagated.
 */
import { randomUUID } from "node:crypto";
import { SignJWT } from "jose";
import { adminAudience, type EmulatorContext } from "../context";
import { header, jsonReply, mediaType, type EmuRequest, type Reply } from "../http";
import { randomHex } from "../ids";
import { type Router } from "../router";
import { type AppRecord, arr, str } from "../store";
import { ADMIN_SCOPE, TOKEN_ISSUER } from "./auth";

const CLIENT_CREDENTIALS = "client_credentials";
/** Grant types identity domains know; others are `unsupported_grant_type`. */
const KNOWN_GRANT_TYPES: ReadonlySet<string> = new Set([
  CLIENT_CREDENTIALS,
  "authorization_code",
  "password",
  "refresh_token",
  "implicit",
  "urn:ietf:params:oauth:grant-type:jwt-bearer",
  "urn:ietf:params:oauth:grant-type:saml2-bearer",
  "urn:ietf:params:oauth:grant-type:device_code",
  "tls_client_auth",
]);
const MULTI_RESOURCE_SCOPE = "urn:opc:resource:multiresourcescope";
const EXPIRY_SCOPE = /^urn:opc:resource:expiry=(\d+)$/;
const CONSUMER_ALL = "urn:opc:resource:consumer::all";
const ACCOUNT_AUDIENCE = "urn:opc:resource:scope:account";

class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(description);
  }
}

function oauthErrorReply(error: OAuthError): Reply {
  return jsonReply(
    error.status,
    { error: error.error, error_description: error.description, ecid: randomHex(16) },
    { "cache-control": "no-store", pragma: "no-cache", ...error.headers },
  );
}

/**
 * "Client authentication failed." is the documented text
 * (https://docs.oracle.com/en-us/iaas/Content/Identity/known-issues/known-issues-ebs-asserter.htm).
 */
function invalidClient(): OAuthError {
  return new OAuthError(401, "invalid_client", "Client authentication failed.", {
    "www-authenticate": 'Basic realm="oauth2"',
  });
}

function basicCredentials(request: EmuRequest): { clientId: string; secret: string } {
  const authorization = header(request, "authorization") ?? "";
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization);
  if (!match?.[1]) throw invalidClient();
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) throw invalidClient();
  try {
    // RFC 6749 §2.3.1: both parts are form-urlencoded before base64.
    return {
      clientId: decodeURIComponent(decoded.slice(0, colon)),
      secret: decodeURIComponent(decoded.slice(colon + 1)),
    };
  } catch {
    // "IDCS doesn't return error message in case of credentials has invalid URL encoded characters"
    // (oracle/nosql-python-sdk src/borneo/idcs/idcs.py).
    throw new OAuthError(400, "", "");
  }
}

interface Grant {
  readonly audience: string;
  readonly values: string[];
}

/** Groups the requested scopes by resource; each must be an allowed, propagated fqs (trustScope Explicit). */
function resolveScopes(ctx: EmulatorContext, app: AppRecord, requested: readonly string[]): Grant[] {
  const now = ctx.now();
  const grants = new Map<string, Grant>();
  for (const scope of requested) {
    if (scope === ADMIN_SCOPE) {
      const audience = adminAudience(ctx.info);
      grants.set(audience, { audience, values: [ADMIN_SCOPE] });
      continue;
    }
    if (scope === CONSUMER_ALL && app.resource.trustScope === "Account") {
      // trustScope Account: the bare consumer::all scope gives aud urn:opc:resource:scope:account
      // (https://docs.oracle.com/en-us/iaas/Content/Identity/api-getstarted/Scopes.htm). Whether OIC accepts
      // that audience is unconfirmed (no public source shows it); here it does not.
      grants.set(ACCOUNT_AUDIENCE, { audience: ACCOUNT_AUDIENCE, values: [CONSUMER_ALL] });
      continue;
    }
    const allowed = arr(app.resource, "allowedScopes").some(
      (s) => str(s as Record<string, unknown>, "fqs") === scope,
    );
    const defining = allowed ? ctx.store.definingApp(scope) : undefined;
    if (!defining || !ctx.propagation.scopeVisible(app, scope, now)) {
      throw new OAuthError(
        400,
        "invalid_scope",
        `The requested scope is invalid, unknown, or malformed: ${scope}`,
      );
    }
    const audience = str(defining.app.resource, "audience") ?? "";
    const grant = grants.get(audience) ?? { audience, values: [] };
    if (!grant.values.includes(defining.value)) grant.values.push(defining.value);
    grants.set(audience, grant);
  }
  return [...grants.values()];
}

async function accessToken(ctx: EmulatorContext, app: AppRecord, grant: Grant, ttl: number): Promise<string> {
  const now = Math.floor(ctx.now() / 1000);
  const clientId = str(app.resource, "name") ?? "";
  const audience = grant.values.includes(ADMIN_SCOPE) ? [grant.audience, ctx.info.idcsUrl] : [grant.audience];
  return (
    new SignJWT({
      tok_type: "AT",
      sub_type: "client",
      client_id: clientId,
      client_name: str(app.resource, "displayName"),
      client_tenantname: ctx.info.tenant,
      tenant: ctx.info.tenant,
      // The bare scope values that were granted (`/ic/api/`), space-delimited. Whether real tokens carry the
      // bare value or the full fqs is unconfirmed for an fqs request; Oracle's Scopes page
      // (https://docs.oracle.com/en-us/iaas/Content/Identity/api-getstarted/Scopes.htm) shows the bare value.
      scope: grant.values.join(" "),
    })
      // Header in the order real tokens show it: they start `{"x5t#S256":…` (the example tokens in
      // https://docs.oracle.com/en-us/iaas/Content/Identity/api-getstarted/AccessToken.htm).
      .setProtectedHeader({
        "x5t#S256": ctx.keys.x5tS256,
        x5t: ctx.keys.x5t,
        kid: ctx.keys.kid,
        alg: "RS256",
      })
      .setIssuer(TOKEN_ISSUER)
      .setSubject(clientId)
      .setAudience(audience)
      .setIssuedAt(now)
      .setExpirationTime(now + ttl)
      .setJti(randomUUID())
      .sign(ctx.keys.privateKey)
  );
}

async function issue(ctx: EmulatorContext, request: EmuRequest): Promise<Reply> {
  if (mediaType(request) !== "application/x-www-form-urlencoded") {
    throw new OAuthError(400, "invalid_request", "The request must be application/x-www-form-urlencoded.");
  }
  const form = new URLSearchParams(request.body.toString("utf8"));
  const grantType = form.get("grant_type");
  if (!grantType)
    throw new OAuthError(400, "invalid_request", "The request is missing the grant_type parameter.");
  if (!KNOWN_GRANT_TYPES.has(grantType)) {
    throw new OAuthError(400, "unsupported_grant_type", `The grant type ${grantType} is not supported.`);
  }
  const { clientId, secret } = basicCredentials(request);
  const app = ctx.store.appByName(clientId);
  const expected = app ? str(app.resource, "clientSecret") : undefined;
  if (!app || expected === undefined || expected !== secret) throw invalidClient();
  // An inactive app cannot take part in runtime services ("If false, all runtime services are disabled for
  // this App", oci-go-sdk identitydomains/app.go `Active`); invalid_client is the chosen answer, unconfirmed:
  // no public source shows what the token endpoint answers for an inactive app.
  if (!ctx.propagation.appVisible(app, ctx.now())) throw invalidClient();
  const allowedGrants = arr(app.resource, "allowedGrants");
  if (!allowedGrants.includes(grantType)) {
    throw new OAuthError(
      400,
      "unauthorized_client",
      `The client is not allowed to use the grant type ${grantType}.`,
    );
  }
  if (grantType !== CLIENT_CREDENTIALS) {
    throw new OAuthError(
      400,
      "unsupported_grant_type",
      `The emulator only implements ${CLIENT_CREDENTIALS}.`,
    );
  }
  const requested = (form.get("scope") ?? "").split(/\s+/).filter((s) => s !== "");
  // Whether identity domains require `scope` for client_credentials is unconfirmed; it is refused here.
  if (requested.length === 0)
    throw new OAuthError(400, "invalid_request", "The request is missing the scope parameter.");
  let ttl = ctx.tokenTtlSeconds;
  const multiResource = requested.includes(MULTI_RESOURCE_SCOPE);
  const scopes: string[] = [];
  for (const scope of requested) {
    const expiry = EXPIRY_SCOPE.exec(scope);
    // A custom lifetime may shorten the token, never lengthen it
    // (https://docs.oracle.com/en-us/iaas/Content/Identity/api-getstarted/AccessToken.htm,
    // TokenExpiryTable.htm).
    if (expiry) ttl = Math.min(ttl, Number(expiry[1]));
    else if (scope !== MULTI_RESOURCE_SCOPE) scopes.push(scope);
  }
  // "An invalid scope error is returned if you attempt to include both urn:opc:resource:consumer::all and
  // another scope" (https://docs.oracle.com/en-us/iaas/Content/Identity/api-getstarted/Scopes.htm).
  if (scopes.length > 1 && scopes.some((scope) => scope.endsWith(CONSUMER_ALL))) {
    throw new OAuthError(
      400,
      "invalid_scope",
      `${CONSUMER_ALL} cannot be requested together with another scope.`,
    );
  }
  const grants = resolveScopes(ctx, app, scopes);
  if (grants.length > 1 && !multiResource) {
    // Scopes of several resources need urn:opc:resource:multiresourcescope
    // (https://docs.oracle.com/en-us/iaas/Content/Identity/api-getstarted/Scopes.htm#ExplicitScopeMultipleResources).
    throw new OAuthError(400, "invalid_scope", `Scopes of different resources need ${MULTI_RESOURCE_SCOPE}.`);
  }
  const responses = await Promise.all(
    grants.map(async (grant) => ({
      access_token: await accessToken(ctx, app, grant, ttl),
      token_type: "Bearer",
      expires_in: ttl,
    })),
  );
  const noStore = { "cache-control": "no-store", pragma: "no-cache" };
  return multiResource
    ? jsonReply(200, { tokenResponses: responses }, noStore)
    : jsonReply(200, responses[0], noStore);
}

export function registerToken(router: Router, ctx: EmulatorContext): void {
  router.add("POST", "/oauth2/v1/token", async (request) => {
    try {
      return await issue(ctx, request);
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      if (error.error === "") return { status: 400, headers: {} };
      return oauthErrorReply(error);
    }
  });
}
