/** The check's orchestration over a scripted HTTP client: requests made, token reuse, retries, results. */
import { inspect } from "node:util";

import { afterEach, describe, expect, it, vi } from "vitest";

import {
  VerifierInputError,
  verifyClient,
  verifyClients,
  type VerifyProgress,
  type VerifyResult,
} from "../../../components/verifier";
import {
  baseInput,
  connectionsResponse,
  DESIGN,
  fakeClock,
  fakeHttp,
  FQS,
  INVOKER_ONLY_HINT,
  makeJwt,
  respond,
  SECRET,
  TOKEN_URL,
  tokenClaims,
  tokenResponse,
  transportError,
} from "./fakes";

const START = Date.parse("2030-01-01T00:00:00Z");
const JWT = makeJwt(tokenClaims(START));
const half = () => 0.5;

function expectNoLeak(value: unknown): void {
  for (const text of [JSON.stringify(value), inspect(value, { depth: Infinity })]) {
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(JWT);
  }
}

afterEach(() => {
  vi.useRealTimers();
});

describe("happy path", () => {
  it("makes exactly two requests: the token for the exact scope, then the connections count", async () => {
    const clock = fakeClock(START);
    const http = fakeHttp({ token: [tokenResponse(JWT)], api: [connectionsResponse(12)] });
    const result = await verifyClient(baseInput, { http, now: clock.now, sleep: clock.sleep, random: half });
    expect(http.requests).toEqual([
      {
        method: "POST",
        url: TOKEN_URL,
        headers: { Authorization: `Basic ${Buffer.from(`client_app_1:${SECRET}`).toString("base64")}` },
        body: new URLSearchParams({ grant_type: "client_credentials", scope: FQS }),
        acceptStatus: expect.any(Function) as unknown,
      },
      {
        method: "GET",
        url: `${DESIGN}/ic/api/integration/v1/connections?integrationInstance=oicdev-axhknnpmgslz-ia&limit=1`,
        headers: { Authorization: `Bearer ${JWT}` },
        acceptStatus: expect.any(Function) as unknown,
      },
    ]);
    expect(String(http.requests[0]?.body)).toBe(
      `grant_type=client_credentials&scope=${encodeURIComponent(FQS).replaceAll("%20", "+")}`,
    );
    expect(result).toEqual({
      clientId: "client_app_1",
      probe: "connections",
      diagnosis: "ok",
      ok: true,
      message:
        "client client_app_1 works: token for /ic/api/, 12 connections visible on oicdev-axhknnpmgslz-ia",
      hint: "nothing to change",
      phase: "api",
      httpStatus: 200,
      connections: 12,
      tokenExpiresAt: "2030-01-01T01:00:00.000Z",
      attempts: 1,
      tokenRequests: 1,
      apiRequests: 1,
      elapsedMs: 0,
      checkedAt: "2030-01-01T00:00:00.000Z",
    } satisfies VerifyResult);
    expect(clock.sleeps).toEqual([]);
    expectNoLeak(result);
  });

  it("probe token: one request, no API call", async () => {
    const http = fakeHttp({ token: [tokenResponse(JWT)] });
    const result = await verifyClient({ ...baseInput, probe: "token" }, { http, now: () => START });
    expect(http.requests.map((r) => r.method)).toEqual(["POST"]);
    expect([result.diagnosis, result.phase, result.httpStatus, result.connections, result.message]).toEqual([
      "ok",
      "token",
      200,
      null,
      "client client_app_1 got a token for /ic/api/ with the expected audience",
    ]);
  });

  it("probe none: no request at all", async () => {
    const http = fakeHttp({ token: [] });
    const result = await verifyClient({ ...baseInput, probe: "none" }, { http, now: () => START });
    expect(http.requests).toHaveLength(0);
    expect([result.diagnosis, result.attempts, result.message]).toEqual([
      "ok",
      0,
      'no check for client client_app_1 (probe "none")',
    ]);
  });

  it("accepts the scope claim as the full fqs, and the audience without :443", async () => {
    const jwt = makeJwt(
      tokenClaims(START, {
        scope: FQS,
        aud: "https://0123456789ABCDEF0123456789ABCDEF.integration.us-ashburn-1.ocp.oraclecloud.com",
      }),
    );
    const http = fakeHttp({ token: [tokenResponse(jwt)], api: [connectionsResponse(3)] });
    const result = await verifyClient(baseInput, { http, now: () => START });
    expect([result.diagnosis, result.connections]).toEqual(["ok", 3]);
  });

  it("counts items when totalResults is absent and hasMore is false; null when more exist", async () => {
    const exact = fakeHttp({
      token: [tokenResponse(JWT)],
      api: [respond(200, { items: [{}, {}], hasMore: false })],
    });
    expect((await verifyClient(baseInput, { http: exact, now: () => START })).connections).toBe(2);
    const unknown = fakeHttp({
      token: [tokenResponse(JWT)],
      api: [respond(200, { items: [{}], hasMore: true })],
    });
    const result = await verifyClient(baseInput, { http: unknown, now: () => START });
    expect([result.connections, result.message]).toEqual([
      null,
      "client client_app_1 works: token for /ic/api/, its connections visible on oicdev-axhknnpmgslz-ia",
    ]);
  });
});

describe("retries", () => {
  it("reuses the token while a grant propagates (401s), with growing jittered waits and progress", async () => {
    const clock = fakeClock(START);
    const unauthorized = respond(401, { code: "NotAuthorized" });
    const http = fakeHttp({
      token: [tokenResponse(JWT)],
      api: [unauthorized, unauthorized, unauthorized, connectionsResponse(5)],
    });
    const progress: VerifyProgress[] = [];
    const result = await verifyClient(baseInput, {
      http,
      now: clock.now,
      sleep: clock.sleep,
      random: half,
      onProgress: (p) => progress.push(p),
    });
    expect(clock.sleeps).toEqual([125, 250, 500]);
    expect([
      result.diagnosis,
      result.attempts,
      result.tokenRequests,
      result.apiRequests,
      result.elapsedMs,
    ]).toEqual(["ok", 4, 1, 4, 875]);
    expect(progress).toEqual([
      {
        clientId: "client_app_1",
        attempt: 1,
        diagnosis: "role_missing",
        httpStatus: 401,
        retryInMs: 125,
        elapsedMs: 0,
      },
      {
        clientId: "client_app_1",
        attempt: 2,
        diagnosis: "role_missing",
        httpStatus: 401,
        retryInMs: 250,
        elapsedMs: 125,
      },
      {
        clientId: "client_app_1",
        attempt: 3,
        diagnosis: "role_missing",
        httpStatus: 401,
        retryInMs: 500,
        elapsedMs: 375,
      },
    ]);
  });

  it("asks for a new token each time the token request failed (app not visible yet)", async () => {
    const clock = fakeClock(START);
    const invalid = respond(401, {
      error: "invalid_client",
      error_description: "Client authentication failed.",
    });
    const http = fakeHttp({ token: [invalid, invalid, tokenResponse(JWT)], api: [connectionsResponse()] });
    const result = await verifyClient(baseInput, { http, now: clock.now, sleep: clock.sleep, random: half });
    expect([result.diagnosis, result.attempts, result.tokenRequests, result.apiRequests]).toEqual([
      "ok",
      3,
      3,
      1,
    ]);
  });

  it("asks for a new token when the one it has expires within the skew", async () => {
    const clock = fakeClock(START);
    const shortLived = makeJwt(tokenClaims(START, { exp: Math.floor(START / 1000) + 60 }));
    const http = fakeHttp({
      token: [tokenResponse(shortLived), tokenResponse(JWT)],
      api: [respond(503, ""), connectionsResponse()],
    });
    const result = await verifyClient(baseInput, {
      http,
      now: clock.now,
      sleep: clock.sleep,
      random: () => 0.9,
    });
    expect(clock.sleeps).toEqual([225]);
    expect([result.diagnosis, result.tokenRequests, result.apiRequests, result.tokenExpiresAt]).toEqual([
      "ok",
      2,
      2,
      "2030-01-01T01:00:00.000Z",
    ]);
  });

  it("honours Retry-After on a 429", async () => {
    const clock = fakeClock(START);
    const http = fakeHttp({
      token: [respond(429, "", { "retry-after": "3" }), tokenResponse(JWT)],
      api: [connectionsResponse()],
    });
    const result = await verifyClient(baseInput, { http, now: clock.now, sleep: clock.sleep, random: half });
    expect(clock.sleeps).toEqual([3125]);
    expect(result.diagnosis).toBe("ok");
  });

  it("gives up on a persisting 5xx when the budget is spent, reporting the last failure", async () => {
    const clock = fakeClock(START);
    const http = fakeHttp({ token: [respond(502, "")] });
    const result = await verifyClient(baseInput, {
      http,
      now: clock.now,
      sleep: clock.sleep,
      random: half,
      retry: { budgetMs: 3_000 },
    });
    // waits 125, 250, 500, 1000 (total 1875); the next (1000) would end at 2875 ≤ 3000; then 3875 > 3000 stops.
    expect(clock.sleeps).toEqual([125, 250, 500, 1000, 1000]);
    expect([result.diagnosis, result.attempts, result.httpStatus, result.elapsedMs]).toEqual([
      "server_error",
      6,
      502,
      2875,
    ]);
    expect(result.message).toBe("the token endpoint idcs.example.test answered 502, a server-side failure");
  });

  it("gives up on invalid_scope at the end of the propagation window", async () => {
    const clock = fakeClock(START);
    const http = fakeHttp({ token: [respond(400, { error: "invalid_scope" })] });
    const result = await verifyClient(baseInput, {
      http,
      now: clock.now,
      sleep: clock.sleep,
      random: half,
      retry: { propagationWindowMs: 1_000 },
    });
    expect(clock.sleeps).toEqual([125, 250, 500, 1000]);
    expect([result.diagnosis, result.attempts, result.elapsedMs]).toEqual(["invalid_scope", 5, 1875]);
  });

  it("by default, gives up on propagation 120 s after the start (the window), not later", async () => {
    const clock = fakeClock(START);
    const http = fakeHttp({ token: [respond(400, { error: "invalid_scope" })] });
    // A budget longer than the default window, so that only the window can stop it.
    const result = await verifyClient(baseInput, {
      http,
      now: clock.now,
      sleep: clock.sleep,
      random: half,
      retry: { budgetMs: 600_000 },
    });
    // waits 125, 250, 500, 1000, then 1000 each: 1875 + 119 × 1000 = 120 875 is the first elapsed ≥ 120 000.
    expect([result.diagnosis, result.attempts, result.elapsedMs]).toEqual(["invalid_scope", 124, 120_875]);
  });

  it("by default, gives up on a persisting 5xx when the next wait would end after 120 s (the budget)", async () => {
    const clock = fakeClock(START);
    const http = fakeHttp({ token: [respond(503, "")] });
    const result = await verifyClient(baseInput, { http, now: clock.now, sleep: clock.sleep, random: half });
    // 1875 + 118 × 1000 = 119 875; one more wait of 1000 would end at 120 875 > 120 000.
    expect([result.diagnosis, result.attempts, result.elapsedMs]).toEqual(["server_error", 123, 119_875]);
  });

  it("by default, stops at 200 attempts however short the waits", async () => {
    const clock = fakeClock(START);
    const http = fakeHttp({ token: [respond(503, "")] });
    const result = await verifyClient(baseInput, {
      http,
      now: clock.now,
      sleep: clock.sleep,
      random: () => 0,
    });
    expect([result.diagnosis, result.attempts, result.tokenRequests, result.elapsedMs]).toEqual([
      "server_error",
      200,
      200,
      0,
    ]);
  });

  it("fails at once on what waiting cannot heal", async () => {
    const clock = fakeClock(START);
    const http = fakeHttp({ token: [respond(400, { error: "unauthorized_client" })] });
    const result = await verifyClient(baseInput, { http, now: clock.now, sleep: clock.sleep, random: half });
    expect(clock.sleeps).toEqual([]);
    expect([result.diagnosis, result.attempts]).toEqual(["unauthorized_client", 1]);
  });

  it("does not wait for a grant the configured roles cannot provide", async () => {
    const clock = fakeClock(START);
    const http = fakeHttp({ token: [tokenResponse(JWT)], api: [respond(401, "")] });
    const result = await verifyClient(
      { ...baseInput, roles: ["ServiceInvoker"] },
      { http, now: clock.now, sleep: clock.sleep },
    );
    expect([result.diagnosis, result.attempts, clock.sleeps]).toEqual(["role_missing", 1, []]);
    expect(result.hint).toBe(INVOKER_ONLY_HINT);
  });

  it("retries a connection reset but not a refused connection", async () => {
    const clock = fakeClock(START);
    const reset = fakeHttp({
      token: [transportError("connection_reset", "ECONNRESET"), tokenResponse(JWT)],
      api: [connectionsResponse()],
    });
    expect(
      (await verifyClient(baseInput, { http: reset, now: clock.now, sleep: clock.sleep, random: half }))
        .attempts,
    ).toBe(2);
    const refused = fakeHttp({ token: [transportError("network", "ECONNREFUSED")] });
    const result = await verifyClient(baseInput, {
      http: refused,
      now: clock.now,
      sleep: clock.sleep,
      random: half,
    });
    expect([result.diagnosis, result.attempts, result.httpStatus, result.message]).toEqual([
      "network",
      1,
      null,
      "cannot reach the token endpoint idcs.example.test: network error (ECONNREFUSED)",
    ]);
  });

  it("with real (fake) timers: nothing is sent again before the backoff has elapsed", async () => {
    vi.useFakeTimers({ now: START });
    const http = fakeHttp({ token: [tokenResponse(JWT)], api: [respond(401, ""), connectionsResponse(4)] });
    const pending = verifyClient(baseInput, { http, random: half });
    let settled: VerifyResult | undefined;
    void pending.then((r) => (settled = r));
    await vi.advanceTimersByTimeAsync(124);
    expect([http.requests.length, settled]).toEqual([2, undefined]);
    await vi.advanceTimersByTimeAsync(1);
    expect(http.requests.length).toBe(3);
    const result = await pending;
    expect([result.diagnosis, result.connections, result.elapsedMs]).toEqual(["ok", 4, 125]);
  });
});

describe("OIC's answer to a missing role is not documented: each possible one", () => {
  const NOT_AUTHORIZED = { code: "NotAuthorized", message: "not authorized" };
  const NOT_AUTHENTICATED = { code: "NotAuthenticated", message: "The required information…" };
  const answers = [
    ["401 NotAuthorized", respond(401, NOT_AUTHORIZED), "401"],
    ["401 NotAuthenticated", respond(401, NOT_AUTHENTICATED), "401 NotAuthenticated"],
    ["403 NotAuthorized", respond(403, NOT_AUTHORIZED), "403"],
    ["403 without a body", respond(403, ""), "403"],
  ] as const;

  it.each(answers)(
    "%s while a grant propagates: retried with the same token, then ok",
    async (_n, answer) => {
      const clock = fakeClock(START);
      const http = fakeHttp({ token: [tokenResponse(JWT)], api: [answer, answer, connectionsResponse(5)] });
      const result = await verifyClient(baseInput, {
        http,
        now: clock.now,
        sleep: clock.sleep,
        random: half,
      });
      expect([result.diagnosis, result.attempts, result.tokenRequests, clock.sleeps]).toEqual([
        "ok",
        3,
        1,
        [125, 250],
      ]);
    },
  );

  it.each(answers)("%s with roles that cannot pass: role_missing at once", async (_n, answer, said) => {
    const clock = fakeClock(START);
    const http = fakeHttp({ token: [tokenResponse(JWT)], api: [answer] });
    const result = await verifyClient(
      { ...baseInput, roles: ["ServiceInvoker"] },
      { http, now: clock.now, sleep: clock.sleep, random: half },
    );
    expect([result.diagnosis, result.attempts, result.message, clock.sleeps]).toEqual([
      "role_missing",
      1,
      `GET /ic/api/integration/v1/connections answered ${said}: client client_app_1 has no role that can view connections on oicdev-axhknnpmgslz-ia`,
      [],
    ]);
  });

  it.each(answers)(
    "%s to the end of the window: classified by that last answer",
    async (name, answer, said) => {
      const clock = fakeClock(START);
      const http = fakeHttp({ token: [tokenResponse(JWT)], api: [answer] });
      const result = await verifyClient(
        { ...baseInput, roles: [] },
        { http, now: clock.now, sleep: clock.sleep, random: half, retry: { propagationWindowMs: 1_000 } },
      );
      expect([result.attempts, result.elapsedMs, clock.sleeps]).toEqual([5, 1875, [125, 250, 500, 1000]]);
      const roleHint =
        "grant the app one of ServiceAdministrator, ServiceDeveloper, ServiceUser, ServiceViewer on the OIC instance's app; the roles it is configured with are not known here (pass them to see which is missing)";
      expect([result.diagnosis, result.message, result.hint]).toEqual(
        name === "401 NotAuthenticated"
          ? [
              "audience_mismatch",
              `GET /ic/api/integration/v1/connections answered 401 NotAuthenticated: instance oicdev-axhknnpmgslz-ia does not accept a token for "https://0123456789ABCDEF0123456789ABCDEF.integration.us-ashburn-1.ocp.oraclecloud.com:443"; either the scope "${FQS}" belongs to another instance, or this is how OIC refuses a client without a role that can view connections (OIC does not document which)`,
              `request the OIC instance's own fully qualified scope, derived from the instance's app (scopes[].fqs), never typed by hand; if it is the instance's own: ${roleHint}`,
            ]
          : [
              "role_missing",
              `GET /ic/api/integration/v1/connections answered ${said}: client client_app_1 has no role that can view connections on oicdev-axhknnpmgslz-ia`,
              roleHint,
            ],
      );
    },
  );

  it("a 401 or 403 from the token endpoint is not a role: not retried as one", async () => {
    const clock = fakeClock(START);
    const http = fakeHttp({ token: [respond(403, "")] });
    const result = await verifyClient(baseInput, { http, now: clock.now, sleep: clock.sleep, random: half });
    expect([result.diagnosis, result.attempts, result.message]).toEqual([
      "bad_response",
      1,
      "the token endpoint idcs.example.test answered 403 without an OAuth error body",
    ]);
  });
});

describe("what the answers mean", () => {
  const cases: Array<[string, Parameters<typeof fakeHttp>[0], Partial<VerifyResult>]> = [
    [
      "token 401 invalid_client",
      {
        token: [
          respond(401, { error: "invalid_client", error_description: "Client authentication failed." }),
        ],
      },
      {
        diagnosis: "invalid_client",
        phase: "token",
        httpStatus: 401,
        message: "the identity domain rejected client client_app_1 (invalid_client, HTTP 401)",
      },
    ],
    [
      "token 401 without a body",
      { token: [respond(401, "")] },
      { diagnosis: "invalid_client", httpStatus: 401 },
    ],
    [
      "token 400 unauthorized_client",
      { token: [respond(400, { error: "unauthorized_client" })] },
      {
        diagnosis: "unauthorized_client",
        message: "client client_app_1 may not use the client_credentials grant (unauthorized_client)",
        hint: "add client_credentials to the app's allowedGrants (console: the app's OAuth configuration, Client credentials)",
      },
    ],
    [
      "token 400 invalid_grant",
      { token: [respond(400, { error: "invalid_grant" })] },
      {
        diagnosis: "bad_response",
        message: 'the token endpoint idcs.example.test answered 400 with OAuth error "invalid_grant"',
      },
    ],
    [
      "token 404",
      { token: [respond(404, "not here")] },
      {
        diagnosis: "bad_response",
        message: "the token endpoint idcs.example.test answered 404: there is no token endpoint at this URL",
      },
    ],
    [
      "token 302",
      { token: [respond(302, "", { location: "https://login.example.test/sso?token=abc" })] },
      {
        diagnosis: "redirected",
        phase: "token",
        message: "the token endpoint answered 302 redirecting to https://login.example.test/sso",
      },
    ],
    [
      "token 200 as HTML",
      { token: [respond(200, "<html>", { "content-type": "text/html" })] },
      {
        diagnosis: "bad_response",
        message:
          'the token endpoint idcs.example.test answered a 200 with content type "text/html" instead of JSON',
      },
    ],
    [
      "token 200 without access_token",
      { token: [respond(200, { token_type: "Bearer" })] },
      {
        diagnosis: "bad_response",
        message:
          "the token endpoint idcs.example.test answered a 200 whose body is not a token response ({access_token, token_type, expires_in})",
      },
    ],
    [
      "token that is not a JWT",
      { token: [tokenResponse("opaque-token-value")] },
      {
        diagnosis: "bad_response",
        message: "the token endpoint idcs.example.test answered an access token that is not a JWT",
      },
    ],
    [
      "token of another type",
      { token: [respond(200, { access_token: JWT, token_type: "mac" })] },
      {
        diagnosis: "bad_response",
        message: 'the token endpoint idcs.example.test answered a token of type "mac" instead of Bearer',
      },
    ],
    [
      "token for another audience",
      {
        token: [
          tokenResponse(
            makeJwt(
              tokenClaims(START, { aud: ["https://OTHER.integration.us-ashburn-1.ocp.oraclecloud.com:443"] }),
            ),
          ),
        ],
      },
      {
        diagnosis: "audience_mismatch",
        message: `the token's audience "https://OTHER.integration.us-ashburn-1.ocp.oraclecloud.com:443" does not include "https://0123456789ABCDEF0123456789ABCDEF.integration.us-ashburn-1.ocp.oraclecloud.com:443", the audience of scope "${FQS}"`,
      },
    ],
    [
      "token for another scope",
      { token: [tokenResponse(makeJwt(tokenClaims(START, { scope: "urn:opc:resource:consumer::all" })))] },
      {
        diagnosis: "audience_mismatch",
        message:
          'the token\'s scope claim "urn:opc:resource:consumer::all" does not include the requested "/ic/api/"',
      },
    ],
    [
      "token already expired",
      { token: [tokenResponse(makeJwt(tokenClaims(START, { exp: Math.floor(START / 1000) - 5 })))] },
      {
        diagnosis: "bad_response",
        message:
          "the token endpoint idcs.example.test answered an access token that expired at 2029-12-31T23:59:55.000Z, before it arrived (is this machine's clock right?)",
      },
    ],
    [
      "API 307 to the design-time host",
      {
        token: [tokenResponse(JWT)],
        api: [
          respond(307, "", {
            location: "https://design.example.test/ic/api/integration/v1/connections?integrationInstance=x",
          }),
        ],
      },
      {
        diagnosis: "redirected",
        phase: "api",
        httpStatus: 307,
        message: `GET /ic/api/integration/v1/connections answered 307 redirecting to https://design.example.test/ic/api/integration/v1/connections: ${DESIGN} is not the design-time host`,
      },
    ],
    [
      "API 403",
      { token: [tokenResponse(JWT)], api: [respond(403, "")] },
      {
        diagnosis: "role_missing",
        httpStatus: 403,
        attempts: 1,
        message:
          "GET /ic/api/integration/v1/connections answered 403: client client_app_1 has no role that can view connections on oicdev-axhknnpmgslz-ia",
        hint: "the app is configured with ServiceUser, which can view connections: the grant has not reached OIC yet or was not applied; check the grant on instance oicdev-axhknnpmgslz-ia's app, then retry with a larger retry budget",
      },
    ],
    [
      "API 401 NotAuthenticated: the token is for another instance",
      {
        token: [tokenResponse(JWT)],
        api: [
          respond(401, {
            code: "NotAuthenticated",
            message: "The required information to complete authentication was not provided or was incorrect.",
          }),
        ],
      },
      {
        diagnosis: "audience_mismatch",
        phase: "api",
        httpStatus: 401,
        attempts: 1,
        message: `GET /ic/api/integration/v1/connections answered 401 NotAuthenticated: instance oicdev-axhknnpmgslz-ia does not accept a token for "https://0123456789ABCDEF0123456789ABCDEF.integration.us-ashburn-1.ocp.oraclecloud.com:443"; either the scope "${FQS}" belongs to another instance, or this is how OIC refuses a client without a role that can view connections (OIC does not document which)`,
      },
    ],
    [
      "API 404",
      { token: [tokenResponse(JWT)], api: [respond(404, { code: "NotFound" })] },
      {
        diagnosis: "instance_not_found",
        message:
          'the design-time host design.example.test does not know integration instance "oicdev-axhknnpmgslz-ia" (404)',
      },
    ],
    [
      "API 200 with broken JSON",
      {
        token: [tokenResponse(JWT)],
        api: [respond(200, '{"items": [', { "content-type": "application/json" })],
      },
      {
        diagnosis: "bad_response",
        phase: "api",
        message:
          "the Developer API on design.example.test answered a 200 whose body is not a connections collection ({items, totalResults, hasMore})",
      },
    ],
    [
      "API 400",
      { token: [tokenResponse(JWT)], api: [respond(400, "")] },
      {
        diagnosis: "bad_response",
        message: "the Developer API on design.example.test answered an unexpected 400",
      },
    ],
    [
      "API TLS failure",
      { token: [tokenResponse(JWT)], api: [transportError("tls", "UNABLE_TO_VERIFY_LEAF_SIGNATURE")] },
      {
        diagnosis: "tls",
        httpStatus: null,
        message:
          "TLS verification of the Developer API on design.example.test failed (UNABLE_TO_VERIFY_LEAF_SIGNATURE)",
      },
    ],
  ];

  it.each(cases)("%s", async (_name, script, expected) => {
    const http = fakeHttp(script);
    const result = await verifyClient(baseInput, { http, now: () => START, retry: { budgetMs: 0 } });
    expect(result).toMatchObject(expected);
    expect(result.ok).toBe(false);
    expectNoLeak(result);
  });
});

/** Any character a terminal could act on: C0 and C1 controls, DEL, bidi and other format characters, separators. */
const UNSAFE_CHARACTER = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

async function checkWith(script: Parameters<typeof fakeHttp>[0], input = baseInput): Promise<VerifyResult> {
  const result = await verifyClient(input, {
    http: fakeHttp(script),
    now: () => START,
    retry: { budgetMs: 0 },
  });
  for (const text of [result.message, result.hint, JSON.stringify(result)]) {
    expect(text).not.toMatch(UNSAFE_CHARACTER);
  }
  return result;
}

const AUDIENCE_OF_FQS = FQS.slice(0, -"/ic/api/".length);

describe("what a server sent is printed safely: escaped and bounded", () => {
  it("escapes ANSI escapes and CR/LF in a claim, so they cannot clear the screen or forge a line", async () => {
    const aud = "\u001b[2J\u001b[H\r\n✔ ok  client_app_1\r\n\u009b31m\u202e";
    const result = await checkWith({ token: [tokenResponse(makeJwt(tokenClaims(START, { aud: [aud] })))] });
    expect(result.message).toBe(
      `the token's audience "\\x1b[2J\\x1b[H\\r\\n✔ ok  client_app_1\\r\\n\\x9b31m\\u{202e}" does not include "${AUDIENCE_OF_FQS}", the audience of scope "${FQS}"`,
    );
  });

  it("shows three of 20,000 audiences and counts the rest, instead of a 429 KB message", async () => {
    const aud = Array.from({ length: 20_000 }, (_, i) => `https://aud-${i}.example.test`);
    const result = await checkWith({ token: [tokenResponse(makeJwt(tokenClaims(START, { aud })))] });
    expect(result.message).toBe(
      `the token's audience "https://aud-0.example.test", "https://aud-1.example.test", "https://aud-2.example.test" (and 19997 more) does not include "${AUDIENCE_OF_FQS}", the audience of scope "${FQS}"`,
    );
  });

  it("cuts one huge value at 200 characters and the whole message at 1000", async () => {
    const scope = `${"x".repeat(100_000)}\n`;
    const result = await checkWith({ token: [tokenResponse(makeJwt(tokenClaims(START, { scope })))] });
    expect(result.message).toBe(
      `the token's scope claim "${"x".repeat(174)}… (99826 more characters)" does not include the requested "/ic/api/"`,
    );
    const long = `${AUDIENCE_OF_FQS}/${"p".repeat(5_000)}/ic/api/`;
    const many = await checkWith(
      { token: [tokenResponse(makeJwt(tokenClaims(START, { aud: ["a", "b"] })))] },
      { ...baseInput, scope: long },
    );
    // 1000 less the note, sized for a five-digit count; the count has four digits.
    expect(many.message).toHaveLength(999);
    expect(many.message.slice(-40)).toBe("pppppppppppppppp… (9288 more characters)");
  });

  it("bounds a redirect's Location", async () => {
    const result = await checkWith({
      token: [tokenResponse(JWT)],
      api: [respond(307, "", { location: `https://elsewhere.example.test/${"l".repeat(10_000)}` })],
    });
    expect(result.message).toBe(
      `GET /ic/api/integration/v1/connections answered 307 redirecting to https://elsewhere.example.test/${"l".repeat(144)}… (9856 more characters): ${DESIGN} is not the design-time host`,
    );
  });
});

describe("a secret a server echoes is redacted by value, whatever its shape", () => {
  it("the client secret as an OAuth error code (it has the shape of one)", async () => {
    const result = await checkWith({ token: [respond(400, { error: SECRET })] });
    expect(result.message).toBe(
      'the token endpoint idcs.example.test answered 400 with OAuth error "[redacted]"',
    );
    expectNoLeak(result);
  });

  it("a fragment of the secret, and the Basic credential, in a claim", async () => {
    const basic = Buffer.from(`client_app_1:${SECRET}`).toString("base64");
    const aud = [`https://x.example.test/${SECRET.slice(7, 19)}/y`, basic];
    const result = await checkWith({ token: [tokenResponse(makeJwt(tokenClaims(START, { aud })))] });
    expect(result.message).toBe(
      `the token's audience "https://x.example.test/[redacted]/y", "[redacted]" does not include "${AUDIENCE_OF_FQS}", the audience of scope "${FQS}"`,
    );
    expect(result.message).not.toContain(SECRET.slice(7, 19));
  });

  it("the URL-encoded, form-encoded and base64 forms of a secret with special characters", async () => {
    const secret = "p@ss w/rd+ü&Ω=zq9Xk7Vt";
    const basic = Buffer.from(
      `client_app_1:${new URLSearchParams([["", secret]]).toString().slice(1)}`,
    ).toString("base64");
    const aud = [encodeURIComponent(secret), new URLSearchParams([["", secret]]).toString().slice(1), basic];
    const scope = Buffer.from(secret).toString("base64url");
    const result = await checkWith(
      { token: [tokenResponse(makeJwt(tokenClaims(START, { aud })))] },
      { ...baseInput, clientSecret: secret },
    );
    expect(result.message).toBe(
      `the token's audience "[redacted]", "[redacted]", "[redacted]" does not include "${AUDIENCE_OF_FQS}", the audience of scope "${FQS}"`,
    );
    const scoped = await checkWith(
      { token: [tokenResponse(makeJwt(tokenClaims(START, { scope })))] },
      { ...baseInput, clientSecret: secret },
    );
    expect(scoped.message).toBe(
      'the token\'s scope claim "[redacted]" does not include the requested "/ic/api/"',
    );
  });

  it("the access token, echoed in a redirect's Location", async () => {
    const result = await checkWith({
      token: [tokenResponse(JWT)],
      api: [respond(307, "", { location: `https://elsewhere.example.test/t/${JWT}` })],
    });
    expect(result.message).toBe(
      `GET /ic/api/integration/v1/connections answered 307 redirecting to https://elsewhere.example.test/t/[redacted]: ${DESIGN} is not the design-time host`,
    );
    expectNoLeak(result);
  });
});

describe("input the HTTP layer would refuse", () => {
  it.each([
    [
      { tokenUrl: "http://127.0.0.1:9/oauth2/v1/token" },
      {},
      "invalid access-check input: tokenUrl http://127.0.0.1:9/oauth2/v1/token is plain http://, allowed only to a loopback host and only with allowPlainHttpOnLoopback (--allow-plain-http-on-loopback); use https://",
    ],
    [
      { designTimeUrl: "http://design.example.test" },
      { allowPlainHttpOnLoopback: true },
      "invalid access-check input: designTimeUrl http://design.example.test/ is plain http://, allowed only to a loopback host and only with allowPlainHttpOnLoopback (--allow-plain-http-on-loopback); use https://",
    ],
  ])("refuses plain http:// %j before any request, as an input error", async (urls, options, message) => {
    const http = Object.assign(
      fakeHttp({ token: [tokenResponse(JWT)], api: [connectionsResponse()] }),
      options,
    );
    await expect(verifyClient({ ...baseInput, ...urls }, { http })).rejects.toThrow(
      new VerifierInputError(message),
    );
    await expect(verifyClients([baseInput, { ...baseInput, ...urls }], { http })).rejects.toThrow(
      new VerifierInputError(message),
    );
    expect(http.requests).toEqual([]);
  });

  it("lets plain http:// reach loopback when the client allows it", async () => {
    const http = Object.assign(fakeHttp({ token: [tokenResponse(JWT)], api: [connectionsResponse()] }), {
      allowPlainHttpOnLoopback: true,
    });
    const result = await verifyClient(
      { ...baseInput, tokenUrl: "http://127.0.0.1:9/oauth2/v1/token", designTimeUrl: "http://127.0.0.3:9" },
      { http, now: () => START },
    );
    expect([result.diagnosis, http.requests.length]).toEqual(["ok", 2]);
  });

  it("refuses a per-request timeout or retry budget no timer can wait", async () => {
    await expect(verifyClient(baseInput, { timeoutMs: 2 ** 31 })).rejects.toThrow(
      "timeoutMs must be a positive number of milliseconds up to 2147483647 (about 24.8 days, the longest a Node.js timer waits), got 2147483648",
    );
    const http = fakeHttp({ token: [respond(503, "")] });
    await expect(verifyClient(baseInput, { http, retry: { budgetMs: 2 ** 31 } })).rejects.toThrow(
      new RangeError(
        "retry policy budgetMs must be at most 2147483647 ms (about 24.8 days, the longest a Node.js timer waits), got 2147483648",
      ),
    );
    expect(http.requests).toEqual([]);
  });
});

describe("several clients", () => {
  it("keeps at most `concurrency` checks in flight and returns results in input order", async () => {
    let inFlight = 0;
    let peak = 0;
    const slowToken = async () => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight -= 1;
      return tokenResponse(JWT);
    };
    const http = fakeHttp({ token: [slowToken], api: [connectionsResponse(7)] });
    const inputs = Array.from({ length: 10 }, (_, i) => ({ ...baseInput, clientId: `client_${i}` }));
    const results = await verifyClients(inputs, { http, concurrency: 3, now: () => START });
    expect(peak).toBe(3);
    expect(results.map((r) => r.clientId)).toEqual(inputs.map((i) => i.clientId));
    expect(results.every((r) => r.diagnosis === "ok" && r.tokenRequests === 1)).toBe(true);
    expect(http.requests).toHaveLength(20);
  });

  it("refuses a concurrency below one", async () => {
    await expect(verifyClients([baseInput], { concurrency: 0 })).rejects.toThrow(
      "concurrency must be a positive integer, got 0",
    );
  });
});
