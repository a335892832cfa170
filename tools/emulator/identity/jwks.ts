/**
 * The domain's token signing key and `GET /admin/v1/SigningCert/jwk` (public, no authorization;
 * https://docs.oracle.com/en-us/iaas/Content/Identity/api-getstarted/TokenValidation.htm). Tokens are RS256;
 * their header carries `x5t#S256` like real tokens (the examples in
 * https://docs.oracle.com/en-us/iaas/Content/Identity/api-getstarted/AccessToken.htm start `{"x5t#S256":…`)
 * and `kid`. The `kid` value `SIGNING_KEY` is unconfirmed: no public source shows it.
 */
import { createHash, webcrypto } from "node:crypto";
import { jsonReply, type Reply } from "../http";
import { x509 } from "../x509";

export const SIGNING_KEY_ID = "SIGNING_KEY";

const RSA = {
  name: "RSASSA-PKCS1-v1_5",
  modulusLength: 2048,
  publicExponent: new Uint8Array([1, 0, 1]),
  hash: "SHA-256",
} as const;

export interface SigningKeys {
  readonly privateKey: webcrypto.CryptoKey;
  readonly publicKey: webcrypto.CryptoKey;
  readonly kid: string;
  /** base64url SHA-256 of the certificate's DER. */
  readonly x5tS256: string;
  /** base64url SHA-1 of the certificate's DER. */
  readonly x5t: string;
  /** The public JWK as the JWKS endpoint publishes it. */
  readonly jwk: Readonly<Record<string, unknown>>;
}

export async function generateSigningKeys(now = Date.now()): Promise<SigningKeys> {
  const keys = await webcrypto.subtle.generateKey(RSA, true, ["sign", "verify"]);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: `01${Buffer.from(webcrypto.getRandomValues(new Uint8Array(15))).toString("hex")}`,
    name: "CN=SIGNING_KEY, O=oic-emulator identity domain",
    notBefore: new Date(now - 24 * 60 * 60 * 1000),
    notAfter: new Date(now + 365 * 24 * 60 * 60 * 1000),
    keys,
    signingAlgorithm: RSA,
  });
  const der = Buffer.from(cert.rawData);
  const x5tS256 = createHash("sha256").update(der).digest("base64url");
  const x5t = createHash("sha1").update(der).digest("base64url");
  const { n, e } = await webcrypto.subtle.exportKey("jwk", keys.publicKey);
  return {
    privateKey: keys.privateKey,
    publicKey: keys.publicKey,
    kid: SIGNING_KEY_ID,
    x5tS256,
    x5t,
    // Field set of the identity-domain JWKS (TokenValidation.htm, above): kty, x5t#S256, e, x5t, kid, x5c,
    // alg, n.
    jwk: {
      kty: "RSA",
      "x5t#S256": x5tS256,
      e,
      x5t,
      kid: SIGNING_KEY_ID,
      x5c: [der.toString("base64")],
      key_ops: ["verify"],
      alg: "RS256",
      n,
    },
  };
}

export function jwksReply(keys: SigningKeys): Reply {
  return jsonReply(200, { keys: [keys.jwk] });
}
