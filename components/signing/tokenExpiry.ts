/**
 * The `exp` of a security token (a JWT: oracle/oci-python-sdk src/oci/auth/security_token_container.py reads
 * `exp` without verifying the signature, as the client cannot), in epoch milliseconds; undefined when the text is
 * not a JWT with a numeric `exp`. Only the server can tell whether the token is genuine.
 */
export function tokenExpiry(token: string): number | undefined {
  const payload = token.trim().split(".")[1];
  if (payload === undefined) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    const exp = (claims as { exp?: unknown } | null)?.exp;
    return typeof exp === "number" && Number.isFinite(exp) ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}
