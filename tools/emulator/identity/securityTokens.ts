/**
 * OCI security tokens: what `oci session authenticate` stores in `security_token_file`, and what a resource
 * principal gets as its RPST. A request signed with one carries `keyId="ST$<token>"` and is signed with the
 * *session* key, whose public half the token holds in its `jwk` claim: oracle/oci-java-sdk
 * bmc-common/src/main/java/com/oracle/bmc/auth/internal/SecurityTokenAdapter.java `isValid()` reads
 * `jwk` (a JSON string with `n` and `e`) and compares it with the session key; `exp` is the expiry
 * (oracle/oci-python-sdk src/oci/auth/security_token_container.py); `res_tenant` and `res_compartment` are the
 * claims a resource principal token carries (oci-common lib/auth/resource-principal-authentication-details-provider.js
 * `ClaimKeys`). The issuer name and the `ptype`/`tenant` claims below are unconfirmed: no public source shows a
 * decoded token.
 *
 * The emulator stands in for OCI's authentication service: it signs the tokens it mints with a key of its own
 * (made on the first mint, so an emulator that never mints pays nothing) and accepts only those.
 */
import { createPublicKey, generateKeyPair, randomUUID, type KeyObject } from "node:crypto";
import { promisify } from "node:util";
import { jwtVerify, SignJWT, errors as joseErrors } from "jose";
import { type MintSecurityTokenOptions } from "../types";

/** The `iss` of minted tokens (unconfirmed, see above). */
export const SECURITY_TOKEN_ISSUER = "authService.oracle.com";

/** What a valid token says about the request's signer. */
export interface VerifiedSecurityToken {
  readonly subject: string;
  readonly sessionKey: KeyObject;
}

export class SecurityTokenError extends Error {
  override readonly name = "SecurityTokenError";
}

const generateRsa = promisify(generateKeyPair);

export class SecurityTokenIssuer {
  private keys: Promise<{ privateKey: KeyObject; publicKey: KeyObject }> | undefined;

  constructor(private readonly now: () => number) {}

  private signingKeys(): Promise<{ privateKey: KeyObject; publicKey: KeyObject }> {
    this.keys ??= generateRsa("rsa", { modulusLength: 2048 });
    return this.keys;
  }

  async mint(options: MintSecurityTokenOptions): Promise<string> {
    let sessionKey: KeyObject;
    try {
      sessionKey = createPublicKey(options.publicKeyPem);
    } catch {
      throw new SecurityTokenError("publicKeyPem is not a PEM public key.");
    }
    if (sessionKey.asymmetricKeyType !== "rsa") throw new SecurityTokenError("The session key must be RSA.");
    const ttl = options.ttlSeconds ?? 3600;
    if (!Number.isInteger(ttl) || ttl < 0)
      throw new SecurityTokenError("ttlSeconds must be a non-negative integer.");
    const kind = options.kind ?? "session";
    const tenancy = options.tenancyOcid ?? "ocid1.tenancy.oc1..emulatedsecuritytokentenancy";
    const now = Math.floor(this.now() / 1000);
    const { n, e } = sessionKey.export({ format: "jwk" });
    const jwk = JSON.stringify({ kid: randomUUID(), n, e, kty: "RSA", alg: "RS256", use: "sig" });
    const claims: Record<string, unknown> = {
      jwk,
      ptype: kind === "resource" ? "resource" : "user",
      tenant: tenancy,
      ...(kind === "resource" ? { res_tenant: tenancy, res_compartment: tenancy } : {}),
    };
    return new SignJWT(claims)
      .setProtectedHeader({ alg: "RS256", typ: "JWT" })
      .setIssuer(SECURITY_TOKEN_ISSUER)
      .setSubject(
        options.subject ??
          (kind === "resource"
            ? "ocid1.fnfunc.oc1..emulatedresourceprincipal"
            : "ocid1.user.oc1..emulatedsessionuser"),
      )
      .setJti(randomUUID())
      .setIssuedAt(now)
      .setExpirationTime(now + ttl)
      .sign((await this.signingKeys()).privateKey);
  }

  /** The token's subject and session key, or a SecurityTokenError that says why it is refused. */
  async verify(token: string): Promise<VerifiedSecurityToken> {
    if (this.keys === undefined) {
      throw new SecurityTokenError(
        "The security token was not issued by this domain's authentication service.",
      );
    }
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, (await this.signingKeys()).publicKey, {
        algorithms: ["RS256"],
        issuer: SECURITY_TOKEN_ISSUER,
        currentDate: new Date(this.now()),
      }));
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired)
        throw new SecurityTokenError("The security token has expired.");
      throw new SecurityTokenError(
        "The security token was not issued by this domain's authentication service.",
      );
    }
    if (typeof payload.sub !== "string" || payload.sub === "")
      throw new SecurityTokenError("The security token names no principal.");
    return { subject: payload.sub, sessionKey: sessionKeyOf(payload.jwk) };
  }
}

function sessionKeyOf(jwk: unknown): KeyObject {
  try {
    const parsed: unknown = typeof jwk === "string" ? JSON.parse(jwk) : undefined;
    if (typeof parsed !== "object" || parsed === null) throw new Error("no jwk");
    const { n, e } = parsed as { n?: unknown; e?: unknown };
    if (typeof n !== "string" || typeof e !== "string") throw new Error("no RSA jwk");
    return createPublicKey({ key: { kty: "RSA", n, e }, format: "jwk" });
  } catch {
    throw new SecurityTokenError("The security token carries no session key (its jwk claim).");
  }
}
