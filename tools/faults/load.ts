/**
 * Load: a 50-client stack rehearsed (the real program, `rehearse()`) while the token endpoint and the admin API
 * answer 429s. Every client must end `ok`; the emulator's request log must show no request without a reason (per
 * route: the requests of a run without faults, plus exactly one retry per 429); and the access checks must stay
 * within `verification.concurrency` requests in flight. The runs without faults (1 and 2 clients) give each
 * route's requests as `fixed + per client × clients`, which is what the 50-client run is held to.
 */
import type { FaultSpec, RecordedRequest } from "../emulator";
import { rehearse, type Rehearsal } from "../rehearsal/run";
import { readStackFile, stackFilePath } from "../rehearsal/stackFile";
import { virtualClock } from "./clock";
import { maxInFlight } from "./inFlight";
import { loadProgram, PROJECT_ROOT } from "./program";

const NS = "oic-client-provisioner";
export const LOAD_CLIENTS = 50;
export const LOAD_CONCURRENCY = 8;
/** How long the token endpoint and the Developer API take to answer under load, so that checks overlap. */
const ANSWER_DELAY_MS = 20;

/** The rate limits: the first requests of each burst are refused (Retry-After where a service would send it). */
export const LOAD_FAULTS: readonly FaultSpec[] = [
  { path: "/oauth2/v1/token", kind: "status", status: 429, retryAfterSeconds: null, times: 20 },
  { method: "POST", path: "/admin/v1/Apps", kind: "status", status: 429, times: 10 },
  { method: "GET", path: "/admin/v1/AppRoles", kind: "status", status: 429, times: 10 },
  { method: "POST", path: "/admin/v1/Grants", kind: "status", status: 429, times: 10 },
  { method: "DELETE", path: "/admin/v1/Grants/", kind: "status", status: 429, times: 5 },
  {
    method: "PUT",
    path: "/admin/v1/AppStatusChanger/",
    kind: "status",
    status: 429,
    retryAfterSeconds: null,
    times: 5,
  },
  { method: "DELETE", path: "/admin/v1/Apps/", kind: "status", status: 429, times: 5 },
  // After the 429s (the first matching fault wins): every answer of the access checks' two routes takes a moment.
  { path: "/oauth2/v1/token", kind: "delay", delayMs: ANSWER_DELAY_MS, times: Infinity },
  { host: "designTime", path: "/ic/api/", kind: "delay", delayMs: ANSWER_DELAY_MS, times: Infinity },
];

/** The stack: the demo stack's settings with `count` clients, each ServiceUser with the Developer API's scope. */
export function loadConfig(count: number): Record<string, string> {
  const clients = Array.from({ length: count }, (_, index) => ({
    name: `load${String(index + 1).padStart(2, "0")}`,
    roles: ["ServiceUser"],
    scopes: ["icApi"],
  }));
  return {
    ...readStackFile(stackFilePath(PROJECT_ROOT, "demo")),
    [`${NS}:clients`]: JSON.stringify(clients),
    [`${NS}:verification`]: JSON.stringify({ retryBudgetSeconds: 60, concurrency: LOAD_CONCURRENCY }),
  };
}

/** `GET /admin/v1/Apps/{id}`: ids and OCIDs replaced, so that a route counts all its calls. */
export function routeOf(request: RecordedRequest): string {
  const path = request.path.replace(/[0-9a-f]{32}/g, "{id}").replace(/ocid1\.[^/]+/g, "{ocid}");
  return `${request.method} ${path}`;
}

function countByRoute(
  requests: readonly RecordedRequest[],
  keep: (r: RecordedRequest) => boolean,
): Map<string, number> {
  const counts = new Map<string, number>();
  for (const request of requests.filter(keep))
    counts.set(routeOf(request), (counts.get(routeOf(request)) ?? 0) + 1);
  return counts;
}

export async function rehearseClients(count: number, faults: readonly FaultSpec[] = []): Promise<Rehearsal> {
  return rehearse({
    projectRoot: PROJECT_ROOT,
    config: loadConfig(count),
    load: loadProgram,
    providerRetry: { clock: virtualClock() },
    onStarted: (emulator) => {
      for (const fault of faults) emulator.control.injectFault(fault);
    },
  });
}

export interface RouteCount {
  readonly route: string;
  /** Requests the emulator saw. */
  readonly total: number;
  readonly refused429: number;
  /** What a run without faults makes for this many clients: fixed + per client × clients. */
  readonly expected: number;
  readonly perClient: number;
  readonly fixed: number;
}

export interface LoadResult {
  readonly rehearsal: Rehearsal;
  /** The smaller runs without faults, for the expected counts (and the leak scan). */
  readonly references: readonly Rehearsal[];
  readonly okClients: number;
  readonly routes: readonly RouteCount[];
  readonly maxInFlightChecks: number;
  readonly maxInFlightAdmin: number;
  readonly realMs: number;
  /** The access checks' attempts (the state of each OicAccessCheck). */
  readonly checkAttempts: number;
  readonly problems: {
    readonly ok: string[];
    readonly requests: string[];
    readonly concurrency: string[];
  };
}

const isCheckRoute = (r: RecordedRequest): boolean =>
  r.path === "/oauth2/v1/token" || r.host === "designTime";

export async function runLoad(): Promise<LoadResult> {
  const references = [await rehearseClients(1), await rehearseClients(2)];
  const [one, two] = references.map((r) => countByRoute(r.emulator.control.requests(), () => true));
  const started = performance.now();
  const rehearsal = await rehearseClients(LOAD_CLIENTS, LOAD_FAULTS);
  const realMs = performance.now() - started;
  const log = rehearsal.emulator.control.requests();
  const problems: LoadResult["problems"] = { ok: [], requests: [], concurrency: [] };

  const okClients = rehearsal.clients.filter((client) => client.check === "ok").length;
  if (!rehearsal.deployment.ok)
    problems.ok.push(`the deployment failed: ${rehearsal.deployment.errors.join("; ")}`);
  if (okClients !== LOAD_CLIENTS) problems.ok.push(`${okClients} of ${LOAD_CLIENTS} clients ended ok`);
  if (rehearsal.destruction?.ok !== true)
    problems.ok.push(`the destroy failed: ${rehearsal.destruction?.error ?? "?"}`);
  const left = rehearsal.leftover;
  if (left === undefined || left.apps.length + left.grants.length > 0)
    problems.ok.push(`left behind: ${left?.apps.length ?? "?"} apps, ${left?.grants.length ?? "?"} grants`);

  const totals = countByRoute(log, () => true);
  const refused = countByRoute(log, (r) => r.status === 429);
  const others = log.filter((r) => r.status !== 429 && (r.status < 200 || r.status >= 300));
  if (others.length > 0)
    problems.requests.push(
      `answers other than 2xx and 429: ${[...new Set(others.map((r) => `${routeOf(r)} ${r.status}`))].join(", ")}`,
    );
  const routes: RouteCount[] = [];
  for (const route of new Set([...(one?.keys() ?? []), ...(two?.keys() ?? []), ...totals.keys()])) {
    const a = one?.get(route) ?? 0;
    const b = two?.get(route) ?? 0;
    const perClient = b - a;
    const fixed = a - perClient;
    const expected = fixed + perClient * LOAD_CLIENTS;
    const total = totals.get(route) ?? 0;
    const refused429 = refused.get(route) ?? 0;
    routes.push({ route, total, refused429, expected, perClient, fixed });
    if (total !== expected + refused429)
      problems.requests.push(
        `${route}: ${total} requests, expected ${expected} + ${refused429} retries after 429s`,
      );
  }
  const injected = LOAD_FAULTS.filter((f) => f.kind === "status").reduce((sum, f) => sum + (f.times ?? 1), 0);
  const refusedTotal = [...refused.values()].reduce((sum, n) => sum + n, 0);
  if (refusedTotal !== injected)
    problems.requests.push(`${refusedTotal} 429s answered, ${injected} injected`);
  const checks = log.filter(isCheckRoute).filter((r) => r.status !== 429).length;
  if (checks !== 2 * LOAD_CLIENTS)
    problems.requests.push(
      `${checks} token and Developer API requests besides the 429s, expected 2 per client`,
    );

  const maxInFlightChecks = maxInFlight(log.filter(isCheckRoute));
  const maxInFlightAdmin = maxInFlight(log.filter((r) => !isCheckRoute(r)));
  if (maxInFlightChecks > LOAD_CONCURRENCY)
    problems.concurrency.push(
      `${maxInFlightChecks} access-check requests in flight, above verification.concurrency ${LOAD_CONCURRENCY}`,
    );
  if (maxInFlightChecks < 2)
    problems.concurrency.push("the access checks never overlapped: the bound was not exercised");

  const checkAttempts = rehearsal.deployment.resources
    .filter((r) => r.type.endsWith(":OicAccessCheck"))
    .reduce((sum, r) => sum + Number(r.state["attempts"] ?? 0), 0);
  return {
    rehearsal,
    references,
    okClients,
    routes: routes.sort((x, y) => x.route.localeCompare(y.route)),
    maxInFlightChecks,
    maxInFlightAdmin,
    realMs,
    checkAttempts,
    problems,
  };
}
