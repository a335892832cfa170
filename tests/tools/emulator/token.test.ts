import { createHash } from "node:crypto";
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from "jose";
import { describe, expect, it } from "vitest";
import { useEmulator } from "../../support/emulator";

const env = useEmulator({ instances: [{ name: "oicother-emulator-ia", connections: 1 }] });

const HEX32 = /^[0-9a-f]{32}$/;

async function jwks(): Promise<JSONWebKeySet> {
  const response = await env.request(`${env.emu.idcsUrl}/admin/v1/SigningCert/jwk`);
  expect(response.status).toBe(200);
  return response.json<JSONWebKeySet>();
}

function tokenRequest(headers: Record<string, string>, body: string) {
  return env.request(`${env.emu.idcsUrl}/oauth2/v1/token`, { method: "POST", headers, body });
}

function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`;
}

function expectOAuthError(
  response: Awaited<ReturnType<typeof tokenRequest>>,
  status: number,
  error: string,
  description: string,
) {
  expect(response.status).toBe(status);
  expect(response.json()).toEqual({
    error,
    error_description: description,
    ecid: expect.stringMatching(HEX32) as string,
  });
  expect(response.headers["cache-control"]).toBe("no-store");
}

describe("POST /oauth2/v1/token (client_credentials)", () => {
  it("issues an RS256 JWT with the documented claims, verifiable with the published JWKS", async () => {
    const client = await env.createClient({ displayName: "token-claims" });
    const response = await env.token(client.clientId, client.clientSecret, client.scopes.icApi);
    expect(response.status).toBe(200);
    expect(response.headers["cache-control"]).toBe("no-store");
    const body = response.json<{ access_token: string; token_type: string; expires_in: number }>();
    expect(body).toEqual({
      access_token: expect.any(String) as string,
      token_type: "Bearer",
      expires_in: 3600,
    });
    const header = decodeProtectedHeader(body.access_token);
    expect(Object.keys(header)).toEqual(["x5t#S256", "x5t", "kid", "alg"]);
    expect(header).toMatchObject({ kid: "SIGNING_KEY", alg: "RS256" });
    const { payload } = await jwtVerify(body.access_token, createLocalJWKSet(await jwks()), {
      issuer: "https://identity.oraclecloud.com/",
      audience: env.emu.audience,
    });
    expect(payload).toEqual({
      tok_type: "AT",
      sub_type: "client",
      sub: client.clientId,
      client_id: client.clientId,
      client_name: "token-claims",
      client_tenantname: payload.tenant,
      tenant: expect.stringMatching(/^idcs-[0-9a-f]{32}$/) as string,
      iss: "https://identity.oraclecloud.com/",
      aud: [env.emu.audience],
      scope: "/ic/api/",
      iat: payload.iat,
      exp: (payload.iat ?? 0) + 3600,
      jti: expect.stringMatching(/^[0-9a-f-]{36}$/) as string,
    });
  });

  it("grants the consumer::all scope with its bare value, shortens the lifetime on request, refuses consumer::all with another scope", async () => {
    const client = await env.createClient();
    const all = await env.token(client.clientId, client.clientSecret, client.scopes.consumerAll);
    const token = all.json<{ access_token: string }>().access_token;
    const { payload } = await jwtVerify(token, createLocalJWKSet(await jwks()));
    expect(payload.scope).toBe("urn:opc:resource:consumer::all");
    const short = await env.token(
      client.clientId,
      client.clientSecret,
      `urn:opc:resource:expiry=600 ${client.scopes.icApi}`,
    );
    expect(short.json().expires_in).toBe(600);
    const both = await env.token(
      client.clientId,
      client.clientSecret,
      `${client.scopes.consumerAll} ${client.scopes.icApi}`,
    );
    expectOAuthError(
      both,
      400,
      "invalid_scope",
      "urn:opc:resource:consumer::all cannot be requested together with another scope.",
    );
  });

  it("gives a trustScope Account client the bare consumer::all scope for the account audience, which OIC refuses", async () => {
    const created = await env.admin("POST", "/admin/v1/Apps", {
      schemas: ["urn:ietf:params:scim:schemas:oracle:idcs:App"],
      displayName: "account-trust",
      basedOnTemplate: { value: "CustomWebAppTemplateId" },
      isOAuthClient: true,
      clientType: "confidential",
      allowedGrants: ["client_credentials"],
      trustScope: "Account",
      active: true,
    });
    const app = created.json<{ name: string; clientSecret: string }>();
    const response = await env.token(app.name, app.clientSecret, "urn:opc:resource:consumer::all");
    expect(response.status).toBe(200);
    const token = response.json<{ access_token: string }>().access_token;
    const { payload } = await jwtVerify(token, createLocalJWKSet(await jwks()));
    expect([payload.aud, payload.scope]).toEqual([
      ["urn:opc:resource:scope:account"],
      "urn:opc:resource:consumer::all",
    ]);
    const explicit = await env.createClient({ scopeKinds: ["icApi"] });
    expectOAuthError(
      await env.token(explicit.clientId, explicit.clientSecret, "urn:opc:resource:consumer::all"),
      400,
      "invalid_scope",
      "The requested scope is invalid, unknown, or malformed: urn:opc:resource:consumer::all",
    );
    const oic = await env.request(
      `${env.emu.designTimeUrl}/ic/api/integration/v1/connections?integrationInstance=${env.emu.integrationInstance}`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    expect(oic.status).toBe(401);
  });

  it("needs urn:opc:resource:multiresourcescope for scopes of two resources, then answers tokenResponses", async () => {
    const other = env.emu.instances[1];
    if (!other) throw new Error("second instance missing");
    const created = await env.admin("POST", "/admin/v1/Apps", {
      schemas: ["urn:ietf:params:scim:schemas:oracle:idcs:App"],
      displayName: "two-resources",
      basedOnTemplate: { value: "CustomWebAppTemplateId" },
      isOAuthClient: true,
      clientType: "confidential",
      allowedGrants: ["client_credentials"],
      allowedScopes: [{ fqs: env.emu.scopes.icApi }, { fqs: other.scopes.icApi }],
      active: true,
    });
    const app = created.json<{ name: string; clientSecret: string }>();
    const scopes = `${env.emu.scopes.icApi} ${other.scopes.icApi}`;
    const refused = await env.token(app.name, app.clientSecret, scopes);
    expectOAuthError(
      refused,
      400,
      "invalid_scope",
      "Scopes of different resources need urn:opc:resource:multiresourcescope.",
    );
    const multi = await env.token(
      app.name,
      app.clientSecret,
      `${scopes} urn:opc:resource:multiresourcescope`,
    );
    expect(multi.status).toBe(200);
    const responses = multi.json<{
      tokenResponses: { access_token: string; token_type: string; expires_in: number }[];
    }>().tokenResponses;
    expect(responses).toHaveLength(2);
    const keys = createLocalJWKSet(await jwks());
    const audiences = await Promise.all(
      responses.map(async (r) => (await jwtVerify(r.access_token, keys)).payload.aud),
    );
    expect(audiences).toEqual([[env.emu.audience], [other.audience]]);
  });

  it("issues the admin token for urn:opc:idm:__myscopes__", async () => {
    const { admin } = env.emu;
    const response = await env.token(admin.clientId, admin.clientSecret, admin.scope);
    const { payload } = await jwtVerify(
      response.json<{ access_token: string }>().access_token,
      createLocalJWKSet(await jwks()),
    );
    expect(payload.scope).toBe("urn:opc:idm:__myscopes__");
    expect(payload.aud).toEqual([`urn:opc:lbaas:logicalguid=${String(payload.tenant)}`, env.emu.idcsUrl]);
  });

  it("answers invalid_client (401) for a wrong secret, an unknown client, no Basic auth and an inactive app", async () => {
    const client = await env.createClient();
    const form = "application/x-www-form-urlencoded";
    const body = `grant_type=client_credentials&scope=${encodeURIComponent(client.scopes.icApi)}`;
    for (const authorization of [
      basic(client.clientId, "idcscs-wrong"),
      basic("0000", client.clientSecret),
      "Bearer x",
      "",
    ]) {
      const response = await tokenRequest({ authorization, "content-type": form }, body);
      expectOAuthError(response, 401, "invalid_client", "Client authentication failed.");
      expect(response.headers["www-authenticate"]).toBe('Basic realm="oauth2"');
    }
    const inactive = await env.createClient({ active: false });
    expectOAuthError(
      await env.token(inactive.clientId, inactive.clientSecret, inactive.scopes.icApi),
      401,
      "invalid_client",
      "Client authentication failed.",
    );
  });

  // As oracle/nosql-python-sdk src/borneo/idcs/idcs.py notes for identity domains.
  it("answers 400 without a body for credentials that are not valid URL encoding", async () => {
    const response = await tokenRequest(
      { authorization: basic("%zz", "x"), "content-type": "application/x-www-form-urlencoded" },
      "grant_type=client_credentials&scope=x",
    );
    expect(response.status).toBe(400);
    expect(response.text).toBe("");
  });

  it("answers unauthorized_client when the app may not use client_credentials", async () => {
    const created = await env.admin("POST", "/admin/v1/Apps", {
      schemas: ["urn:ietf:params:scim:schemas:oracle:idcs:App"],
      displayName: "code-only",
      basedOnTemplate: { value: "CustomWebAppTemplateId" },
      isOAuthClient: true,
      clientType: "confidential",
      allowedGrants: ["authorization_code", "password"],
      allowedScopes: [{ fqs: env.emu.scopes.icApi }],
      active: true,
    });
    const app = created.json<{ name: string; clientSecret: string }>();
    const response = await env.token(app.name, app.clientSecret, env.emu.scopes.icApi);
    expectOAuthError(
      response,
      400,
      "unauthorized_client",
      "The client is not allowed to use the grant type client_credentials.",
    );
    const password = await tokenRequest(
      {
        authorization: basic(app.name, app.clientSecret),
        "content-type": "application/x-www-form-urlencoded",
      },
      "grant_type=password&username=a&password=b",
    );
    expectOAuthError(
      password,
      400,
      "unsupported_grant_type",
      "The emulator only implements client_credentials.",
    );
  });

  it("answers invalid_scope for a scope outside allowedScopes, an unknown scope and a bare scope value", async () => {
    const client = await env.createClient({ scopeKinds: ["icApi"] });
    for (const scope of [client.scopes.consumerAll, `${env.emu.audience}/nope/`, "/ic/api/"]) {
      expectOAuthError(
        await env.token(client.clientId, client.clientSecret, scope),
        400,
        "invalid_scope",
        `The requested scope is invalid, unknown, or malformed: ${scope}`,
      );
    }
  });

  it("answers invalid_request and unsupported_grant_type for malformed requests", async () => {
    const client = await env.createClient();
    const auth = basic(client.clientId, client.clientSecret);
    const form = "application/x-www-form-urlencoded";
    expectOAuthError(
      await tokenRequest({ authorization: auth, "content-type": form }, "scope=x"),
      400,
      "invalid_request",
      "The request is missing the grant_type parameter.",
    );
    expectOAuthError(
      await tokenRequest(
        { authorization: auth, "content-type": "application/json" },
        '{"grant_type":"client_credentials"}',
      ),
      400,
      "invalid_request",
      "The request must be application/x-www-form-urlencoded.",
    );
    expectOAuthError(
      await tokenRequest({ authorization: auth, "content-type": form }, "grant_type=client_credentials"),
      400,
      "invalid_request",
      "The request is missing the scope parameter.",
    );
    expectOAuthError(
      await tokenRequest({ authorization: auth, "content-type": form }, "grant_type=magic"),
      400,
      "unsupported_grant_type",
      "The grant type magic is not supported.",
    );
    const get = await env.request(`${env.emu.idcsUrl}/oauth2/v1/token`);
    expect(get.status).toBe(405);
    expect(get.json()).toEqual({
      error: "invalid_request",
      error_description: "Method GET is not allowed on /oauth2/v1/token.",
    });
  });
});

describe("GET /admin/v1/SigningCert/jwk", () => {
  it("publishes the signing key without authorization, with x5c and thumbprints", async () => {
    const set = await jwks();
    expect(set.keys).toHaveLength(1);
    const key = set.keys[0] ?? {};
    expect(Object.keys(key)).toEqual(["kty", "x5t#S256", "e", "x5t", "kid", "x5c", "key_ops", "alg", "n"]);
    expect(key).toMatchObject({
      kty: "RSA",
      e: "AQAB",
      kid: "SIGNING_KEY",
      alg: "RS256",
      key_ops: ["verify"],
    });
    const der = Buffer.from(String(key.x5c?.[0]), "base64");
    expect(key["x5t#S256"]).toBe(createHash("sha256").update(der).digest("base64url"));
    expect(key.x5t).toBe(createHash("sha1").update(der).digest("base64url"));
  });
});

describe("propagation delays", () => {
  it("keeps a new app at invalid_client until the apps delay passes (and a re-activated one too)", async () => {
    env.emu.control.setPropagationDelays({ appsMs: 60_000 });
    try {
      const client = await env.createClient();
      expectOAuthError(
        await env.token(client.clientId, client.clientSecret, client.scopes.icApi),
        401,
        "invalid_client",
        "Client authentication failed.",
      );
      const admin = env.emu.admin;
      expect((await env.token(admin.clientId, admin.clientSecret, admin.scope)).status).toBe(200);
      env.emu.control.setPropagationDelays({ appsMs: 0 });
      expect((await env.token(client.clientId, client.clientSecret, client.scopes.icApi)).status).toBe(200);
    } finally {
      env.emu.control.setPropagationDelays({ appsMs: 0 });
    }
  });

  it("keeps new allowedScopes at invalid_scope until the scopes delay passes", async () => {
    env.emu.control.setPropagationDelays({ scopesMs: 60_000 });
    try {
      const client = await env.createClient();
      expectOAuthError(
        await env.token(client.clientId, client.clientSecret, client.scopes.icApi),
        400,
        "invalid_scope",
        `The requested scope is invalid, unknown, or malformed: ${client.scopes.icApi}`,
      );
      env.emu.control.setPropagationDelays({ scopesMs: 0 });
      expect((await env.token(client.clientId, client.clientSecret, client.scopes.icApi)).status).toBe(200);
    } finally {
      env.emu.control.setPropagationDelays({ scopesMs: 0 });
    }
  });
});
