/**
 * The identity domain's OAuth token endpoint, `<domain URL>/oauth2/v1/token` (Identity Domains API, "Access
 * Token": https://docs.oracle.com/en-us/iaas/Content/Identity/api-getstarted/AccessToken.htm).
 * The component puts it in the client's facts and the verifier requests tokens from it. No imports, so that the
 * component does not load the HTTP client for a string.
 */
export const TOKEN_PATH = "/oauth2/v1/token";

/** The token endpoint of an identity domain given by its origin (no trailing slash). */
export function tokenUrlOf(identityDomainOrigin: string): string {
  return `${identityDomainOrigin}${TOKEN_PATH}`;
}
