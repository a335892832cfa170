import { afterEach, describe, expect, it } from "vitest";
import { type RecordedRequest } from "../../../tools/emulator";
import { httpRequest, useEmulator } from "../../support/emulator";

const seen: RecordedRequest[] = [];
const env = useEmulator({ controlApi: true, onRequest: (request) => seen.push(request) });
const withoutControl = useEmulator({ http: true });

afterEach(() => {
  env.emu.control.clearFaults();
});

function tokenUrl(): string {
  return `${env.emu.idcsUrl}/oauth2/v1/token`;
}

async function adminToken() {
  const { admin } = env.emu;
  return env.token(admin.clientId, admin.clientSecret, admin.scope);
}

describe("status faults", () => {
  it("answers 429 with Retry-After in the token endpoint's OAuth format, once by default", async () => {
    env.emu.control.injectFault({ path: "/oauth2/v1/token", kind: "status", status: 429 });
    const limited = await adminToken();
    expect(limited.status).toBe(429);
    expect(limited.headers["retry-after"]).toBe("1");
    expect(limited.json()).toEqual({
      error: "temporarily_unavailable",
      error_description: "Too many requests (injected by the emulator).",
    });
    expect((await adminToken()).status).toBe(200);
    env.emu.control.injectFault({ path: "/oauth2/", kind: "status", status: 429, retryAfterSeconds: 7 });
    expect((await adminToken()).headers["retry-after"]).toBe("7");
  });

  it("answers 500 on /admin as a SCIM error, 502 and 503 elsewhere as {code, message}", async () => {
    env.emu.control.injectFault({ path: "/admin/v1/Apps", kind: "status", status: 500 });
    const scim = await env.admin("GET", "/admin/v1/Apps");
    expect(scim.status).toBe(500);
    expect(scim.json()).toEqual({
      schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
      detail: "Internal server error (injected by the emulator).",
      status: "500",
    });
    env.emu.control.injectFault({ host: "designTime", path: "/ic/api", kind: "status", status: 502 });
    const oic = await env.request(`${env.emu.designTimeUrl}/ic/api/integration/v1/connections`);
    expect(oic.status).toBe(502);
    expect(oic.json()).toEqual({ code: "BadGateway", message: "Bad gateway (injected by the emulator)." });
    env.emu.control.injectFault({ path: "/20190131/", kind: "status", status: 503 });
    const controlPlane = await env.request(`${env.emu.idcsUrl}/20190131/integrationInstances/x`);
    expect(controlPlane.json()).toEqual({
      code: "ServiceUnavailable",
      message: "Service unavailable (injected by the emulator).",
    });
  });

  it("matches on host, method and path prefix, for `times` requests or until cleared", async () => {
    env.emu.control.injectFault({ host: "runtime", path: "/", kind: "status", status: 503, times: 2 });
    env.emu.control.injectFault({
      method: "post",
      path: "/admin/v1/Grants",
      kind: "status",
      status: 500,
      times: Infinity,
    });
    expect((await env.admin("GET", "/admin/v1/Grants")).status).toBe(200);
    expect((await env.request(`${env.emu.runtimeUrl}/ic/api/x`)).status).toBe(503);
    expect((await env.request(`${env.emu.runtimeUrl}/ic/api/x`)).status).toBe(503);
    expect((await env.request(`${env.emu.runtimeUrl}/ic/api/x`)).status).toBe(307);
    for (let i = 0; i < 3; i += 1) expect((await env.admin("POST", "/admin/v1/Grants", {})).status).toBe(500);
    env.emu.control.clearFaults();
    expect((await env.admin("POST", "/admin/v1/Grants", {})).status).toBe(400);
  });

  it("refuses an invalid fault with a message naming each problem", () => {
    expect(() => env.emu.control.injectFault({ path: "/x", kind: "status" })).toThrow(
      'Invalid fault: status: kind "status" needs status',
    );
    expect(() => env.emu.control.injectFault({ path: "x", kind: "delay", delayMs: 5 })).toThrow(
      'Invalid fault: path: Invalid string: must start with "/"',
    );
    expect(() => env.emu.control.injectFault({ path: "/x", kind: "reset", times: 0 })).toThrow(
      "Invalid fault: times: times must be a positive integer or Infinity",
    );
  });
});

describe("transport and body faults", () => {
  it("resets the connection before any response and records status 0", async () => {
    env.emu.control.clearRequests();
    env.emu.control.injectFault({ path: "/oauth2/v1/token", kind: "reset" });
    await expect(adminToken()).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect(env.emu.control.requests()).toEqual([
      {
        host: "identity",
        method: "POST",
        path: "/oauth2/v1/token",
        status: 0,
        receivedAt: expect.any(Number) as number,
        at: expect.any(Number) as number,
      },
    ]);
    expect((await adminToken()).status).toBe(200);
  });

  it("delays the headers of the real answer", async () => {
    env.emu.control.injectFault({ path: "/admin/v1/SigningCert/jwk", kind: "delay", delayMs: 200 });
    const started = Date.now();
    const response = await env.request(`${env.emu.idcsUrl}/admin/v1/SigningCert/jwk`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    expect(response.status).toBe(200);
    expect(response.json<{ keys: unknown[] }>().keys).toHaveLength(1);
  });

  it("serves malformed JSON, truncated JSON and the right body with the wrong content type, all as 200", async () => {
    const real = (await adminToken()).text;
    env.emu.control.injectFault({ path: "/oauth2/v1/token", kind: "malformed-json" });
    const malformed = await adminToken();
    expect(malformed.status).toBe(200);
    expect(malformed.headers["content-type"]).toBe("application/json;charset=utf-8");
    expect(() => malformed.json()).toThrow(SyntaxError);
    expect(malformed.text.endsWith(",}")).toBe(true);
    env.emu.control.injectFault({ path: "/oauth2/v1/token", kind: "truncated-json" });
    const truncated = await adminToken();
    expect(truncated.status).toBe(200);
    expect(() => truncated.json()).toThrow(SyntaxError);
    expect(Number(truncated.headers["content-length"])).toBe(truncated.text.length);
    expect(truncated.text.length).toBe(Math.floor(real.length / 2));
    env.emu.control.injectFault({ path: "/admin/v1/SigningCert/jwk", kind: "wrong-content-type" });
    const html = await env.request(`${env.emu.idcsUrl}/admin/v1/SigningCert/jwk`);
    expect(html.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(html.json<{ keys: unknown[] }>().keys).toHaveLength(1);
  });

  it("still performs a create whose answer was broken, so a retry with the same opc-retry-token gets the app", async () => {
    env.emu.control.injectFault({ method: "POST", path: "/admin/v1/Apps", kind: "truncated-json" });
    const token = (await adminToken()).json<{ access_token: string }>().access_token;
    const body = JSON.stringify({
      schemas: ["urn:ietf:params:scim:schemas:oracle:idcs:App"],
      displayName: "lost-answer",
      basedOnTemplate: { value: "CustomWebAppTemplateId" },
    });
    const send = () =>
      env.request(`${env.emu.idcsUrl}/admin/v1/Apps`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": "application/json",
          "opc-retry-token": "lost-1",
        },
        body,
      });
    const broken = (await send()).text;
    expect(() => JSON.parse(broken) as unknown).toThrow(SyntaxError);
    const retried = await send();
    expect(retried.status).toBe(201);
    expect(env.emu.control.state().apps.filter((a) => a.displayName === "lost-answer")).toEqual([
      {
        id: retried.json().id,
        name: retried.json().name,
        displayName: "lost-answer",
        active: false,
        isOAuthClient: false,
      },
    ]);
  });
});

describe("request read-out and state", () => {
  it("records host, method, path (no query) and status, and never secrets", async () => {
    env.emu.control.clearRequests();
    seen.length = 0;
    const { admin } = env.emu;
    await env.request(`${tokenUrl()}?client_secret=${admin.clientSecret}`, {
      method: "POST",
      body: "grant_type=x",
    });
    const token = (await adminToken()).json<{ access_token: string }>().access_token;
    await env.request(`${env.emu.runtimeUrl}/ic/api/integration/v1/connections?limit=1`);
    const records = env.emu.control.requests();
    expect(records.map(({ at: _at, receivedAt: _receivedAt, ...rest }) => rest)).toEqual([
      { host: "identity", method: "POST", path: "/oauth2/v1/token", status: 400 },
      { host: "identity", method: "POST", path: "/oauth2/v1/token", status: 200 },
      { host: "runtime", method: "GET", path: "/ic/api/integration/v1/connections", status: 307 },
    ]);
    expect(records.every((r) => Object.keys(r).join() === "host,method,path,status,receivedAt,at")).toBe(
      true,
    );
    expect(records.every((r) => r.receivedAt <= r.at)).toBe(true);
    expect(seen).toEqual(records);
    const text = JSON.stringify(records);
    expect(text).not.toContain(admin.clientSecret);
    expect(text).not.toContain(token);
    env.emu.control.clearRequests();
    expect(env.emu.control.requests()).toEqual([]);
  });

  it("snapshots only apps and grants made through the admin API, without secrets", async () => {
    const client = await env.createClient({ displayName: "snapshot-client", roles: ["ServiceUser"] });
    const state = env.emu.control.state();
    expect(state.apps.find((a) => a.id === client.appId)).toEqual({
      id: client.appId,
      name: client.clientId,
      displayName: "snapshot-client",
      active: true,
      isOAuthClient: true,
    });
    expect(state.grants.find((g) => g.granteeId === client.appId)).toEqual({
      id: client.grantIds[0],
      granteeId: client.appId,
      appId: env.emu.oicAppId,
      roleId: expect.stringMatching(/^[0-9a-f]{32}$/) as string,
    });
    expect(state.apps.map((a) => a.id)).not.toContain(env.emu.oicAppId);
    expect(state.apps.map((a) => a.name)).not.toContain(env.emu.admin.clientId);
    expect(JSON.stringify(state)).not.toContain(client.clientSecret);
  });
});

describe("control API over HTTP", () => {
  const control = (method: string, path: string, body?: unknown) =>
    env.request(`${env.emu.idcsUrl}/__emulator${path}`, {
      method,
      ...(body === undefined
        ? {}
        : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
    });

  it("injects and clears faults, sets propagation, reads requests and state; is itself neither recorded nor faulted", async () => {
    expect((await control("DELETE", "/requests")).status).toBe(204);
    expect(
      (await control("POST", "/faults", { path: "/", kind: "status", status: 503, times: "Infinity" }))
        .status,
    ).toBe(204);
    expect((await adminToken()).status).toBe(503);
    expect((await env.request(`${env.emu.designTimeUrl}/ic/api/x`)).status).toBe(503);
    expect((await control("GET", "/state")).status).toBe(200);
    expect((await control("DELETE", "/faults")).status).toBe(204);
    expect((await adminToken()).status).toBe(200);
    const propagation = await control("PUT", "/propagation", { grantsMs: 5 });
    expect(propagation.json()).toEqual({ appsMs: 0, grantsMs: 5, scopesMs: 0 });
    expect((await control("GET", "/propagation")).json()).toEqual({ appsMs: 0, grantsMs: 5, scopesMs: 0 });
    await control("PUT", "/propagation", { grantsMs: 0 });
    const requests = (await control("GET", "/requests")).json<{ requests: RecordedRequest[] }>().requests;
    expect(requests.map((r) => `${r.host} ${r.path} ${r.status}`)).toEqual([
      "identity /oauth2/v1/token 503",
      "designTime /ic/api/x 503",
      "identity /oauth2/v1/token 200",
    ]);
    const state = (await control("GET", "/state")).json();
    expect(state).toEqual(env.emu.control.state());
  });

  it("reads and sets OIC's answer to a missing role", async () => {
    expect((await control("GET", "/oic")).json()).toEqual({ missingRoleAnswer: "401-not-authorized" });
    const set = await control("PUT", "/oic", { missingRoleAnswer: "403-not-authorized" });
    expect([set.status, set.json()]).toEqual([200, { missingRoleAnswer: "403-not-authorized" }]);
    expect((await control("GET", "/oic")).json()).toEqual({ missingRoleAnswer: "403-not-authorized" });
    const bad = await control("PUT", "/oic", { missingRoleAnswer: "418" });
    expect([bad.status, bad.json()]).toEqual([
      400,
      {
        code: "BadRequest",
        message:
          'Invalid OIC behaviour: missingRoleAnswer: Invalid option: expected one of "401-not-authorized"|"401-not-authenticated"|"403-not-authorized"',
      },
    ]);
    await control("PUT", "/oic", { missingRoleAnswer: "401-not-authorized" });
    expect((await control("GET", "/oic")).json()).toEqual({ missingRoleAnswer: "401-not-authorized" });
  });

  it("answers 400 for an invalid fault or delays", async () => {
    const fault = await control("POST", "/faults", { path: "/", kind: "explode" });
    expect(fault.status).toBe(400);
    expect(fault.json()).toEqual({
      code: "BadRequest",
      message:
        'Invalid fault: kind: Invalid option: expected one of "status"|"reset"|"delay"|"malformed-json"|"truncated-json"|"wrong-content-type"|"html-error"|"redirect"',
    });
    const delays = await control("PUT", "/propagation", { appsMs: -1 });
    expect(delays.json()).toEqual({
      code: "BadRequest",
      message: "Invalid propagation delays: appsMs: Too small: expected number to be >=0",
    });
    const notJson = await env.request(`${env.emu.idcsUrl}/__emulator/faults`, {
      method: "POST",
      body: "nope",
    });
    expect(notJson.json()).toEqual({
      code: "BadRequest",
      message: "The body must be a JSON object (a FaultSpec).",
    });
  });

  it("is absent (404) unless controlApi is on", async () => {
    const response = await httpRequest(`${withoutControl.emu.idcsUrl}/__emulator/state`);
    expect(response.status).toBe(404);
    expect(response.json()).toEqual({
      schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
      detail: "No route for GET /__emulator/state.",
      status: "404",
    });
  });
});
