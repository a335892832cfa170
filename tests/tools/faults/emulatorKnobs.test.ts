/**
 * The emulator's knobs that the fault matrix (`npm run test:faults`) needed and that did not exist: a 429 without
 * `Retry-After`, a load balancer's HTML error page, a 307 to another host, a host presenting an untrusted
 * certificate, and the arrival time of each recorded request (to count requests in flight).
 */
import { afterEach, describe, expect, it } from "vitest";

import { createHttpClient, type HttpClient } from "../../../components/http";
import { httpRequest, useEmulator } from "../../support/emulator";

const env = useEmulator({ controlApi: true });
const plain = useEmulator({ http: true });

afterEach(() => {
  env.emu.control.clearFaults();
  for (const host of ["identity", "runtime", "designTime"] as const)
    env.emu.control.setCertificate(host, "trusted");
});

const jwk = () => `${env.emu.idcsUrl}/admin/v1/SigningCert/jwk`;

function control(method: string, path: string, body?: unknown) {
  return env.request(`${env.emu.idcsUrl}/__emulator${path}`, {
    method,
    ...(body === undefined
      ? {}
      : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
  });
}

async function adminToken() {
  const { admin } = env.emu;
  return env.token(admin.clientId, admin.clientSecret, admin.scope);
}

describe("a 429 without Retry-After", () => {
  it("is a 429 in the route's format with no Retry-After header when retryAfterSeconds is null", async () => {
    env.emu.control.injectFault({
      path: "/oauth2/v1/token",
      kind: "status",
      status: 429,
      retryAfterSeconds: null,
    });
    const limited = await adminToken();
    expect(limited.status).toBe(429);
    expect(limited.headers["retry-after"]).toBeUndefined();
    expect(limited.json()).toEqual({
      error: "temporarily_unavailable",
      error_description: "Too many requests (injected by the emulator).",
    });
    expect((await adminToken()).status).toBe(200);
  });

  it("can be asked for over the control API", async () => {
    const posted = await control("POST", "/faults", {
      path: "/admin/v1/",
      kind: "status",
      status: 429,
      retryAfterSeconds: null,
    });
    expect(posted.status).toBe(204);
    const limited = await env.admin("GET", "/admin/v1/Apps");
    expect([limited.status, limited.headers["retry-after"]]).toEqual([429, undefined]);
  });
});

describe("an HTML error page", () => {
  it("answers a load balancer's 502 page by default, and the real handler does not run", async () => {
    env.emu.control.injectFault({ method: "POST", path: "/admin/v1/Apps", kind: "html-error" });
    const before = env.emu.control.state().apps.length;
    const page = await env.admin("POST", "/admin/v1/Apps", {
      schemas: ["urn:ietf:params:scim:schemas:oracle:idcs:App"],
      displayName: "never-created",
      basedOnTemplate: { value: "CustomWebAppTemplateId" },
    });
    expect(page.status).toBe(502);
    expect(page.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(page.headers["retry-after"]).toBeUndefined();
    expect(page.text).toBe(
      "<!DOCTYPE html>\n<html><head><title>502 Bad gateway</title></head>\n" +
        "<body><center><h1>502 Bad gateway</h1></center><hr><center>load balancer (injected by the emulator)</center></body></html>\n",
    );
    expect(() => page.json()).toThrow(SyntaxError);
    expect(env.emu.control.state().apps).toHaveLength(before);
  });

  it("takes the status asked for, with Retry-After on a 429", async () => {
    env.emu.control.injectFault({ host: "designTime", path: "/ic/api/", kind: "html-error", status: 503 });
    const unavailable = await env.request(`${env.emu.designTimeUrl}/ic/api/integration/v1/connections`);
    expect([unavailable.status, unavailable.text.includes("<h1>503 Service unavailable</h1>")]).toEqual([
      503,
      true,
    ]);
    env.emu.control.injectFault({ path: "/oauth2/", kind: "html-error", status: 429, retryAfterSeconds: 4 });
    const limited = await adminToken();
    expect([limited.status, limited.headers["retry-after"], limited.headers["content-type"]]).toEqual([
      429,
      "4",
      "text/html; charset=utf-8",
    ]);
  });
});

describe("a 307 to another host", () => {
  it("redirects to the same path and query on https://redirected.invalid by default; the handler does not run", async () => {
    env.emu.control.injectFault({ path: "/admin/v1/SigningCert/jwk", kind: "redirect" });
    const moved = await env.request(`${jwk()}?attributes=x`);
    expect([moved.status, moved.headers.location, moved.text]).toEqual([
      307,
      "https://redirected.invalid/admin/v1/SigningCert/jwk?attributes=x",
      "",
    ]);
    expect((await env.request(jwk())).status).toBe(200);
  });

  it("redirects to the location given, and refuses a location that is not an absolute http(s) URL", async () => {
    env.emu.control.injectFault({
      path: "/oauth2/v1/token",
      kind: "redirect",
      location: "https://login.example/x",
    });
    expect((await adminToken()).headers.location).toBe("https://login.example/x");
    expect(() =>
      env.emu.control.injectFault({ path: "/x", kind: "redirect", location: "/relative" }),
    ).toThrow("Invalid fault: location: location must be an absolute http(s) URL");
    expect(() =>
      env.emu.control.injectFault({ path: "/x", kind: "reset", location: "https://a.example" }),
    ).toThrow('Invalid fault: location: location is only for kind "redirect"');
  });
});

describe("an untrusted certificate", () => {
  const clients: HttpClient[] = [];
  const fresh = (): HttpClient => {
    const client = createHttpClient({ caFile: env.emu.caFile ?? undefined });
    clients.push(client);
    return client;
  };
  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
  });

  it("is presented by the host chosen, to new connections only, until it is trusted again", async () => {
    const pooled = fresh();
    const connections = `${env.emu.designTimeUrl}/ic/api/integration/v1/connections`;
    const accept = () => true;
    expect((await pooled.request({ method: "GET", url: connections, acceptStatus: accept })).status).toBe(
      400,
    );

    env.emu.control.setCertificate("designTime", "untrusted");
    expect(env.emu.control.certificates()).toEqual({
      identity: "trusted",
      runtime: "trusted",
      designTime: "untrusted",
    });
    await expect(
      fresh().request({ method: "GET", url: connections, acceptStatus: accept }),
    ).rejects.toMatchObject({
      code: "tls",
      causeCode: "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
    });
    // The other hosts, and a connection opened before the change, are not affected.
    expect((await fresh().request({ method: "GET", url: jwk() })).status).toBe(200);
    expect((await pooled.request({ method: "GET", url: connections, acceptStatus: accept })).status).toBe(
      400,
    );

    env.emu.control.setCertificate("designTime", "trusted");
    expect((await fresh().request({ method: "GET", url: connections, acceptStatus: accept })).status).toBe(
      400,
    );
  });

  it("is a certificate of another CA, not a broken handshake", async () => {
    env.emu.control.setCertificate("identity", "untrusted");
    await expect(httpRequest(jwk(), { ca: env.ca })).rejects.toMatchObject({
      code: "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
    });
  });

  it("is chosen over the control API, which refuses anything else", async () => {
    const set = await control("PUT", "/tls", { host: "runtime", certificate: "untrusted" });
    expect([set.status, set.json()]).toEqual([
      200,
      { identity: "trusted", runtime: "untrusted", designTime: "trusted" },
    ]);
    expect((await control("GET", "/tls")).json()).toEqual({
      identity: "trusted",
      runtime: "untrusted",
      designTime: "trusted",
    });
    const bad = await control("PUT", "/tls", { host: "runtime", certificate: "expired" });
    expect(bad.status).toBe(400);
    expect(bad.json<{ message: string }>().message).toMatch(/^Invalid certificate choice: certificate: /);
  });

  it("has no meaning with plain HTTP", () => {
    expect(() => plain.emu.control.setCertificate("identity", "untrusted")).toThrow(
      "The emulator serves plain HTTP: there is no certificate to change.",
    );
  });
});

describe("the arrival time of a recorded request", () => {
  it("is when the request arrived: a delayed answer finishes at least the delay later", async () => {
    env.emu.control.clearRequests();
    env.emu.control.injectFault({ path: "/admin/v1/SigningCert/jwk", kind: "delay", delayMs: 120 });
    await env.request(jwk());
    await env.request(jwk());
    const [delayed, prompt] = env.emu.control.requests();
    expect(delayed && delayed.at - delayed.receivedAt).toBeGreaterThanOrEqual(120);
    expect(prompt && prompt.receivedAt).toBeGreaterThanOrEqual(delayed?.at ?? Infinity);
    expect(prompt && prompt.at - prompt.receivedAt).toBeLessThan(120);
  });
});
