import { describe, expect, it } from "vitest";
import { useEmulator } from "../../support/emulator";
import { claiming, newApiKey, signedHeaders, signedRequest } from "./ociSigning";

const key = newApiKey("ocid1.user.oc1..aaaaaaaasigner");
const wrongKey = newApiKey("ocid1.user.oc1..aaaaaaaasigner");
/** Trusts `key` as the API key of its tenancy and user: keyId and signature are both checked. */
const verifying = useEmulator({
  adminPublicKeyPem: key.publicKeyPem,
  adminKeyTenancyOcid: key.tenancy,
  adminKeyUserOcid: key.user,
});
/** Trusts `key` without naming its tenancy or user: the keyId's fingerprint and the signature are checked. */
const fingerprintOnly = useEmulator({ http: true, adminPublicKeyPem: key.publicKeyPem });
/** No key configured: a complete, consistent signature is enough. */
const lenient = useEmulator({ http: true });
/** Several keys: `key` as above, and another user's key of another tenancy (an explicit provider's). */
const otherTenant = newApiKey("ocid1.user.oc1..aaaaaaaaothertenant");
const several = useEmulator({
  http: true,
  adminPublicKeyPem: key.publicKeyPem,
  adminKeyTenancyOcid: key.tenancy,
  adminKeyUserOcid: key.user,
  trustedApiKeys: [
    {
      publicKeyPem: otherTenant.publicKeyPem,
      tenancyOcid: "ocid1.tenancy.oc1..aaaaaaaaothertenancy",
      userOcid: otherTenant.user,
    },
  ],
});

const SCIM_ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";

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

function expect401(response: { status: number; json: () => Record<string, unknown> }, detail: string): void {
  expect(response.status).toBe(401);
  expect(response.json()).toEqual({ schemas: [SCIM_ERROR], detail, status: "401" });
}

describe("OCI request signatures (oci-common's signer) against a configured public key", () => {
  it("accepts a signed GET and a signed POST; the creator is the key's user", async () => {
    const list = await signedRequest(key, {
      method: "GET",
      url: `${verifying.emu.idcsUrl}/admin/v1/Apps?count=1`,
      ca: verifying.ca,
    });
    expect(list.status).toBe(200);
    const url = `${verifying.emu.idcsUrl}/admin/v1/Apps?attributeSets=all`;
    const created = await signedRequest(key, {
      method: "POST",
      url,
      body: appBody("signed-app"),
      ca: verifying.ca,
    });
    expect(created.status).toBe(201);
    expect(created.json().idcsCreatedBy).toEqual({
      type: "User",
      value: expect.stringMatching(/^[0-9a-f]{32}$/) as string,
      display: "ocid1.user.oc1..aaaaaaaasigner",
      $ref: expect.stringContaining(`${verifying.emu.idcsUrl}/admin/v1/Users/`) as string,
      ocid: "ocid1.user.oc1..aaaaaaaasigner",
    });
    const filter = encodeURIComponent(
      `app.value eq "${verifying.emu.oicAppId}" and displayName eq "ServiceUser"`,
    );
    const roles = await signedRequest(key, {
      method: "GET",
      url: `${verifying.emu.idcsUrl}/admin/v1/AppRoles?filter=${filter}`,
      ca: verifying.ca,
    });
    const grant = await signedRequest(key, {
      method: "POST",
      url: `${verifying.emu.idcsUrl}/admin/v1/Grants`,
      body: JSON.stringify({
        schemas: ["urn:ietf:params:scim:schemas:oracle:idcs:Grant"],
        grantMechanism: "ADMINISTRATOR_TO_APP",
        grantee: { type: "App", value: created.json().id },
        app: { value: verifying.emu.oicAppId },
        entitlement: {
          attributeName: "appRoles",
          attributeValue: roles.json<{ Resources: { id: string }[] }>().Resources[0]?.id,
        },
      }),
      ca: verifying.ca,
    });
    expect(grant.status).toBe(201);
    // oci-go-sdk grant_grantor.go: value, $ref, type (display is returned on request); no ocid.
    expect(grant.json().grantor).toEqual({
      type: "User",
      value: (created.json().idcsCreatedBy as Record<string, unknown>).value,
      $ref: (created.json().idcsCreatedBy as Record<string, unknown>).$ref,
    });
  });

  it("refuses a tampered body, whether or not x-content-sha256 was recomputed", async () => {
    const url = `${verifying.emu.idcsUrl}/admin/v1/Apps`;
    const headers = await signedHeaders(key, { method: "POST", url, body: appBody("original") });
    const tampered = appBody("tampered!");
    const send = (extra: Record<string, string>) =>
      verifying.request(url, { method: "POST", headers: { ...headers, ...extra }, body: tampered });
    expect401(
      await send({ "content-length": String(Buffer.byteLength(tampered)) }),
      "Invalid OCI request signature: The x-content-sha256 header does not match the body.",
    );
    const { createHash } = await import("node:crypto");
    expect401(
      await send({
        "content-length": String(Buffer.byteLength(tampered)),
        "x-content-sha256": createHash("sha256").update(tampered).digest("base64"),
      }),
      "Invalid OCI request signature: The signature does not verify with the configured public key.",
    );
  });

  it("gives each test key OCI's fingerprint of it, so two keys never share one", () => {
    expect(key.fingerprint).toMatch(/^[0-9a-f]{2}(:[0-9a-f]{2}){15}$/);
    expect(wrongKey.fingerprint).not.toBe(key.fingerprint);
  });

  it.each([
    ["tenancy", { tenancy: "ocid1.tenancy.oc1..aaaaaaaaanother" }],
    ["user", { user: "ocid1.user.oc1..aaaaaaaaanother" }],
    ["fingerprint", { fingerprint: "00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff" }],
  ] as const)(
    "refuses a keyId naming another %s, though the key's signature verifies",
    async (part, identity) => {
      const url = `${verifying.emu.idcsUrl}/admin/v1/Apps?count=1`;
      expect401(
        await signedRequest(claiming(key, identity), { method: "GET", url, ca: verifying.ca }),
        `Invalid OCI request signature: The keyId's ${part} is not the trusted API key's ${part}.`,
      );
    },
  );

  it("refuses a keyId that is not <tenancy>/<user>/<fingerprint>", async () => {
    const url = `${verifying.emu.idcsUrl}/admin/v1/Apps?count=1`;
    const headers = await signedHeaders(key, { method: "GET", url });
    const authorization = (headers.authorization ?? "").replace(
      /keyId="[^"]*"/,
      `keyId="${key.fingerprint}"`,
    );
    expect401(
      await verifying.request(url, { headers: { ...headers, authorization } }),
      "Invalid OCI request signature: The keyId must be <tenancy OCID>/<user OCID>/<key fingerprint>.",
    );
  });

  it("refuses a signature made with another key, or for another request target", async () => {
    const url = `${verifying.emu.idcsUrl}/admin/v1/Apps?count=1`;
    // Another key claiming the trusted key's identity: only the signature is wrong.
    expect401(
      await signedRequest(claiming(wrongKey, { fingerprint: key.fingerprint }), {
        method: "GET",
        url,
        ca: verifying.ca,
      }),
      "Invalid OCI request signature: The signature does not verify with the configured public key.",
    );
    expect401(
      await signedRequest(wrongKey, { method: "GET", url, ca: verifying.ca }),
      "Invalid OCI request signature: The keyId's fingerprint is not the trusted API key's fingerprint.",
    );
    const headers = await signedHeaders(key, { method: "GET", url });
    expect401(
      await verifying.request(`${verifying.emu.idcsUrl}/admin/v1/Apps?count=2`, { headers }),
      "Invalid OCI request signature: The signature does not verify with the configured public key.",
    );
  });

  it("refuses a date more than five minutes off", async () => {
    const url = `${verifying.emu.idcsUrl}/admin/v1/Apps`;
    const stale = new Date(Date.now() - 6 * 60 * 1000).toUTCString();
    const response = await signedRequest(key, {
      method: "GET",
      url,
      headers: { "x-date": stale },
      ca: verifying.ca,
    });
    expect401(
      response,
      'Invalid OCI request signature: The "x-date" header is more than 5 minutes away from the server\'s clock.',
    );
  });

  it("refuses malformed or incomplete signature headers and missing credentials", async () => {
    const url = `${verifying.emu.idcsUrl}/admin/v1/Apps`;
    const send = (authorization: string | undefined) =>
      verifying.request(url, {
        headers: authorization === undefined ? {} : { authorization, date: new Date().toUTCString() },
      });
    expect401(
      await send("Signature garbage"),
      'Invalid OCI request signature: The signature parameters are not a list of key="value" pairs.',
    );
    expect401(
      await send(
        'Signature version="1",keyId="a/b/c",algorithm="hmac-sha256",headers="date (request-target) host",signature="eA=="',
      ),
      'Invalid OCI request signature: The signature algorithm must be "rsa-sha256".',
    );
    expect401(
      await send(
        'Signature version="1",keyId="a/b/c",algorithm="rsa-sha256",headers="(request-target) host",signature="eA=="',
      ),
      'Invalid OCI request signature: The signature must cover the "date" header.',
    );
    expect401(
      await send(
        'Signature version="2",keyId="a/b/c",algorithm="rsa-sha256",headers="date (request-target) host",signature="eA=="',
      ),
      'Invalid OCI request signature: The signature version must be "1".',
    );
    const authRequired =
      "Authorization is required: an OCI request signature or a bearer token of an administrator.";
    expect401(await send(undefined), authRequired);
    expect401(await send(`Basic ${Buffer.from("a:b").toString("base64")}`), authRequired);
  });
});

describe("OCI request signatures against a key whose tenancy and user are not named", () => {
  it("accepts the key under any tenancy and user, but only with its own fingerprint", async () => {
    const url = `${fingerprintOnly.emu.idcsUrl}/admin/v1/Apps?count=1`;
    const anyone = claiming(key, {
      tenancy: "ocid1.tenancy.oc1..aaaaaaaaanother",
      user: "ocid1.user.oc1..x",
    });
    expect((await signedRequest(anyone, { method: "GET", url })).status).toBe(200);
    expect401(
      await signedRequest(claiming(key, { fingerprint: wrongKey.fingerprint }), { method: "GET", url }),
      "Invalid OCI request signature: The keyId's fingerprint is not the trusted API key's fingerprint.",
    );
  });
});

describe("OCI request signatures against several trusted keys", () => {
  it("accepts each key under its own identity, refuses a key none of them is, and logs who signed", async () => {
    several.emu.control.clearRequests();
    const url = `${several.emu.idcsUrl}/admin/v1/Apps?count=1`;
    const other = claiming(otherTenant, { tenancy: "ocid1.tenancy.oc1..aaaaaaaaothertenancy" });
    expect((await signedRequest(key, { method: "GET", url })).status).toBe(200);
    expect((await signedRequest(other, { method: "GET", url })).status).toBe(200);
    expect401(
      await signedRequest(claiming(otherTenant, { tenancy: key.tenancy }), { method: "GET", url }),
      "Invalid OCI request signature: The keyId's tenancy is not the trusted API key's tenancy.",
    );
    expect401(
      await signedRequest(wrongKey, { method: "GET", url }),
      "Invalid OCI request signature: The keyId's fingerprint is not the fingerprint of a trusted API key.",
    );
    // The log names the keyId of each accepted signature, and nothing for a refused one.
    expect(several.emu.control.requests().map((request) => [request.status, request.signedBy])).toEqual([
      [200, `${key.tenancy}/${key.user}/${key.fingerprint}`],
      [200, `ocid1.tenancy.oc1..aaaaaaaaothertenancy/${otherTenant.user}/${otherTenant.fingerprint}`],
      [401, undefined],
      [401, undefined],
    ]);
  });
});

describe("OCI request signatures without a configured key", () => {
  it("accepts any complete signature but still checks the body hash", async () => {
    const url = `${lenient.emu.idcsUrl}/admin/v1/Apps`;
    const body = appBody("lenient-app");
    expect((await signedRequest(wrongKey, { method: "POST", url, body })).status).toBe(201);
    const headers = await signedHeaders(wrongKey, { method: "POST", url, body: appBody("x") });
    const response = await lenient.request(url, {
      method: "POST",
      headers: { ...headers, "content-length": String(Buffer.byteLength(body)) },
      body,
    });
    expect401(
      response,
      "Invalid OCI request signature: The x-content-sha256 header does not match the body.",
    );
  });
});

describe("bearer tokens on /admin/v1", () => {
  it("accepts only tokens for urn:opc:idm:__myscopes__ held by a domain administrator", async () => {
    const url = `${lenient.emu.idcsUrl}/admin/v1/Apps?count=1`;
    const bearer = (token: string) => lenient.request(url, { headers: { authorization: `Bearer ${token}` } });
    expect((await bearer(await lenient.adminToken())).status).toBe(200);
    expect401(await bearer("abc.def.ghi"), "The access token is missing, invalid or expired.");
    const client = await lenient.createClient();
    const oicToken = (await lenient.token(client.clientId, client.clientSecret, client.scopes.icApi)).json<{
      access_token: string;
    }>();
    expect401(
      await bearer(oicToken.access_token),
      "The access token was not issued for the identity domain's urn:opc:idm:__myscopes__ scope.",
    );
    const myScopes = (
      await lenient.token(client.clientId, client.clientSecret, "urn:opc:idm:__myscopes__")
    ).json<{ access_token: string }>();
    expect401(
      await bearer(myScopes.access_token),
      "The client of this access token is not an administrator of the identity domain.",
    );
  });

  it("makes a client an administrator once it is granted IDCSAppId's Application Administrator role", async () => {
    const client = await lenient.createClient({ roles: [] });
    const filter = encodeURIComponent(
      'app.value eq "IDCSAppId" and displayName eq "Application Administrator"',
    );
    const role = (await lenient.admin("GET", `/admin/v1/AppRoles?filter=${filter}`)).json<{
      Resources: { id: string }[];
    }>().Resources[0];
    const grant = await lenient.admin("POST", "/admin/v1/Grants", {
      schemas: ["urn:ietf:params:scim:schemas:oracle:idcs:Grant"],
      grantMechanism: "ADMINISTRATOR_TO_APP",
      grantee: { type: "App", value: client.appId },
      app: { value: "IDCSAppId" },
      entitlement: { attributeName: "appRoles", attributeValue: role?.id },
    });
    expect(grant.status).toBe(201);
    const token = (
      await lenient.token(client.clientId, client.clientSecret, "urn:opc:idm:__myscopes__")
    ).json<{ access_token: string }>();
    const response = await lenient.request(`${lenient.emu.idcsUrl}/admin/v1/Apps?count=1`, {
      headers: { authorization: `Bearer ${token.access_token}` },
    });
    expect(response.status).toBe(200);
  });
});
