/**
 * Every diagnosis and the retry paths against the emulator over real HTTPS on loopback. Waits are injected
 * (no real sleeping); the emulator's request log proves what was sent.
 */
import { createServer, type AddressInfo } from "node:net";
import { inspect } from "node:util";

import { describe, expect, it, vi } from "vitest";

import type { RecordedRequest } from "../../../tools/emulator";
import {
  verifyClient,
  verifyClients,
  type VerifyInput,
  type VerifyOptions,
  type VerifyProgress,
  type VerifyResult,
} from "../../../components/verifier";
import { clientCheckInput, useEmulator, type CreatedClient } from "../../support/emulator";
import { fakeClock, INVOKER_ONLY_HINT } from "./fakes";

const OTHER_INSTANCE = "oicother-emulator-ia";
const env = useEmulator({ instances: [{ name: OTHER_INSTANCE, connections: 3 }] });

const secrets: string[] = [];

function inputFor(client: CreatedClient, overrides: Partial<VerifyInput> = {}): VerifyInput {
  secrets.push(client.clientSecret);
  return { ...clientCheckInput(env.emu, client), ...overrides };
}

const once = (extra: VerifyOptions = {}): VerifyOptions => ({
  caFile: env.emu.caFile ?? undefined,
  retry: { budgetMs: 0 },
  ...extra,
});

/**
 * The check's requests in the emulator's log. The log records a request when its response closes, which can
 * trail the client by a moment, so the fixture's own admin calls (/admin/v1) may land after a clear: they are
 * left out, and the log is polled until the expected number has arrived.
 */
async function logged(count: number): Promise<string[]> {
  let requests: readonly RecordedRequest[] = [];
  await vi.waitFor(
    () => {
      requests = env.emu.control.requests().filter((r) => !r.path.startsWith("/admin/"));
      expect(requests.length).toBeGreaterThanOrEqual(count);
    },
    { timeout: 2_000, interval: 5 },
  );
  return requests.map((r) => `${r.host} ${r.method} ${r.path} ${r.status}`);
}

function expectNoLeak(...values: unknown[]): void {
  for (const value of values) {
    for (const text of [JSON.stringify(value), inspect(value, { depth: Infinity })]) {
      for (const secret of secrets) expect(text).not.toContain(secret);
      expect(text).not.toMatch(/eyJ[\w-]+\.[\w-]+\./);
    }
  }
}

async function check(input: VerifyInput, options: VerifyOptions = once()): Promise<VerifyResult> {
  env.emu.control.clearRequests();
  env.emu.control.clearFaults();
  const progress: VerifyProgress[] = [];
  const result = await verifyClient(input, { ...options, onProgress: (p) => progress.push(p) });
  expectNoLeak(result, progress);
  return result;
}

const TOKEN = "identity POST /oauth2/v1/token";
const API = "designTime GET /ic/api/integration/v1/connections";

describe("each diagnosis, from the emulator", () => {
  it("ok: exactly two requests, the count of connections, the token's expiry", async () => {
    const client = await env.createClient({ roles: ["ServiceUser"], scopeKinds: ["icApi"] });
    const before = Date.now();
    const result = await check(inputFor(client));
    expect(await logged(2)).toEqual([`${TOKEN} 200`, `${API} 200`]);
    expect(result).toMatchObject({
      diagnosis: "ok",
      ok: true,
      phase: "api",
      httpStatus: 200,
      connections: 12,
      attempts: 1,
      tokenRequests: 1,
      apiRequests: 1,
      message: `client ${client.clientId} works: token for /ic/api/, 12 connections visible on ${env.emu.integrationInstance}`,
    });
    const expiresIn = Date.parse(result.tokenExpiresAt ?? "") - before;
    expect(expiresIn).toBeGreaterThan(3_590_000);
    expect(expiresIn).toBeLessThanOrEqual(3_601_000);
  });

  it("ok with the consumer::all scope and the domain URL alone as token URL", async () => {
    const client = await env.createClient({ roles: ["ServiceViewer"], scopeKinds: ["consumerAll"] });
    const result = await check(
      inputFor(client, {
        scope: client.scopes.consumerAll,
        tokenUrl: env.emu.idcsUrl,
        roles: ["ServiceViewer"],
      }),
    );
    expect([result.diagnosis, result.message]).toEqual([
      "ok",
      `client ${client.clientId} works: token for urn:opc:resource:consumer::all, 12 connections visible on ${env.emu.integrationInstance}`,
    ]);
  });

  it("ok, probe token: one request", async () => {
    const client = await env.createClient({ roles: ["ServiceInvoker"], scopeKinds: ["consumerAll"] });
    const result = await check(
      inputFor(client, { scope: client.scopes.consumerAll, probe: "token", roles: ["ServiceInvoker"] }),
    );
    expect(await logged(1)).toEqual([`${TOKEN} 200`]);
    expect([result.diagnosis, result.phase, result.connections]).toEqual(["ok", "token", null]);
  });

  it("invalid_client: a wrong secret", async () => {
    const client = await env.createClient();
    const result = await check(inputFor(client, { clientSecret: "idcscs-wrong-secret" }));
    expect(await logged(1)).toEqual([`${TOKEN} 401`]);
    expect(result).toMatchObject({
      diagnosis: "invalid_client",
      phase: "token",
      httpStatus: 401,
      message: `the identity domain rejected client ${client.clientId} (invalid_client, HTTP 401)`,
      hint: "check the client ID (the app's name, not its id or OCID), the client secret, and that the app is active; right after the app is created this heals within the propagation window",
    });
  });

  it("invalid_client: an inactive app", async () => {
    const client = await env.createClient({ active: false });
    expect((await check(inputFor(client))).diagnosis).toBe("invalid_client");
  });

  it("unauthorized_client: the app may not use client_credentials", async () => {
    const created = await env.admin("POST", "/admin/v1/Apps", {
      schemas: ["urn:ietf:params:scim:schemas:oracle:idcs:App"],
      displayName: "verifier-no-client-credentials",
      basedOnTemplate: { value: "CustomWebAppTemplateId" },
      isOAuthClient: true,
      clientType: "confidential",
      allowedGrants: ["authorization_code"],
      redirectUris: ["https://app.example/callback"],
      allowedScopes: [{ fqs: env.emu.scopes.icApi }],
      active: true,
    });
    const app = created.json<{ id: string; name: string; clientSecret: string }>();
    const client: CreatedClient = {
      appId: app.id,
      clientId: app.name,
      clientSecret: app.clientSecret,
      grantIds: [],
      scopes: env.emu.scopes,
    };
    const result = await check(inputFor(client));
    expect(await logged(1)).toEqual([`${TOKEN} 400`]);
    expect([result.diagnosis, result.httpStatus, result.message]).toEqual([
      "unauthorized_client",
      400,
      `client ${client.clientId} may not use the client_credentials grant (unauthorized_client)`,
    ]);
  });

  it("invalid_scope: the scope is not in allowedScopes", async () => {
    const client = await env.createClient({ scopeKinds: ["consumerAll"] });
    const result = await check(inputFor(client));
    expect(await logged(1)).toEqual([`${TOKEN} 400`]);
    expect([result.diagnosis, result.httpStatus, result.message]).toEqual([
      "invalid_scope",
      400,
      `the identity domain refused scope ${client.scopes.icApi} for client ${client.clientId} (invalid_scope)`,
    ]);
  });

  it("role_missing: ServiceInvoker alone cannot list connections, and no time is spent waiting", async () => {
    const client = await env.createClient({ roles: ["ServiceInvoker"] });
    const result = await check(inputFor(client, { roles: ["ServiceInvoker"] }), {
      caFile: env.emu.caFile ?? undefined,
    });
    expect(await logged(2)).toEqual([`${TOKEN} 200`, `${API} 401`]);
    expect(result).toMatchObject({
      diagnosis: "role_missing",
      httpStatus: 401,
      attempts: 1,
      message: `GET /ic/api/integration/v1/connections answered 401: client ${client.clientId} has no role that can view connections on ${env.emu.integrationInstance}`,
      hint: INVOKER_ONLY_HINT,
    });
  });

  it("redirected: the runtime URL answers 307, which is reported and not followed", async () => {
    const client = await env.createClient();
    const result = await check(inputFor(client, { designTimeUrl: env.emu.runtimeUrl }));
    expect(await logged(2)).toEqual([`${TOKEN} 200`, "runtime GET /ic/api/integration/v1/connections 307"]);
    expect(result).toMatchObject({
      diagnosis: "redirected",
      phase: "api",
      httpStatus: 307,
      message: `GET /ic/api/integration/v1/connections answered 307 redirecting to ${env.emu.designTimeUrl}/ic/api/integration/v1/connections: ${env.emu.runtimeUrl} is not the design-time host`,
    });
  });

  it("instance_not_found: an unknown integrationInstance", async () => {
    const client = await env.createClient();
    const result = await check(inputFor(client, { integrationInstance: "oicdev-nonexistent-ia" }));
    expect(await logged(2)).toEqual([`${TOKEN} 200`, `${API} 404`]);
    expect([result.diagnosis, result.message]).toEqual([
      "instance_not_found",
      `the design-time host ${new URL(env.emu.designTimeUrl).host} does not know integration instance "oicdev-nonexistent-ia" (404)`,
    ]);
  });

  it("audience_mismatch: a token for another instance's scope", async () => {
    const other = env.emu.instances[1];
    if (other === undefined) throw new Error("the second instance is missing");
    const client = await env.createClient({ instance: OTHER_INSTANCE });
    const result = await check(inputFor(client, { scope: other.scopes.icApi }));
    expect(await logged(2)).toEqual([`${TOKEN} 200`, `${API} 401`]);
    expect(result).toMatchObject({
      diagnosis: "audience_mismatch",
      attempts: 1,
      message: `GET /ic/api/integration/v1/connections answered 401 NotAuthenticated: instance ${env.emu.integrationInstance} does not accept a token for "${other.audience}"; either the scope "${other.scopes.icApi}" belongs to another instance, or this is how OIC refuses a client without a role that can view connections (OIC does not document which)`,
      hint: `request the OIC instance's own fully qualified scope, derived from the instance's app (scopes[].fqs), never typed by hand; if it is the instance's own: the app is configured with ServiceUser, which can view connections: the grant has not reached OIC yet or was not applied; check the grant on instance ${env.emu.integrationInstance}'s app, then retry with a larger retry budget`,
    });
    const right = await check(
      inputFor(client, { scope: other.scopes.icApi, integrationInstance: OTHER_INSTANCE }),
    );
    expect([right.diagnosis, right.connections]).toEqual(["ok", 3]);
  });

  it("rate_limited: a 429 with its Retry-After", async () => {
    const client = await env.createClient();
    const input = inputFor(client);
    env.emu.control.clearRequests();
    env.emu.control.clearFaults();
    env.emu.control.injectFault({
      path: "/oauth2/v1/token",
      kind: "status",
      status: 429,
      retryAfterSeconds: 7,
    });
    const result = await verifyClient(input, once());
    expect(await logged(1)).toEqual([`${TOKEN} 429`]);
    expect([result.diagnosis, result.httpStatus, result.message]).toEqual([
      "rate_limited",
      429,
      `the token endpoint ${new URL(env.emu.idcsUrl).host} answered 429 Too Many Requests; Retry-After 7 s`,
    ]);
  });

  it("server_error: a 503 from the Developer API", async () => {
    const client = await env.createClient();
    const input = inputFor(client);
    env.emu.control.clearFaults();
    env.emu.control.injectFault({ host: "designTime", path: "/ic/api/", kind: "status", status: 503 });
    const result = await verifyClient(input, once());
    expect([result.diagnosis, result.httpStatus, result.phase]).toEqual(["server_error", 503, "api"]);
  });

  it("timeout: an answer later than the timeout", async () => {
    const client = await env.createClient();
    const input = inputFor(client);
    env.emu.control.clearRequests();
    env.emu.control.clearFaults();
    env.emu.control.injectFault({ path: "/oauth2/v1/token", kind: "delay", delayMs: 300 });
    const result = await verifyClient(input, once({ timeoutMs: 100 }));
    expect([result.diagnosis, result.httpStatus, result.message]).toEqual([
      "timeout",
      null,
      `the token endpoint ${new URL(env.emu.idcsUrl).host} did not answer within 100 ms`,
    ]);
    // The emulator still answers the abandoned request later; let that happen here, not in another test's log.
    expect(await logged(1)).toEqual([`${TOKEN} 200`]);
  });

  it("network: a reset connection, and a port nobody listens on", async () => {
    const client = await env.createClient();
    const input = inputFor(client);
    env.emu.control.clearFaults();
    env.emu.control.injectFault({ host: "designTime", path: "/ic/api/", kind: "reset" });
    const reset = await verifyClient(input, once());
    expect([reset.diagnosis, reset.phase, reset.message]).toEqual([
      "network",
      "api",
      `cannot reach the Developer API on ${new URL(env.emu.designTimeUrl).host}: the connection was reset (ECONNRESET)`,
    ]);
    const port = await closedPort();
    const refused = await verifyClient(
      { ...input, tokenUrl: `https://127.0.0.1:${port}/oauth2/v1/token` },
      once(),
    );
    expect([refused.diagnosis, refused.message]).toEqual([
      "network",
      `cannot reach the token endpoint 127.0.0.1:${port}: network error (ECONNREFUSED)`,
    ]);
  });

  it("tls: the emulator's CA is not trusted without the CA file", async () => {
    const client = await env.createClient();
    const result = await verifyClient(inputFor(client), { retry: { budgetMs: 0 } });
    expect([result.diagnosis, result.message]).toEqual([
      "tls",
      `TLS verification of the token endpoint ${new URL(env.emu.idcsUrl).host} failed (UNABLE_TO_VERIFY_LEAF_SIGNATURE)`,
    ]);
  });

  it.each([
    [
      "malformed-json",
      "designTime",
      "/ic/api/",
      "api",
      "a 200 whose body is not a connections collection ({items, totalResults, hasMore})",
    ],
    [
      "truncated-json",
      "designTime",
      "/ic/api/",
      "api",
      "a 200 whose body is not a connections collection ({items, totalResults, hasMore})",
    ],
    [
      "wrong-content-type",
      "designTime",
      "/ic/api/",
      "api",
      'a 200 with content type "text/html" instead of JSON',
    ],
    [
      "malformed-json",
      "identity",
      "/oauth2/v1/token",
      "token",
      "a 200 whose body is not a token response ({access_token, token_type, expires_in})",
    ],
    [
      "wrong-content-type",
      "identity",
      "/oauth2/v1/token",
      "token",
      'a 200 with content type "text/html" instead of JSON',
    ],
  ] as const)("bad_response: %s from %s", async (kind, host, path, phase, detail) => {
    const client = await env.createClient();
    const input = inputFor(client);
    env.emu.control.clearFaults();
    env.emu.control.injectFault({ host, path, kind });
    const result = await verifyClient(input, once());
    const where =
      phase === "api"
        ? `the Developer API on ${new URL(env.emu.designTimeUrl).host}`
        : `the token endpoint ${new URL(env.emu.idcsUrl).host}`;
    expect([result.diagnosis, result.phase, result.message]).toEqual([
      "bad_response",
      phase,
      `${where} answered ${detail}`,
    ]);
    expectNoLeak(result);
  });
});

describe("bad_response: a token that is already expired", () => {
  // With a token lifetime of 0 even the admin token is expired, so the client is seeded instead.
  const expired = useEmulator({
    tokenTtlSeconds: 0,
    apps: [{ displayName: "expired-tokens", scopes: ["icApi"], roles: ["ServiceUser"] }],
  });

  it("is reported with the clock hint, not used", async () => {
    const [client] = expired.emu.seededApps;
    if (client === undefined) throw new Error("no seeded app");
    const result = await verifyClient(
      {
        tokenUrl: expired.emu.idcsUrl,
        clientId: client.clientId,
        clientSecret: client.clientSecret,
        scope: expired.emu.scopes.icApi,
        designTimeUrl: expired.emu.designTimeUrl,
        integrationInstance: expired.emu.integrationInstance,
      },
      { caFile: expired.emu.caFile ?? undefined, retry: { budgetMs: 0 } },
    );
    expect(result.diagnosis).toBe("bad_response");
    expect(result.message).toMatch(
      /^the token endpoint 127\.0\.0\.1:\d+ answered an access token that expired at .*, before it arrived \(is this machine's clock right\?\)$/,
    );
    expect(result.apiRequests).toBe(0);
  });
});

describe("retries against the emulator (waits injected, nothing slept)", () => {
  /** A sleep that records waits and runs `onWait(n)` before the n-th retry. */
  function scriptedSleep(onWait: (n: number) => void) {
    const waits: number[] = [];
    return {
      waits,
      sleep: (ms: number): Promise<void> => {
        waits.push(ms);
        onWait(waits.length);
        return Promise.resolve();
      },
    };
  }

  it("a grant that is not visible yet: 401s, then ok, with one token for all tries", async () => {
    env.emu.control.setPropagationDelays({ grantsMs: 3_600_000 });
    const client = await env.createClient({ roles: ["ServiceUser"] });
    const clock = scriptedSleep((n) => n === 2 && env.emu.control.setPropagationDelays({ grantsMs: 0 }));
    try {
      const result = await check(inputFor(client), {
        caFile: env.emu.caFile ?? undefined,
        sleep: clock.sleep,
        random: () => 0.5,
      });
      expect(await logged(4)).toEqual([`${TOKEN} 200`, `${API} 401`, `${API} 401`, `${API} 200`]);
      expect([
        result.diagnosis,
        result.attempts,
        result.tokenRequests,
        result.apiRequests,
        clock.waits,
      ]).toEqual(["ok", 3, 1, 3, [125, 250]]);
    } finally {
      env.emu.control.setPropagationDelays({ grantsMs: 0 });
    }
  });

  it("an app that is not visible yet: invalid_client, then ok", async () => {
    env.emu.control.setPropagationDelays({ appsMs: 3_600_000 });
    const client = await env.createClient();
    const clock = scriptedSleep(() => env.emu.control.setPropagationDelays({ appsMs: 0 }));
    try {
      const result = await check(inputFor(client), {
        caFile: env.emu.caFile ?? undefined,
        sleep: clock.sleep,
        random: () => 0.5,
      });
      expect(await logged(3)).toEqual([`${TOKEN} 401`, `${TOKEN} 200`, `${API} 200`]);
      expect([result.diagnosis, result.attempts, result.tokenRequests]).toEqual(["ok", 2, 2]);
    } finally {
      env.emu.control.setPropagationDelays({ appsMs: 0 });
    }
  });

  it("a scope that is not visible yet: invalid_scope, then ok", async () => {
    env.emu.control.setPropagationDelays({ scopesMs: 3_600_000 });
    const client = await env.createClient();
    const clock = scriptedSleep(() => env.emu.control.setPropagationDelays({ scopesMs: 0 }));
    try {
      const result = await check(inputFor(client), {
        caFile: env.emu.caFile ?? undefined,
        sleep: clock.sleep,
        random: () => 0.5,
      });
      expect(await logged(3)).toEqual([`${TOKEN} 400`, `${TOKEN} 200`, `${API} 200`]);
      expect(result.diagnosis).toBe("ok");
    } finally {
      env.emu.control.setPropagationDelays({ scopesMs: 0 });
    }
  });

  it("a 429 waits its Retry-After (plus jitter), a reset is retried, then ok", async () => {
    const client = await env.createClient();
    const clock = scriptedSleep(() => undefined);
    env.emu.control.clearRequests();
    env.emu.control.clearFaults();
    env.emu.control.injectFault({
      path: "/oauth2/v1/token",
      kind: "status",
      status: 429,
      retryAfterSeconds: 2,
    });
    env.emu.control.injectFault({ host: "designTime", path: "/ic/api/", kind: "reset" });
    const result = await verifyClient(inputFor(client), {
      caFile: env.emu.caFile ?? undefined,
      sleep: clock.sleep,
      random: () => 0.5,
    });
    expect(await logged(4)).toEqual([
      `${TOKEN} 429`,
      `${TOKEN} 200`,
      "designTime GET /ic/api/integration/v1/connections 0",
      `${API} 200`,
    ]);
    expect([result.diagnosis, result.attempts, result.tokenRequests, clock.waits]).toEqual([
      "ok",
      3,
      2,
      [2125, 250],
    ]);
  });

  it("a persisting 5xx stops when the budget is spent", async () => {
    const client = await env.createClient();
    // Virtual time from 0: elapsed times are exact, and the emulator's real token expiries lie far ahead.
    const clock = fakeClock(0);
    env.emu.control.clearFaults();
    env.emu.control.injectFault({ path: "/oauth2/v1/token", kind: "status", status: 502, times: Infinity });
    try {
      const result = await verifyClient(inputFor(client), {
        caFile: env.emu.caFile ?? undefined,
        now: clock.now,
        sleep: clock.sleep,
        random: () => 0.5,
        retry: { budgetMs: 3_000 },
      });
      expect([result.diagnosis, result.attempts, result.elapsedMs, result.httpStatus]).toEqual([
        "server_error",
        6,
        2875,
        502,
      ]);
    } finally {
      env.emu.control.clearFaults();
    }
  });

  it("a wrong secret stops at the end of the propagation window", async () => {
    const client = await env.createClient();
    // Virtual time from 0: elapsed times are exact, and the emulator's real token expiries lie far ahead.
    const clock = fakeClock(0);
    const result = await verifyClient(inputFor(client, { clientSecret: "idcscs-not-it" }), {
      caFile: env.emu.caFile ?? undefined,
      now: clock.now,
      sleep: clock.sleep,
      random: () => 0.5,
      retry: { propagationWindowMs: 2_000, budgetMs: 60_000 },
    });
    // waits 125, 250, 500, 1000 → elapsed 1875 < 2000, one more wait (1000) → 2875 ≥ 2000: stop.
    expect([result.diagnosis, result.attempts, result.elapsedMs]).toEqual(["invalid_client", 6, 2875]);
  });
});

/**
 * OIC's answer to a client without the role is not documented (401 or 403; NotAuthorized or NotAuthenticated):
 * the check must be right with each of the emulator's three answers.
 */
describe.each([
  ["401-not-authorized", 401, "401"],
  ["401-not-authenticated", 401, "401 NotAuthenticated"],
  ["403-not-authorized", 403, "403"],
] as const)("OIC answering a missing role with %s", (answer, status, said) => {
  function useAnswer(): void {
    env.emu.control.setMissingRoleAnswer(answer);
  }
  function reset(): void {
    env.emu.control.setMissingRoleAnswer("401-not-authorized");
    env.emu.control.setPropagationDelays({ grantsMs: 0 });
  }

  it("a grant that is not visible yet is waited for, then ok", async () => {
    useAnswer();
    env.emu.control.setPropagationDelays({ grantsMs: 3_600_000 });
    const client = await env.createClient({ roles: ["ServiceUser"] });
    const waits: number[] = [];
    try {
      const result = await check(inputFor(client), {
        caFile: env.emu.caFile ?? undefined,
        random: () => 0.5,
        sleep: (ms) => {
          waits.push(ms);
          if (waits.length === 2) env.emu.control.setPropagationDelays({ grantsMs: 0 });
          return Promise.resolve();
        },
      });
      expect(await logged(4)).toEqual([`${TOKEN} 200`, `${API} ${status}`, `${API} ${status}`, `${API} 200`]);
      expect([result.diagnosis, result.attempts, result.tokenRequests, waits]).toEqual([
        "ok",
        3,
        1,
        [125, 250],
      ]);
    } finally {
      reset();
    }
  });

  it("roles that cannot pass are role_missing at once, without waiting", async () => {
    useAnswer();
    const client = await env.createClient({ roles: ["ServiceInvoker"] });
    try {
      const result = await check(inputFor(client, { roles: ["ServiceInvoker"] }), {
        caFile: env.emu.caFile ?? undefined,
      });
      expect(await logged(2)).toEqual([`${TOKEN} 200`, `${API} ${status}`]);
      expect(result).toMatchObject({
        diagnosis: "role_missing",
        httpStatus: status,
        attempts: 1,
        message: `GET /ic/api/integration/v1/connections answered ${said}: client ${client.clientId} has no role that can view connections on ${env.emu.integrationInstance}`,
      });
    } finally {
      reset();
    }
  });

  it("a grant that never arrives is classified by the last answer at the end of the window", async () => {
    useAnswer();
    env.emu.control.setPropagationDelays({ grantsMs: 3_600_000 });
    const client = await env.createClient({ roles: ["ServiceUser"] });
    // Virtual time from 0: elapsed times are exact, and the emulator's real token expiries lie far ahead.
    const clock = fakeClock(0);
    try {
      const result = await check(inputFor(client), {
        caFile: env.emu.caFile ?? undefined,
        now: clock.now,
        sleep: clock.sleep,
        random: () => 0.5,
        retry: { propagationWindowMs: 2_000, budgetMs: 60_000 },
      });
      // waits 125, 250, 500, 1000 → 1875 < 2000, one more (1000) → 2875 ≥ 2000: stop.
      expect([result.attempts, result.elapsedMs, result.httpStatus]).toEqual([6, 2875, status]);
      const roleHint = `the app is configured with ServiceUser, which can view connections: the grant has not reached OIC yet or was not applied; check the grant on instance ${env.emu.integrationInstance}'s app, then retry with a larger retry budget`;
      expect([result.diagnosis, result.message, result.hint]).toEqual(
        answer === "401-not-authenticated"
          ? [
              "audience_mismatch",
              `GET /ic/api/integration/v1/connections answered 401 NotAuthenticated: instance ${env.emu.integrationInstance} does not accept a token for "${env.emu.audience}"; either the scope "${env.emu.scopes.icApi}" belongs to another instance, or this is how OIC refuses a client without a role that can view connections (OIC does not document which)`,
              `request the OIC instance's own fully qualified scope, derived from the instance's app (scopes[].fqs), never typed by hand; if it is the instance's own: ${roleHint}`,
            ]
          : [
              "role_missing",
              `GET /ic/api/integration/v1/connections answered ${said}: client ${client.clientId} has no role that can view connections on ${env.emu.integrationInstance}`,
              roleHint,
            ],
      );
    } finally {
      reset();
    }
  });
});

describe("several clients at once", () => {
  it("checks each with one token request, results in input order", async () => {
    const clients = await Promise.all(Array.from({ length: 6 }, () => env.createClient()));
    const inputs = clients.map((client) => inputFor(client));
    env.emu.control.clearRequests();
    env.emu.control.clearFaults();
    const results = await verifyClients(inputs, { ...once(), concurrency: 3 });
    expect(results.map((r) => [r.clientId, r.diagnosis, r.tokenRequests])).toEqual(
      clients.map((c) => [c.clientId, "ok", 1]),
    );
    const log = await logged(12);
    expect(log.filter((line) => line === `${TOKEN} 200`)).toHaveLength(6);
    expect(log.filter((line) => line === `${API} 200`)).toHaveLength(6);
    expectNoLeak(results);
  });
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
