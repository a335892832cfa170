import { createPublicKey, generateKeyPairSync } from "node:crypto";

import { SignJWT, decodeJwt } from "jose";
import { describe, expect, it } from "vitest";

import { useEmulator } from "../../support/emulator";
import { newApiKey, newSessionKey, securityTokenProvider, signedHeaders, signedRequest } from "./ociSigning";

const apiKey = newApiKey("ocid1.user.oc1..aaaaaaaaapikeyuser");
const sessionKey = newSessionKey();
const otherSessionKey = newSessionKey();
/** An API key is trusted too: a security token is checked on its own terms, not against that key. */
const verifying = useEmulator({
  adminPublicKeyPem: apiKey.publicKeyPem,
  adminKeyTenancyOcid: apiKey.tenancy,
  adminKeyUserOcid: apiKey.user,
  controlApi: true,
});
/** No API key configured: API-key signatures need only be consistent, security tokens are still verified. */
const lenient = useEmulator({ http: true });

const SCIM_ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";

function expect401(response: { status: number; json: () => Record<string, unknown> }, detail: string): void {
  expect(response.status).toBe(401);
  expect(response.json()).toEqual({ schemas: [SCIM_ERROR], detail, status: "401" });
}

function appBody(displayName: string): string {
  return JSON.stringify({
    schemas: ["urn:ietf:params:scim:schemas:oracle:idcs:App"],
    displayName,
    basedOnTemplate: { value: "CustomWebAppTemplateId" },
    isOAuthClient: true,
    clientType: "confidential",
    allowedGrants: ["client_credentials"],
  });
}

describe("keyId ST$<token>: requests signed with a security token's session key", () => {
  it("accepts a signed GET and POST; the creator is the token's principal", async () => {
    const token = await verifying.emu.control.mintSecurityToken({
      publicKeyPem: sessionKey.publicKeyPem,
      subject: "ocid1.user.oc1..aaaaaaaasessionuser",
    });
    const signer = securityTokenProvider(token, sessionKey);
    const list = await signedRequest(signer, {
      method: "GET",
      url: `${verifying.emu.idcsUrl}/admin/v1/Apps?count=1`,
      ca: verifying.ca,
    });
    expect(list.status).toBe(200);
    const created = await signedRequest(signer, {
      method: "POST",
      url: `${verifying.emu.idcsUrl}/admin/v1/Apps`,
      body: appBody("made-with-a-session"),
      ca: verifying.ca,
    });
    expect(created.status).toBe(201);
    expect(created.json().idcsCreatedBy).toMatchObject({
      type: "User",
      display: "ocid1.user.oc1..aaaaaaaasessionuser",
      ocid: "ocid1.user.oc1..aaaaaaaasessionuser",
    });
  });

  it("mints a JWT whose jwk claim is the session public key, as OCI's tokens carry it", async () => {
    const token = await verifying.emu.control.mintSecurityToken({
      publicKeyPem: sessionKey.publicKeyPem,
      kind: "resource",
      tenancyOcid: "ocid1.tenancy.oc1..aaaaaaaaresource",
      ttlSeconds: 60,
    });
    const claims = decodeJwt(token);
    const { n, e } = createPublicKey(sessionKey.publicKeyPem).export({ format: "jwk" });
    expect(JSON.parse(String(claims.jwk))).toMatchObject({ kty: "RSA", n, e });
    expect(claims).toMatchObject({
      res_tenant: "ocid1.tenancy.oc1..aaaaaaaaresource",
      res_compartment: "ocid1.tenancy.oc1..aaaaaaaaresource",
      sub: "ocid1.fnfunc.oc1..emulatedresourceprincipal",
    });
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(60);
  });

  it("verifies tokens whatever API key is trusted, and also on an emulator that trusts none", async () => {
    const token = await lenient.emu.control.mintSecurityToken({ publicKeyPem: sessionKey.publicKeyPem });
    const url = `${lenient.emu.idcsUrl}/admin/v1/Apps?count=1`;
    expect(
      (await signedRequest(securityTokenProvider(token, sessionKey), { method: "GET", url })).status,
    ).toBe(200);
    expect401(
      await signedRequest(securityTokenProvider(token, otherSessionKey), { method: "GET", url }),
      "Invalid OCI request signature: The signature does not verify with the security token's session key.",
    );
  });

  it("refuses a request signed by another key than the token's session key", async () => {
    const token = await verifying.emu.control.mintSecurityToken({ publicKeyPem: sessionKey.publicKeyPem });
    expect401(
      await signedRequest(securityTokenProvider(token, otherSessionKey), {
        method: "PUT",
        url: `${verifying.emu.idcsUrl}/admin/v1/AppStatusChanger/none`,
        body: "{}",
        ca: verifying.ca,
      }),
      "Invalid OCI request signature: The signature does not verify with the security token's session key.",
    );
  });

  it("refuses an expired token", async () => {
    const token = await verifying.emu.control.mintSecurityToken({
      publicKeyPem: sessionKey.publicKeyPem,
      ttlSeconds: 0,
    });
    expect401(
      await signedRequest(securityTokenProvider(token, sessionKey), {
        method: "GET",
        url: `${verifying.emu.idcsUrl}/admin/v1/Apps`,
        ca: verifying.ca,
      }),
      "Invalid OCI request signature: The security token has expired.",
    );
  });

  it("refuses a token it did not sign: another issuer's key, another emulator, a tampered payload", async () => {
    const url = `${verifying.emu.idcsUrl}/admin/v1/Apps`;
    const mine = await verifying.emu.control.mintSecurityToken({ publicKeyPem: sessionKey.publicKeyPem });
    const forger = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
    const forged = await new SignJWT(decodeJwt(mine))
      .setProtectedHeader({ alg: "RS256", typ: "JWT" })
      .sign(forger);
    const fromElsewhere = await lenient.emu.control.mintSecurityToken({
      publicKeyPem: sessionKey.publicKeyPem,
    });
    const [header, , signature] = mine.split(".");
    const payload = Buffer.from(
      JSON.stringify({ ...decodeJwt(mine), sub: "ocid1.user.oc1..aaaaaaaaimpostor" }),
    ).toString("base64url");
    const tampered = `${header}.${payload}.${signature}`;
    for (const token of [forged, fromElsewhere, tampered, "not-a-jwt"]) {
      expect401(
        await signedRequest(securityTokenProvider(token, sessionKey), {
          method: "GET",
          url,
          ca: verifying.ca,
        }),
        "Invalid OCI request signature: The security token was not issued by this domain's authentication service.",
      );
    }
  });

  it("still checks the rest of the signature: a tampered body is refused", async () => {
    const token = await verifying.emu.control.mintSecurityToken({ publicKeyPem: sessionKey.publicKeyPem });
    const url = `${verifying.emu.idcsUrl}/admin/v1/Apps`;
    const headers = await signedHeaders(securityTokenProvider(token, sessionKey), {
      method: "POST",
      url,
      body: appBody("original"),
    });
    const tampered = appBody("tampered!");
    expect401(
      await verifying.request(url, {
        method: "POST",
        headers: { ...headers, "content-length": String(Buffer.byteLength(tampered)) },
        body: tampered,
      }),
      "Invalid OCI request signature: The x-content-sha256 header does not match the body.",
    );
  });

  it("mints over the control API, and refuses a request without a PEM public key", async () => {
    const url = `${verifying.emu.idcsUrl}/__emulator/securityTokens`;
    const minted = await verifying.request(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        publicKeyPem: sessionKey.publicKeyPem,
        subject: "ocid1.user.oc1..aaaaaaaaviahttp",
      }),
    });
    expect(minted.status).toBe(200);
    const { token } = minted.json<{ token: string }>();
    expect(decodeJwt(token).sub).toBe("ocid1.user.oc1..aaaaaaaaviahttp");
    const accepted = await signedRequest(securityTokenProvider(token, sessionKey), {
      method: "GET",
      url: `${verifying.emu.idcsUrl}/admin/v1/Apps?count=1`,
      ca: verifying.ca,
    });
    expect(accepted.status).toBe(200);

    const notPem = await verifying.request(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ publicKeyPem: "nope" }),
    });
    expect(notPem.status).toBe(400);
    expect(notPem.json()).toEqual({ code: "BadRequest", message: "publicKeyPem is not a PEM public key." });
    const badTtl = await verifying.request(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ publicKeyPem: sessionKey.publicKeyPem, ttlSeconds: -1 }),
    });
    expect(badTtl.status).toBe(400);
    expect(badTtl.json<{ message: string }>().message).toMatch(
      /^Invalid security token request: ttlSeconds: /,
    );
  });
});
