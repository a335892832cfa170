/**
 * Runs every applicable cell of the fault matrix (cells.ts) against emulators in this process: set up what the
 * call needs with no fault in force, inject the fault, make the call with the virtual clock, take the fault away,
 * read what the emulator saw, destroy what the state knows (as `pulumi destroy` would, once the fault is gone),
 * and check that nothing is left behind, in the emulator or in the temporary directory.
 */
import { readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";

import type { EmulatorStateSnapshot, RecordedRequest } from "../emulator";
import { virtualClock, type VirtualClock } from "./clock";
import { ROUTES, ROWS, LATE_ANSWER_MS, type Expectation, type Route, type Row, type Scenario } from "./cells";
import {
  runDeactivation,
  runProvider,
  runVerifier,
  verifierInput,
  VERIFIER_RETRY,
  type Observed,
  type ProviderRoute,
} from "./consumers";
import { type LeakScanner } from "./leaks";
import {
  appInputs,
  destroyKnown,
  makeClient,
  SECOND_INSTANCE,
  startWorld,
  type Known,
  type MadeClient,
  type World,
} from "./world";
import { deactivateApp } from "../../components/identityDomain";

export interface CellResult {
  readonly row: Row;
  readonly route: Route;
  readonly expected: Expectation;
  readonly observed: Observed;
  /** Requests the emulator saw on the route during the call. */
  readonly requests: number;
  /** Virtual milliseconds the retries waited. */
  readonly waitedMs: number;
  readonly realMs: number;
  /** `nothing`, or what the cell left in the emulator. */
  readonly leftover: string;
  readonly problems: readonly string[];
}

function tmpEntries(): string[] {
  return readdirSync(tmpdir()).sort();
}

function idsOf(state: EmulatorStateSnapshot): Set<string> {
  return new Set([...state.apps.map((a) => `app ${a.id}`), ...state.grants.map((g) => `grant ${g.id}`)]);
}

function onRoute(route: Route, world: World, request: RecordedRequest): boolean {
  return (
    request.host === route.host &&
    request.method === route.method &&
    request.path.startsWith(route.path(world))
  );
}

/** A standard client per world, for the cells whose fault is on the route and not in the client. */
const standardClients = new WeakMap<World, MadeClient>();

async function standardClient(world: World): Promise<MadeClient> {
  let client = standardClients.get(world);
  if (client === undefined) {
    client = await makeClient(world);
    standardClients.set(world, client);
  }
  return client;
}

interface Prepared {
  readonly client?: MadeClient;
  /** The display name of the app the call itself creates, if it creates one. */
  readonly displayName?: string;
  /** What the state knows and a destroy removes afterwards (not the standard client). */
  readonly known: Known[];
  readonly call: (clock: ReturnType<typeof virtualClock>) => Promise<Observed>;
}

async function prepareVerifier(world: World, row: Row, route: Route, scenario: Scenario): Promise<Prepared> {
  const { emu } = world;
  const own =
    scenario.roles !== undefined ||
    scenario.inactive === true ||
    scenario.otherInstanceScope === true ||
    scenario.lateGrant;
  if (scenario.lateGrant) emu.control.setPropagationDelays({ grantsMs: 3_600_000 });
  const other = emu.instances.find((i) => i.integrationInstance === SECOND_INSTANCE);
  const scope = scenario.otherInstanceScope ? (other?.scopes.icApi ?? "") : emu.scopes.icApi;
  const client = own
    ? await makeClient(world, {
        scopes: [scope],
        roles: scenario.roles ?? ["ServiceUser"],
        active: scenario.inactive !== true,
      })
    : await standardClient(world);
  const input = verifierInput(world, client, {
    scope,
    roles: [...(scenario.configuredRoles ?? scenario.roles ?? ["ServiceUser"])],
    probe: route.id === "token" ? "token" : "connections",
  });
  return {
    client,
    known: own ? client.known : [],
    call: (clock) =>
      runVerifier(world, clock, {
        input,
        ...(row.timeoutMs === undefined ? {} : { timeoutMs: row.timeoutMs }),
        ...(scenario.maxAttempts === undefined
          ? {}
          : { retry: { ...VERIFIER_RETRY, maxAttempts: scenario.maxAttempts } }),
      }),
  };
}

async function prepareProvider(world: World, row: Row, route: Route): Promise<Prepared> {
  const id = route.id as ProviderRoute;
  const needsClient = id === "createGrant" || id === "deleteGrant" || id === "deleteApp";
  const client = needsClient
    ? await makeClient(world, { roles: id === "deleteGrant" ? ["ServiceUser"] : [] })
    : undefined;
  if (id === "deleteApp" && client) {
    await deactivateApp(
      {
        idcsEndpoint: world.emu.idcsUrl,
        appId: client.appId,
        signWith: { settings: world.key.credentials, env: {} },
        caFile: world.caFile,
      },
      virtualClock(),
    );
  }
  const app = id === "createApp" ? appInputs(world, [world.emu.scopes.icApi]) : undefined;
  return {
    ...(client === undefined ? {} : { client }),
    ...(app === undefined ? {} : { displayName: String(app["displayName"]) }),
    known: client?.known ?? [],
    call: (clock) =>
      runProvider(
        world,
        clock,
        { route: id, ...(client ? { client } : {}), ...(app ? { app } : {}) },
        row.timeoutMs,
      ),
  };
}

async function prepareDeactivation(world: World, row: Row): Promise<Prepared> {
  const client = await makeClient(world, { roles: [] });
  return {
    client,
    known: client.known,
    call: (clock) => runDeactivation(world, clock, client, row.timeoutMs),
  };
}

function check(
  world: World,
  row: Row,
  route: Route,
  expected: Expectation,
  observed: Observed,
  requests: number,
  leftover: string[],
): string[] {
  const problems: string[] = [];
  if (observed.outcome !== expected.outcome)
    problems.push(`outcome ${observed.outcome}, expected ${expected.outcome}`);
  if (expected.message && !expected.message.test(observed.message))
    problems.push(`message does not match ${String(expected.message)}`);
  if (observed.outcome !== "ok" && !route.names(world).test(observed.message))
    problems.push("the message does not name the call");
  if (requests !== expected.requests)
    problems.push(`${requests} requests on the route, expected ${expected.requests}`);
  if (observed.reported !== undefined && row.inject.type !== "certificate" && observed.reported !== requests)
    problems.push(`reports ${observed.reported} attempts, the emulator saw ${requests}`);
  if (expected.oneToken && observed.tokenRequests !== 1)
    problems.push(`${observed.tokenRequests ?? 0} token requests, expected 1 (the token is reused)`);
  if (leftover.length > 0 && !(expected.orphan && leftover.length === 1 && leftover[0]?.startsWith("app ")))
    problems.push(`left behind: ${leftover.join(", ")}`);
  if (expected.orphan && leftover.length === 0) problems.push("the expected orphan is not there");
  return problems;
}

interface Running {
  readonly route: Route;
  readonly expected: Expectation;
  readonly prepared: Prepared;
  readonly clock: VirtualClock;
  observed?: Observed;
  realMs?: number;
}

/**
 * One row on a group of routes at once: every call of the group is made at the same time, each with its own
 * virtual clock. The routes of a group must not depend on one another (the Developer API's cell asks for a token,
 * so it never shares a group with the token endpoint's), so each fault only meets the call it is meant for.
 * Everything the calls need is made before any fault is injected, and destroyed after the faults are gone.
 */
async function runBatch(
  world: World,
  row: Row,
  routes: readonly Route[],
  scanner: LeakScanner,
): Promise<CellResult[]> {
  const { control } = world.emu;
  const scenario = row.inject.type === "scenario" ? row.inject.scenario : {};
  if (routes.some((route) => route.caller === "verifier")) await standardClient(world);
  const tmpBefore = tmpEntries();
  const before = idsOf(control.state());
  const running: Running[] = [];
  for (const route of routes) {
    const prepared =
      route.caller === "verifier"
        ? await prepareVerifier(world, row, route, scenario)
        : route.caller === "provider"
          ? await prepareProvider(world, row, route)
          : await prepareDeactivation(world, row);
    const visibleAfter = scenario.lateGrant?.visibleAfterMs;
    const clock = virtualClock({
      ...(scenario.clockBehindMs === undefined ? {} : { startMs: Date.now() - scenario.clockBehindMs }),
      ...(visibleAfter === undefined
        ? {}
        : { onWaited: (waited) => waited >= visibleAfter && control.setPropagationDelays({ grantsMs: 0 }) }),
    });
    running.push({ route, expected: row.expect(route), prepared, clock });
  }
  control.clearFaults();
  control.clearRequests();
  for (const { route } of running) {
    if (row.inject.type === "fault")
      control.injectFault({
        host: route.host,
        method: route.method,
        path: route.path(world),
        ...row.inject.fault,
      });
    if (row.inject.type === "certificate") control.setCertificate(route.host, "untrusted");
  }
  if (scenario.missingRoleAnswer) control.setMissingRoleAnswer(scenario.missingRoleAnswer);
  await Promise.all(
    running.map(async (cell) => {
      const started = performance.now();
      cell.observed = await cell.prepared.call(cell.clock);
      cell.realMs = performance.now() - started;
    }),
  );
  control.clearFaults();
  for (const host of ["identity", "runtime", "designTime"] as const) control.setCertificate(host, "trusted");
  control.setMissingRoleAnswer("401-not-authorized");
  control.setPropagationDelays({ grantsMs: 0 });
  // A late answer's handler still runs after the client gave up, and the emulator records a request when its
  // answer is done: wait until each route's requests are all recorded (or long enough that they cannot be).
  const onRouteCount = (route: Route): number =>
    control.requests().filter((r) => onRoute(route, world, r)).length;
  if (row.inject.type === "fault" && row.inject.fault.kind === "delay") {
    const deadline = performance.now() + LATE_ANSWER_MS + 1_000;
    while (running.some((c) => onRouteCount(c.route) < c.expected.requests) && performance.now() < deadline)
      await sleep(10);
  }
  const log = control.requests();
  scanner.scan(`matrix ${row.id}: the emulator's request log`, JSON.stringify(log));

  await destroyKnown(
    world,
    running.flatMap((c) => [...c.prepared.known, ...(c.observed?.created ?? [])]),
  );
  const after = control.state();
  const leftover = [...idsOf(after)].filter((id) => !before.has(id));
  if (leftover.length > 0) {
    // Cleaned up so that the next row starts from the same state; the cells still report it.
    await destroyKnown(
      world,
      leftover.map((entry): Known => {
        const [type, id] = entry.split(" ") as ["app" | "grant", string];
        return { type, id, state: { idcsEndpoint: world.emu.idcsUrl } };
      }),
    );
  }
  // A leftover app belongs to the cell that asked for it (its display name); anything else to every cell.
  const ownerOf = (entry: string): Running | undefined => {
    const app = after.apps.find((a) => `app ${a.id}` === entry);
    return running.find((c) => app !== undefined && c.prepared.displayName === app.displayName);
  };
  const tmpAfter = tmpEntries();
  const tmpChanged =
    tmpAfter.join() === tmpBefore.join()
      ? undefined
      : `temporary directory changed: ${tmpAfter.filter((e) => !tmpBefore.includes(e)).join(", ") || "entries removed"}`;
  return running.map((cell) => {
    const observed = cell.observed ?? { outcome: "none", message: "the call did not run", emitted: [] };
    scanner.scan(`matrix ${row.id} × ${cell.route.id}: what the call emitted`, observed.emitted.join("\n"));
    const requests = log.filter((r) => onRoute(cell.route, world, r)).length;
    const mine = leftover.filter((entry) => {
      const owner = ownerOf(entry);
      return owner === undefined || owner === cell;
    });
    const problems = check(world, row, cell.route, cell.expected, observed, requests, mine);
    if (tmpChanged !== undefined) problems.push(tmpChanged);
    return {
      row,
      route: cell.route,
      expected: cell.expected,
      observed,
      requests,
      waitedMs: cell.clock.waited(),
      realMs: cell.realMs ?? 0,
      leftover:
        mine.length === 0
          ? "nothing"
          : `${mine.length} ${mine.length === 1 ? "resource" : "resources"}${cell.expected.orphan ? " (known orphan)" : ""}`,
      problems,
    };
  });
}

export interface MatrixRun {
  readonly cells: readonly CellResult[];
  /** Cells that do not apply (a fault of the token or of OIC on an admin route). */
  readonly notApplicable: number;
}

/** Every applicable cell; a row's routes at once where they do not depend on one another. */
export async function runMatrix(
  scanner: LeakScanner,
  onCell?: (cell: CellResult) => void,
): Promise<MatrixRun> {
  const main = await startWorld(scanner);
  let expired: World | undefined;
  const cells: CellResult[] = [];
  let notApplicable = 0;
  try {
    for (const row of ROWS) {
      const routes = ROUTES.filter((route) => row.applies(route));
      notApplicable += ROUTES.length - routes.length;
      const scenario = row.inject.type === "scenario" ? row.inject.scenario : {};
      const world = scenario.expiredTokens
        ? (expired ??= await startWorld(scanner, { tokenTtlSeconds: 0 }))
        : main;
      // The Developer API's check asks for a token: never at the same time as a fault on the token endpoint.
      const groups = [
        routes.filter((r) => r.id !== "connections"),
        routes.filter((r) => r.id === "connections"),
      ];
      for (const group of groups.filter((g) => g.length > 0)) {
        for (const cell of await runBatch(world, row, group, scanner)) {
          cells.push(cell);
          onCell?.(cell);
        }
      }
    }
    for (const world of [main, expired]) {
      const client = world && standardClients.get(world);
      if (world && client) await destroyKnown(world, client.known);
    }
  } finally {
    await main.close();
    await expired?.close();
  }
  return { cells, notApplicable };
}
