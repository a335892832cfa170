/**
 * The fault matrix: every route the program, the rehearsal and the verifier call, and every fault the emulator
 * can inject, with what each cell must end with. The expectations are rules of the code under test, written out:
 * what heals is retried and ends `ok`; what does not heal fails at once; a fault that lasts exhausts the short
 * budgets of the matrix (3 attempts for the verifier and the provider, 3 s of virtual time for the deactivation)
 * and ends with a message that names the call.
 */
import type { EmulatorHost, FaultSpec, MissingRoleAnswer } from "../emulator";
import type { ProviderRoute } from "./consumers";
import type { World } from "./world";

export type RouteId = "token" | "connections" | ProviderRoute | "deactivate";
export type Caller = "verifier" | "provider" | "deactivation";

export interface Route {
  readonly id: RouteId;
  readonly label: string;
  readonly host: EmulatorHost;
  readonly method: string;
  /** The path prefix a fault on this route matches (no query). */
  path(world: World): string;
  readonly caller: Caller;
  /** How a failure's message names this call. */
  names(world: World): RegExp;
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
const IDCS = "https://127\\.0\\.0\\.1:\\d+";

function providerCall(operation: string, method: string, path: string): RegExp {
  return new RegExp(`^${operation} \\(${method} ${IDCS}${path}\\): `);
}

export const ROUTES: readonly Route[] = [
  {
    id: "token",
    label: "POST /oauth2/v1/token",
    host: "identity",
    method: "POST",
    path: () => "/oauth2/v1/token",
    caller: "verifier",
    names: () => /token endpoint|the identity domain rejected client [0-9a-f]{32}/,
  },
  {
    id: "connections",
    label: "GET /ic/api/integration/v1/connections",
    host: "designTime",
    method: "GET",
    path: () => "/ic/api/integration/v1/connections",
    caller: "verifier",
    names: () =>
      /GET \/ic\/api\/integration\/v1\/connections answered|the Developer API on 127\.0\.0\.3:\d+|instance oicdev-emulator-ia does not accept/,
  },
  {
    id: "instance",
    label: "GET /20190131/integrationInstances/{id}",
    host: "identity",
    method: "GET",
    path: () => "/20190131/integrationInstances/",
    caller: "provider",
    names: () =>
      providerCall("GetIntegrationInstance", "GET", "/20190131/integrationInstances/ocid1\\.[^)]+"),
  },
  {
    id: "oicApp",
    label: "GET /admin/v1/Apps/{OIC app}",
    host: "identity",
    method: "GET",
    path: (world) => `/admin/v1/Apps/${world.emu.oicAppId}`,
    caller: "provider",
    names: (world) => providerCall("GetApp", "GET", escape(`/admin/v1/Apps/${world.emu.oicAppId}`)),
  },
  {
    id: "appRoles",
    label: "GET /admin/v1/AppRoles",
    host: "identity",
    method: "GET",
    path: () => "/admin/v1/AppRoles",
    caller: "provider",
    names: () => providerCall("ListAppRoles", "GET", "/admin/v1/AppRoles"),
  },
  {
    id: "createApp",
    label: "POST /admin/v1/Apps",
    host: "identity",
    method: "POST",
    path: () => "/admin/v1/Apps",
    caller: "provider",
    names: () => providerCall("CreateApp", "POST", "/admin/v1/Apps"),
  },
  {
    id: "createGrant",
    label: "POST /admin/v1/Grants",
    host: "identity",
    method: "POST",
    path: () => "/admin/v1/Grants",
    caller: "provider",
    names: () => providerCall("CreateGrant", "POST", "/admin/v1/Grants"),
  },
  {
    id: "deactivate",
    label: "PUT /admin/v1/AppStatusChanger/{id}",
    host: "identity",
    method: "PUT",
    path: () => "/admin/v1/AppStatusChanger/",
    caller: "deactivation",
    names: () =>
      new RegExp(
        `^could not deactivate app [0-9a-f]{32} before deleting it \\(\\d+ attempt\\(s\\)\\): PUT ${IDCS}/admin/v1/AppStatusChanger/[0-9a-f]{32} failed: `,
      ),
  },
  {
    id: "deleteGrant",
    label: "DELETE /admin/v1/Grants/{id}",
    host: "identity",
    method: "DELETE",
    path: () => "/admin/v1/Grants/",
    caller: "provider",
    names: () => providerCall("DeleteGrant", "DELETE", "/admin/v1/Grants/[0-9a-f]{32}"),
  },
  {
    id: "deleteApp",
    label: "DELETE /admin/v1/Apps/{id}",
    host: "identity",
    method: "DELETE",
    path: () => "/admin/v1/Apps/",
    caller: "provider",
    names: () => providerCall("DeleteApp", "DELETE", "/admin/v1/Apps/[0-9a-f]{32}"),
  },
];

/** The timeout the code under test is given in the "no answer" rows, and how late the emulator answers. */
export const SHORT_TIMEOUT_MS = 200;
export const LATE_ANSWER_MS = 300;

/** What a cell is set up with, beyond a fault on its route. */
export interface Scenario {
  /** Tokens issued already expired (an emulator started with tokenTtlSeconds 0). */
  readonly expiredTokens?: boolean;
  /** The verifier's clock this far behind the emulator's (a machine whose clock is late). */
  readonly clockBehindMs?: number;
  /** The client's OIC roles (default ServiceUser); [] for none. */
  readonly roles?: readonly string[];
  /** The roles the verifier is told the client has (default: `roles`). */
  readonly configuredRoles?: readonly string[];
  /** The client is allowed (and asks for) the /ic/api/ scope of the second OIC instance. */
  readonly otherInstanceScope?: boolean;
  readonly inactive?: boolean;
  readonly missingRoleAnswer?: MissingRoleAnswer;
  /** Grants take this long (real time) to reach OIC, until the verifier has waited `visibleAfterMs` (virtual). */
  readonly lateGrant?: { readonly visibleAfterMs: number };
  /** The verifier's retry budgets instead of the matrix's. */
  readonly maxAttempts?: number;
}

export type Injection =
  | { readonly type: "fault"; readonly fault: Omit<FaultSpec, "host" | "method" | "path"> }
  | { readonly type: "certificate" }
  | { readonly type: "scenario"; readonly scenario: Scenario };

export interface Expectation {
  /** `ok`, the verifier's diagnosis, or `error`. */
  readonly outcome: string;
  /** The message must match (it must also name the call when the outcome is not `ok`). */
  readonly message?: RegExp;
  /** Requests the emulator saw on the route. */
  readonly requests: number;
  /** The verifier asked for one token only (it reuses the token while only the API call fails). */
  readonly oneToken?: boolean;
  /** A leftover this cell is known to leave, and why; anything else left behind fails the cell. */
  readonly orphan?: string;
}

export interface Row {
  readonly id: string;
  readonly label: string;
  readonly inject: Injection;
  /** Does the row apply to the route. */
  applies(route: Route): boolean;
  /** The client timeout of the code under test (default its own, 10 s). */
  readonly timeoutMs?: number;
  expect(route: Route): Expectation;
}

const ALL = (): boolean => true;
const on =
  (...ids: RouteId[]) =>
  (route: Route): boolean =>
    ids.includes(route.id);

/** Calls that parse the answer's body (reads and creates); deletes and the deactivation only look at the status. */
const PARSES: ReadonlySet<RouteId> = new Set([
  "token",
  "connections",
  "instance",
  "oicApp",
  "appRoles",
  "createApp",
  "createGrant",
]);

const LOST_CREATE =
  "the app was created but its answer was lost, so the state never knew it: terraform-provider-oci leaves it too (its create returns no id); the next up meets a 409 on its display name";

/** A fault that heals after one answer: the call is retried once and ends `ok`. */
function transient(label: string, id: string, fault: Injection & { type: "fault" }, timeoutMs?: number): Row {
  return {
    id,
    label,
    inject: fault,
    applies: ALL,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    expect: (route) => ({
      outcome: "ok",
      requests: 2,
      ...(route.id === "connections" ? { oneToken: true } : {}),
    }),
  };
}

/**
 * The deactivation's attempts within its 3 s budget (virtual): after a 429 with Retry-After 1 s it waits 1 s each
 * time (attempts at 0, 1, 2 and 3 s); otherwise it backs off 125, 250, 500 and 1000 ms (jitter 0.5) and stops when
 * the next wait, 2 s, would end beyond the budget.
 */
function deactivationAttempts(fault: Omit<FaultSpec, "host" | "method" | "path">): number {
  const retryAfter = fault.kind === "status" && fault.status === 429 && fault.retryAfterSeconds !== null;
  return retryAfter ? 4 : 5;
}

/** The status a lasting fault answers, as each caller words it. */
function lasting(
  label: string,
  id: string,
  fault: Omit<FaultSpec, "host" | "method" | "path">,
  words: { verifier: { outcome: string; message: RegExp }; provider: RegExp; deactivation: RegExp },
  timeoutMs?: number,
): Row {
  const always = { ...fault, times: Infinity };
  return {
    id,
    label,
    inject: { type: "fault", fault: always },
    applies: ALL,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    expect: (route) => {
      switch (route.caller) {
        case "verifier":
          return {
            ...words.verifier,
            requests: 3,
            ...(route.id === "connections" ? { oneToken: true } : {}),
          };
        case "provider":
          return {
            outcome: "error",
            message: words.provider,
            requests: 3,
            ...(timeoutMs !== undefined && route.id === "createApp" ? { orphan: LOST_CREATE } : {}),
          };
        case "deactivation":
          return {
            outcome: "error",
            message: words.deactivation,
            requests: deactivationAttempts(fault),
          };
      }
    },
  };
}

function statusWords(status: 429 | 500 | 502 | 503, retryAfter: boolean, html = false) {
  const reason = {
    429: "Too many requests",
    500: "Internal server error",
    502: "Bad gateway",
    503: "Service unavailable",
  }[status];
  const code = {
    429: "TooManyRequests",
    500: "InternalServerError",
    502: "BadGateway",
    503: "ServiceUnavailable",
  }[status];
  const service = html
    ? `Http Status Code: ${status}\\. Error Code: BadErrorResponse\\. \\(after 3 attempts\\)$`
    : `Http Status Code: ${status}\\. Error Code: (BadErrorResponse\\. Detail|${code}\\. Message): ${reason} \\(injected by the emulator\\)\\. \\(after 3 attempts\\)$`;
  return {
    verifier:
      status === 429
        ? {
            outcome: "rate_limited",
            message: new RegExp(`answered 429 Too Many Requests${retryAfter ? "; Retry-After 1 s" : ""}$`),
          }
        : { outcome: "server_error", message: new RegExp(`answered ${status}, a server-side failure$`) },
    provider: new RegExp(`Error returned by (IdentityDomains|IntegrationInstance) Service\\. ${service}`),
    deactivation: new RegExp(
      `failed: unexpected HTTP status ${status}\\. Fix: check that the identity domain is reachable, or deactivate it in the console and run destroy again$`,
    ),
  };
}

function bodyRow(
  id: string,
  label: string,
  kind: "truncated-json" | "malformed-json" | "wrong-content-type",
): Row {
  return {
    id,
    label,
    inject: { type: "fault", fault: { kind } },
    applies: ALL,
    expect: (route) => {
      if (route.caller === "verifier") {
        const what =
          kind === "wrong-content-type"
            ? 'a 200 with content type "text/html" instead of JSON'
            : route.id === "token"
              ? "a 200 whose body is not a token response"
              : "a 200 whose body is not a connections collection";
        return {
          outcome: "bad_response",
          message: new RegExp(`answered ${escape(what)}`),
          requests: 1,
          ...(route.id === "connections" ? { oneToken: true } : {}),
        };
      }
      // The SDK unmarshals JSON whatever the content type says; deletes and the deactivation read no body.
      if (kind === "wrong-content-type" || !PARSES.has(route.id)) return { outcome: "ok", requests: 1 };
      return {
        outcome: "error",
        message:
          /: the answer \(HTTP 200, \d+ bytes\) is not a JSON object; it may be truncated or malformed$/,
        requests: 1,
        ...(route.id === "createApp" ? { orphan: LOST_CREATE } : {}),
      };
    },
  };
}

const status = (code: 429 | 500 | 502 | 503, retryAfterSeconds?: number | null) => ({
  type: "fault" as const,
  fault: {
    kind: "status" as const,
    status: code,
    ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
  },
});

const scenario = (value: Scenario): Injection => ({ type: "scenario", scenario: value });

export const ROWS: readonly Row[] = [
  transient("429 with Retry-After 2 s, once", "429-ra-once", status(429, 2)),
  transient("429 without Retry-After, once", "429-once", status(429, null)),
  transient("500, once", "500-once", status(500)),
  transient("502, once", "502-once", status(502)),
  transient("503, once", "503-once", status(503)),
  lasting(
    "429 with Retry-After 1 s, lasting",
    "429-ra-always",
    { kind: "status", status: 429 },
    statusWords(429, true),
  ),
  lasting(
    "429 without Retry-After, lasting",
    "429-always",
    { kind: "status", status: 429, retryAfterSeconds: null },
    statusWords(429, false),
  ),
  lasting("500, lasting", "500-always", { kind: "status", status: 500 }, statusWords(500, false)),
  lasting("502, lasting", "502-always", { kind: "status", status: 502 }, statusWords(502, false)),
  lasting("503, lasting", "503-always", { kind: "status", status: 503 }, statusWords(503, false)),
  lasting(
    "HTML error page (502), lasting",
    "html-always",
    { kind: "html-error" },
    statusWords(502, false, true),
  ),
  transient("connection reset, once", "reset-once", { type: "fault", fault: { kind: "reset" } }),
  lasting(
    "connection reset, lasting",
    "reset-always",
    { kind: "reset" },
    {
      verifier: { outcome: "network", message: /: the connection was reset \(ECONNRESET\)$/ },
      provider: /: the connection was reset \(ECONNRESET\) \(after 3 attempts\)$/,
      deactivation: /failed: the connection was reset \(ECONNRESET\)\. Fix: /,
    },
  ),
  transient(
    `no headers within the ${SHORT_TIMEOUT_MS} ms timeout, once`,
    "timeout-once",
    { type: "fault", fault: { kind: "delay", delayMs: LATE_ANSWER_MS } },
    SHORT_TIMEOUT_MS,
  ),
  lasting(
    `no headers within the ${SHORT_TIMEOUT_MS} ms timeout, lasting`,
    "timeout-always",
    { kind: "delay", delayMs: LATE_ANSWER_MS },
    {
      verifier: { outcome: "timeout", message: new RegExp(`did not answer within ${SHORT_TIMEOUT_MS} ms$`) },
      provider: new RegExp(`: no answer within ${SHORT_TIMEOUT_MS} ms \\(after 3 attempts\\)$`),
      deactivation: new RegExp(`failed: no answer within ${SHORT_TIMEOUT_MS} ms\\. Fix: `),
    },
    SHORT_TIMEOUT_MS,
  ),
  bodyRow("truncated", "truncated JSON (a 200 cut in half)", "truncated-json"),
  bodyRow("malformed", "malformed JSON (a 200 with a trailing comma)", "malformed-json"),
  bodyRow("content-type", "wrong content type (the real body as text/html)", "wrong-content-type"),
  {
    id: "untrusted",
    label: "untrusted certificate (another CA)",
    inject: { type: "certificate" },
    applies: ALL,
    expect: (route) => {
      if (route.caller === "verifier") {
        return {
          outcome: "tls",
          message:
            /^TLS verification of the (token endpoint 127\.0\.0\.1|Developer API on 127\.0\.0\.3):\d+ failed \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\)$/,
          requests: 0,
        };
      }
      const words = /TLS handshake failed \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\)/;
      return { outcome: "error", message: words, requests: 0 };
    },
  },
  {
    id: "redirect",
    label: "307 to another host, lasting",
    inject: { type: "fault", fault: { kind: "redirect", times: Infinity } },
    applies: ALL,
    expect: (route) => {
      switch (route.caller) {
        case "verifier":
          return {
            outcome: "redirected",
            message: /answered 307 redirecting to https:\/\/redirected\.invalid\//,
            requests: 1,
            ...(route.id === "connections" ? { oneToken: true } : {}),
          };
        case "provider":
          // Any status but 400, 401, 403, 404, 412, 413 and a few 409/500 bodies is retried (retry.go).
          return {
            outcome: "error",
            message: /Http Status Code: 307\. Error Code: BadErrorResponse\. \(after 3 attempts\)$/,
            requests: 3,
          };
        case "deactivation":
          return {
            outcome: "error",
            message:
              /failed: redirected with 307 to https:\/\/redirected\.invalid\/admin\/v1\/AppStatusChanger\/[0-9a-f]{32}; redirects are not followed\. Fix: /,
            requests: 1,
          };
      }
    },
  },
  {
    id: "expired",
    label: "expired token (issued already expired)",
    inject: scenario({ expiredTokens: true }),
    applies: on("token"),
    expect: () => ({
      outcome: "bad_response",
      message:
        /answered an access token that expired at .+, before it arrived \(is this machine's clock right\?\)$/,
      requests: 1,
    }),
  },
  {
    id: "expired-at-oic",
    label: "expired token at OIC (this machine's clock 2 h late)",
    inject: scenario({ expiredTokens: true, clockBehindMs: 2 * 3600_000 }),
    applies: on("connections"),
    expect: () => ({
      outcome: "audience_mismatch",
      message: /answered 401 NotAuthenticated: instance oicdev-emulator-ia does not accept a token for/,
      requests: 3,
      oneToken: true,
    }),
  },
  {
    id: "wrong-audience",
    label: "token of another instance's audience",
    inject: scenario({ otherInstanceScope: true }),
    applies: on("connections"),
    expect: () => ({
      outcome: "audience_mismatch",
      message:
        /answered 401 NotAuthenticated: instance oicdev-emulator-ia does not accept a token for "https:\/\/[0-9A-F]{32}\.integration\.us-ashburn-1\.ocp\.oraclecloud\.com:443"; either the scope .+ belongs to another instance/,
      requests: 3,
      oneToken: true,
    }),
  },
  {
    id: "inactive",
    label: "inactive app",
    inject: scenario({ inactive: true }),
    applies: on("token"),
    expect: () => ({
      outcome: "invalid_client",
      message: /^the identity domain rejected client [0-9a-f]{32} \(invalid_client, HTTP 401\)$/,
      requests: 3,
    }),
  },
  ...(["401-not-authorized", "401-not-authenticated", "403-not-authorized"] as const).map((answer): Row => ({
    id: `role-${answer}`,
    label: `missing role (only ServiceInvoker), OIC answers ${answer}`,
    inject: scenario({ roles: ["ServiceInvoker"], missingRoleAnswer: answer }),
    applies: on("connections"),
    expect: () => ({
      outcome: "role_missing",
      message: new RegExp(
        `^GET /ic/api/integration/v1/connections answered ${answer.slice(0, 3)}${answer === "401-not-authenticated" ? " NotAuthenticated" : ""}: client [0-9a-f]{32} has no role that can view connections on oicdev-emulator-ia$`,
      ),
      requests: 1,
      oneToken: true,
    }),
  })),
  ...(["401-not-authorized", "401-not-authenticated", "403-not-authorized"] as const).map((answer): Row => ({
    id: `grant-${answer}`,
    label: `ServiceUser configured, never granted; OIC answers ${answer}`,
    inject: scenario({ roles: [], configuredRoles: ["ServiceUser"], missingRoleAnswer: answer }),
    applies: on("connections"),
    expect: () =>
      answer === "401-not-authenticated"
        ? {
            outcome: "audience_mismatch",
            message:
              /answered 401 NotAuthenticated: instance oicdev-emulator-ia does not accept a token for .+ or this is how OIC refuses a client without a role that can view connections/,
            requests: 3,
            oneToken: true,
          }
        : {
            outcome: "role_missing",
            message: new RegExp(
              `^GET /ic/api/integration/v1/connections answered ${answer.slice(0, 3)}: client [0-9a-f]{32} has no role that can view connections on oicdev-emulator-ia$`,
            ),
            requests: 3,
            oneToken: true,
          },
  })),
  {
    id: "late-grant",
    label: "late grant (visible to OIC 0.5 s after the check starts)",
    inject: scenario({ lateGrant: { visibleAfterMs: 500 }, maxAttempts: 10 }),
    applies: on("connections"),
    // Waits 125, 250, 500 ms (jitter 0.5): the grant is visible from the 4th attempt on, with the first token.
    expect: () => ({ outcome: "ok", requests: 4, oneToken: true }),
  },
];
