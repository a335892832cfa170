/**
 * OCI request signatures (draft-cavage HTTP Signatures) as the OCI SDKs send them (reference §8):
 * `Authorization: Signature version="1",keyId="…",algorithm="rsa-sha256",headers="…",signature="…"`.
 * The Go SDK signs `date (request-target) host`, the TypeScript SDK `x-date (request-target) host`; both add
 * `content-length content-type x-content-sha256` for POST/PUT/PATCH. Without a configured public key the
 * header must still be complete and consistent (signed headers present, body hash right, date fresh);
 * with one, the RSA-SHA256 signature is verified too.
 */
import { createHash, verify, type KeyObject } from "node:crypto";
import { header, type EmuRequest } from "../http";

export interface SignatureParams {
  readonly version: string | undefined;
  readonly keyId: string;
  readonly algorithm: string;
  readonly headers: readonly string[];
  readonly signature: string;
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

function verifies(text: string, signature: string, publicKey: KeyObject): boolean {
  try {
    return verify("sha256", Buffer.from(text, "utf8"), publicKey, Buffer.from(signature, "base64"));
  } catch {
    return false;
  }
}

/**
 * Checks a signed request; returns the key id (`<tenancy>/<user>/<fingerprint>` for API keys).
 * Throws `SignatureError` with the reason when it does not hold.
 */
export function checkSignedRequest(
  request: EmuRequest,
  publicKey: KeyObject | undefined,
  now: number,
): string {
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
  if (publicKey && !verifies(signingString(request, params.headers), params.signature, publicKey)) {
    throw new SignatureError("The signature does not verify with the configured public key.");
  }
  return params.keyId;
}
