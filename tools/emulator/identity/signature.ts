/**
 * OCI request signatures (draft-cavage HTTP Signatures) as the OCI SDKs send them (oci-go-sdk
 * common/http_signer.go):
 * `Authorization: Signature version="1",keyId="…",algorithm="rsa-sha256",headers="…",signature="…"`.
 * The Go SDK signs `date (request-target) host`, the TypeScript SDK `x-date (request-target) host`; both add
 * `content-length content-type x-content-sha256` for POST/PUT/PATCH. Without a trusted key the header must
 * still be complete and consistent (signed headers present, body hash right, date fresh); with one, the keyId
 * must name that key (`<tenancy OCID>/<user OCID>/<fingerprint>`, oci-go-sdk common/configuration.go: its
 * fingerprint, and its tenancy and user when they are configured) and the RSA-SHA256 signature must verify
 * with it. A keyId `ST$<security token>` (a session of `oci session authenticate` or a principal's token: oci-go-sdk
 * common/configuration.go `KeyID()` of the session-token provider, oci-common
 * lib/auth/abstract-requesting-authentication-detail-provider.js `getKeyId()`) is checked whatever key is
 * trusted: the token must be one this emulator minted and unexpired, and the signature must verify with the
 * session key the token carries (securityTokens.ts).
 */
import { createHash, verify, type KeyObject } from "node:crypto";
import { header, type EmuRequest } from "../http";
import { SecurityTokenError, type SecurityTokenIssuer } from "./securityTokens";

export interface SignatureParams {
  readonly version: string | undefined;
  readonly keyId: string;
  readonly algorithm: string;
  readonly headers: readonly string[];
  readonly signature: string;
}

/** The API key the emulator trusts for admin calls, and who it belongs to. */
export interface TrustedKey {
  readonly publicKey: KeyObject;
  /** OCI's fingerprint of the key (see `keyFingerprint`). */
  readonly fingerprint: string;
  /** When set, the keyId must name this tenancy. */
  readonly tenancyOcid?: string;
  /** When set, the keyId must name this user. */
  readonly userOcid?: string;
}

/**
 * OCI's fingerprint of a public key: the MD5 of its DER encoding as colon-separated lower-case hex pairs
 * (https://docs.oracle.com/en-us/iaas/Content/API/Concepts/apisigningkey.htm#four).
 */
export function keyFingerprint(publicKey: KeyObject): string {
  const der = publicKey.export({ type: "spki", format: "der" });
  return (createHash("md5").update(der).digest("hex").match(/../g) ?? []).join(":");
}

/** OCI rejects a `date` more than 5 minutes away from the server's clock. */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

const BODY_METHODS: ReadonlySet<string> = new Set(["POST", "PUT", "PATCH"]);

export class SignatureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SignatureError";
  }
}

/** Parses the parameters after `Signature `; throws `SignatureError` when the header is not well formed. */
export function parseSignatureHeader(authorization: string): SignatureParams {
  const match = /^Signature\s+(.+)$/i.exec(authorization.trim());
  if (!match?.[1]) throw new SignatureError("The Authorization header is not an OCI request signature.");
  const params = new Map<string, string>();
  const rest = match[1];
  const re = /\s*([A-Za-z]+)="([^"]*)"\s*(,|$)/y;
  let position = 0;
  while (position < rest.length) {
    re.lastIndex = position;
    const part = re.exec(rest);
    if (!part) throw new SignatureError('The signature parameters are not a list of key="value" pairs.');
    params.set((part[1] ?? "").toLowerCase(), part[2] ?? "");
    position = re.lastIndex;
  }
  const keyId = params.get("keyid");
  const algorithm = params.get("algorithm");
  const signature = params.get("signature");
  if (!keyId) throw new SignatureError("The signature has no keyId.");
  if (!signature) throw new SignatureError("The signature has no signature value.");
  if (algorithm?.toLowerCase() !== "rsa-sha256")
    throw new SignatureError('The signature algorithm must be "rsa-sha256".');
  const version = params.get("version");
  if (version !== undefined && version !== "1")
    throw new SignatureError('The signature version must be "1".');
  const headers = (params.get("headers") ?? "date").trim().toLowerCase().split(/\s+/);
  return { version, keyId, algorithm, headers, signature };
}

export function signingString(request: EmuRequest, headers: readonly string[]): string {
  return headers
    .map((name) =>
      name === "(request-target)"
        ? `(request-target): ${request.method.toLowerCase()} ${request.target}`
        : `${name}: ${header(request, name) ?? ""}`,
    )
    .join("\n");
}

function requireSigned(params: SignatureParams, names: readonly string[]): void {
  for (const name of names) {
    if (!params.headers.includes(name))
      throw new SignatureError(`The signature must cover the "${name}" header.`);
  }
}

/**
 * The trusted key the keyId names: with one key, that key (every part is then checked and named when it differs);
 * with several, the one whose fingerprint the keyId names.
 */
function trustedKeyFor(keyId: string, trusted: readonly TrustedKey[]): TrustedKey {
  const [only] = trusted;
  if (trusted.length === 1 && only) return only;
  const fingerprint = (keyId.split("/")[2] ?? "").toLowerCase();
  const found = trusted.find((key) => key.fingerprint === fingerprint);
  if (!found)
    throw new SignatureError("The keyId's fingerprint is not the fingerprint of a trusted API key.");
  return found;
}

/** The keyId names the trusted key: its fingerprint always, its tenancy and user when configured. */
function checkKeyId(keyId: string, trusted: TrustedKey): void {
  const parts = keyId.split("/");
  const [tenancy, user, fingerprint] = parts;
  if (parts.length !== 3 || !tenancy || !user || !fingerprint) {
    throw new SignatureError("The keyId must be <tenancy OCID>/<user OCID>/<key fingerprint>.");
  }
  if (trusted.tenancyOcid !== undefined && tenancy !== trusted.tenancyOcid)
    throw new SignatureError("The keyId's tenancy is not the trusted API key's tenancy.");
  if (trusted.userOcid !== undefined && user !== trusted.userOcid)
    throw new SignatureError("The keyId's user is not the trusted API key's user.");
  if (fingerprint.toLowerCase() !== trusted.fingerprint)
    throw new SignatureError("The keyId's fingerprint is not the trusted API key's fingerprint.");
}

function verifies(text: string, signature: string, publicKey: KeyObject): boolean {
  try {
    return verify("sha256", Buffer.from(text, "utf8"), publicKey, Buffer.from(signature, "base64"));
  } catch {
    return false;
  }
}

/**
/** `ST$` and the token: the keyId of a request signed with a security token's session key. */
export const SECURITY_TOKEN_KEY_ID_PREFIX = "ST$";

/** Who signed: an API key (its keyId) or the principal a security token names. */
export type Signer =
  | { readonly kind: "apiKey"; readonly keyId: string }
  | { readonly kind: "securityToken"; readonly subject: string };

/**
 * Checks a signed request; returns who signed it. Throws `SignatureError` with the reason when it does not hold.
 */
export async function checkSignedRequest(
  request: EmuRequest,
  /** None: any well-formed signature of an API key is accepted. */
  trusted: readonly TrustedKey[],
  now: number,
  securityTokens?: SecurityTokenIssuer,
): Promise<Signer> {
  const params = parseSignatureHeader(header(request, "authorization") ?? "");
  requireSigned(params, ["(request-target)", "host"]);
  const dateHeader = params.headers.includes("x-date") ? "x-date" : "date";
  requireSigned(params, [dateHeader]);
  if (BODY_METHODS.has(request.method))
    requireSigned(params, ["content-length", "content-type", "x-content-sha256"]);
  for (const name of params.headers) {
    if (name !== "(request-target)" && header(request, name) === undefined) {
      throw new SignatureError(`The signed header "${name}" is missing from the request.`);
    }
  }
  const date = Date.parse(header(request, dateHeader) ?? "");
  if (Number.isNaN(date)) throw new SignatureError(`The "${dateHeader}" header is not a date.`);
  if (Math.abs(now - date) > MAX_CLOCK_SKEW_MS) {
    throw new SignatureError(
      `The "${dateHeader}" header is more than 5 minutes away from the server's clock.`,
    );
  }
  if (params.headers.includes("x-content-sha256")) {
    const digest = createHash("sha256").update(request.body).digest("base64");
    if (header(request, "x-content-sha256") !== digest) {
      throw new SignatureError("The x-content-sha256 header does not match the body.");
    }
  }
  if (
    params.headers.includes("content-length") &&
    Number(header(request, "content-length")) !== request.body.length
  ) {
    throw new SignatureError("The content-length header does not match the body.");
  }
  if (params.keyId.startsWith(SECURITY_TOKEN_KEY_ID_PREFIX)) {
    if (!securityTokens) throw new SignatureError("Security tokens are not accepted here.");
    let token: Awaited<ReturnType<SecurityTokenIssuer["verify"]>>;
    try {
      token = await securityTokens.verify(params.keyId.slice(SECURITY_TOKEN_KEY_ID_PREFIX.length));
    } catch (error) {
      if (error instanceof SecurityTokenError) throw new SignatureError(error.message);
      throw error;
    }
    if (!verifies(signingString(request, params.headers), params.signature, token.sessionKey)) {
      throw new SignatureError("The signature does not verify with the security token's session key.");
    }
    return { kind: "securityToken", subject: token.subject };
  }
  if (trusted.length > 0) {
    const key = trustedKeyFor(params.keyId, trusted);
    checkKeyId(params.keyId, key);
    if (!verifies(signingString(request, params.headers), params.signature, key.publicKey)) {
      throw new SignatureError("The signature does not verify with the configured public key.");
    }
  }
  return { kind: "apiKey", keyId: params.keyId };
}
