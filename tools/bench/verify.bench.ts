/**
 * `npm run bench:verify`: the access check against the emulator over HTTPS. Prints figures and ratios and
 * whether each goal is met; it asserts nothing (timings in tests would be flaky).
 *
 * 1. Happy path: its request count (must be 2, from the emulator's request log) and its time against curl
 *    making the same two requests.
 * 2. 1 client vs 50 clients verified concurrently (goal: 50 within 3x of 1), on bare loopback and with
 *    every answer delayed as a distant service's would be.
 * 3. A grant that becomes visible 5 s after it was made (goal: the check passes within 1.5 s of that).
 *
 * The emulator runs in its own process (tools/bench/emulatorProcess.ts): in the same process its token signing
 * and TLS would share the verifier's event loop and be counted as the verifier's time.
 *
 * `oic-verify` as a process is the bin users run, bin/oic-verify.js, which starts the bundle `npm ci` built
 * (dist/oic-verify.js, tools/build/bundles.ts); the benchmark rebuilds it first if a source changed and refuses
 * to measure the TypeScript fallback. `node -e 0` is Node.js's own start-up, the floor of any Node.js CLI.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { createInterface } from "node:readline";

import { freshBundle } from "../../bin/launch";
import type { EmulatorHandle, RecordedRequest } from "../emulator";
import { createHttpClient, type HttpClient } from "../../components/http";
import {
  basicAuthorization,
  connectionsUrl,
  DEFAULT_CONCURRENCY,
  verifyClient,
  verifyClients,
  type VerifyInput,
} from "../../components/verifier";
import { buildBundles } from "../build/bundles";
import { EmulatorAdmin } from "./emulatorAdmin";

type EmulatorInfo = Omit<EmulatorHandle, "control" | "close">;

const CLIENTS = 50;
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const PROPAGATION_MS = 5_000;
const PROPAGATION_RUNS = Number(process.env.BENCH_PROPAGATION_RUNS ?? 5);
const SIMULATED_LATENCY_MS = 100;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

async function samples(runs: number, fn: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const start = performance.now();
    await fn();
    out.push(performance.now() - start);
  }
  return out;
}

const ms = (value: number): string => `${value.toFixed(1)} ms`;
const goal = (met: boolean): string => (met ? "goal met" : "GOAL NOT MET");

async function startEmulatorProcess(clients: number): Promise<{ info: EmulatorInfo; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", join(__dirname, "emulatorProcess.ts"), String(clients)],
    {
      stdio: ["pipe", "pipe", "inherit"],
    },
  );
  const lines = createInterface({ input: child.stdout });
  const [line] = (await Promise.race([once(lines, "line"), once(child, "exit").then(() => ["exit"])])) as [
    string,
  ];
  if (line === "exit") throw new Error("the emulator process exited before it was ready");
  return { info: JSON.parse(line) as EmulatorInfo, child };
}

/** The emulator's control API (`/__emulator/*`), over the same verified TLS. */
class Control {
  constructor(
    private readonly http: HttpClient,
    private readonly idcsUrl: string,
  ) {}

  async clearRequests(): Promise<void> {
    await this.http.request({ method: "DELETE", url: `${this.idcsUrl}/__emulator/requests` });
  }

  async requests(): Promise<RecordedRequest[]> {
    const response = await this.http.request({ method: "GET", url: `${this.idcsUrl}/__emulator/requests` });
    return (JSON.parse(response.body) as { requests: RecordedRequest[] }).requests;
  }

  /** Every token and Developer API answer waits `ms` first, as a distant service would. */
  async addLatency(ms: number): Promise<void> {
    for (const path of ["/oauth2/v1/token", "/ic/api/"]) {
      await this.http.request({
        method: "POST",
        url: `${this.idcsUrl}/__emulator/faults`,
        body: { path, kind: "delay", delayMs: ms, times: "Infinity" },
      });
    }
  }

  async clearFaults(): Promise<void> {
    await this.http.request({ method: "DELETE", url: `${this.idcsUrl}/__emulator/faults` });
  }

  async setGrantsDelay(grantsMs: number): Promise<void> {
    await this.http.request({
      method: "PUT",
      url: `${this.idcsUrl}/__emulator/propagation`,
      body: { grantsMs },
    });
  }
}

/** The same two requests with curl (a fresh process and TLS handshakes each, like a pipeline script). */
function curlTwoRequests(info: EmulatorInfo, input: VerifyInput): Promise<void> {
  // Credentials reach curl through a config on stdin (-K -), not its argv.
  const script = [
    "set -e",
    `TOKEN=$(printf 'header = "Authorization: %s"\\n' "$BASIC" | curl -sS --fail --cacert "$CA" -K - -H 'Content-Type: application/x-www-form-urlencoded' --data grant_type=client_credentials --data-urlencode "scope=$SCOPE" "$TOKEN_URL" | sed -e 's/.*"access_token":"\\([^"]*\\)".*/\\1/')`,
    `printf 'header = "Authorization: Bearer %s"\\n' "$TOKEN" | curl -sS --fail --cacert "$CA" -K - -o /dev/null "$API_URL"`,
  ].join("\n");
  return new Promise((resolve, reject) => {
    execFile(
      "sh",
      ["-c", script],
      {
        env: {
          PATH: process.env.PATH,
          CA: info.caFile ?? "",
          BASIC: basicAuthorization(input.clientId, input.clientSecret),
          SCOPE: input.scope,
          TOKEN_URL: `${info.idcsUrl}/oauth2/v1/token`,
          API_URL: connectionsUrl(info.designTimeUrl, info.integrationInstance),
        },
      },
      (error) => (error ? reject(new Error(`curl failed (exit ${String(error.code)})`)) : resolve()),
    );
  });
}

/** Node.js starting and running nothing: what every Node.js CLI pays before its first line. */
function runEmptyNode(): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ["-e", "0"], (error) =>
      error ? reject(new Error(`node -e 0 failed (exit ${String(error.code)})`)) : resolve(),
    );
  });
}

function runCli(info: EmulatorInfo, input: VerifyInput): Promise<void> {
  const args = [
    join(__dirname, "..", "..", "bin", "oic-verify.js"),
    ...["--token-url", info.idcsUrl, "--client-id", input.clientId, "--scope", input.scope],
    ...["--design-time-url", info.designTimeUrl, "--integration-instance", info.integrationInstance],
    ...["--ca-file", info.caFile ?? "", "--retry-budget", "0", "--json"],
  ];
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      args,
      { env: { ...process.env, OIC_CLIENT_SECRET: input.clientSecret } },
      (error) => (error ? reject(new Error(`oic-verify failed (exit ${String(error.code)})`)) : resolve()),
    );
  });
}

async function happyPath(info: EmulatorInfo, control: Control, input: VerifyInput): Promise<void> {
  const options = { caFile: info.caFile ?? undefined, retry: { budgetMs: 0 } };
  await control.clearRequests();
  const first = await verifyClient(input, options);
  const requests = (await control.requests()).filter((r) => !r.path.startsWith("/__emulator"));
  console.log("1. happy path");
  console.log(`   diagnosis ${first.diagnosis}, ${first.connections ?? "?"} connections`);
  const seen = requests.map((r) => `${r.method} ${r.path} ${r.status}`).join(", ");
  console.log(
    `   requests in the emulator's log: ${requests.length} (${seen}) — ${requests.length === 2 ? "2 as required" : "NOT 2"}`,
  );
  const verifier = await samples(RUNS, () => verifyClient(input, options));
  const curl = await samples(RUNS, () => curlTwoRequests(info, input));
  const cli = await samples(RUNS, () => runCli(info, input));
  const node = await samples(RUNS, runEmptyNode);
  console.log(
    `   verifyClient (in process, new connections each run): median ${ms(median(verifier))} of ${RUNS}`,
  );
  console.log(
    `   curl, the same two requests (two curl processes):    median ${ms(median(curl))} of ${RUNS}`,
  );
  console.log(`   ratio verifyClient / curl: ${(median(verifier) / median(curl)).toFixed(2)}`);
  const cliRatio = median(cli) / median(curl);
  console.log(
    `   oic-verify as a process (the compiled bin, node start-up included): median ${ms(median(cli))} of ${cli.length}, ratio to curl ${cliRatio.toFixed(2)} (goal ≤ 2) — ${goal(cliRatio <= 2)}`,
  );
  console.log(
    `   node -e 0 (Node.js start-up alone): median ${ms(median(node))} of ${node.length}, ratio to curl ${(median(node) / median(curl)).toFixed(2)}`,
  );
}

async function fanOutOnce(
  inputs: readonly VerifyInput[],
  caFile: string | undefined,
  label: string,
): Promise<void> {
  const options = { caFile, retry: { budgetMs: 0 } };
  const check = async (batch: readonly VerifyInput[]): Promise<void> => {
    const results = await verifyClients(batch, options);
    const bad = results.filter((r) => !r.ok);
    if (bad.length > 0) throw new Error(`${bad.length} clients failed: ${bad[0]?.diagnosis ?? "?"}`);
  };
  const runs = Math.max(5, Math.floor(RUNS / 2));
  const single = await samples(runs, () => check(inputs.slice(0, 1)));
  const many = await samples(runs, () => check(inputs));
  const ratio = median(many) / median(single);
  console.log(`   ${label}`);
  console.log(
    `     1 client: median ${ms(median(single))}; ${inputs.length} clients: median ${ms(median(many))} (${runs} runs each)`,
  );
  console.log(`     ratio ${ratio.toFixed(2)} (goal ≤ 3) — ${goal(ratio <= 3)}`);
}

async function fanOut(info: EmulatorInfo, control: Control, inputs: readonly VerifyInput[]): Promise<void> {
  const caFile = info.caFile ?? undefined;
  console.log(
    `2. 1 vs ${inputs.length} clients (verifyClients: at most ${DEFAULT_CONCURRENCY} at once, one connection pool per call)`,
  );
  await fanOutOnce(
    inputs,
    caFile,
    "loopback, answers in about a millisecond (CPU-bound: token signing, TLS handshakes)",
  );
  await control.addLatency(SIMULATED_LATENCY_MS);
  try {
    await fanOutOnce(
      inputs,
      caFile,
      `every answer ${SIMULATED_LATENCY_MS} ms late, as from a distant service (emulator delay fault)`,
    );
  } finally {
    await control.clearFaults();
  }
}

async function propagation(info: EmulatorInfo, control: Control): Promise<void> {
  const admin = new EmulatorAdmin(info);
  const overshoots: number[] = [];
  console.log(
    `3. a grant that becomes visible ${PROPAGATION_MS / 1000} s after it was made (default retry policy)`,
  );
  try {
    await control.setGrantsDelay(PROPAGATION_MS);
    for (let run = 0; run < PROPAGATION_RUNS; run += 1) {
      const client = await admin.createClient(`bench-propagation-${run}-${Date.now()}`, [info.scopes.icApi]);
      await admin.grantRole(client.appId, "ServiceUser");
      const granted = performance.now();
      const result = await verifyClient(
        {
          tokenUrl: info.idcsUrl,
          clientId: client.clientId,
          clientSecret: client.clientSecret,
          scope: info.scopes.icApi,
          designTimeUrl: info.designTimeUrl,
          integrationInstance: info.integrationInstance,
          roles: ["ServiceUser"],
        },
        { caFile: info.caFile ?? undefined },
      );
      const passedAfter = performance.now() - granted;
      overshoots.push(passedAfter - PROPAGATION_MS);
      console.log(
        `   run ${run + 1}: ${result.diagnosis} ${ms(passedAfter)} after the grant (${result.attempts} attempts, ${result.tokenRequests} token request)`,
      );
    }
  } finally {
    await control.setGrantsDelay(0);
    admin.close();
  }
  const typical = median(overshoots);
  const worst = Math.max(...overshoots);
  console.log(
    `   time past visibility: median ${ms(typical)}, worst ${ms(worst)} (goal ≤ 1500 ms) — median: ${goal(typical <= 1500)}, worst: ${goal(worst <= 1500)}`,
  );
}

async function main(): Promise<void> {
  await buildBundles({ onlyStale: true });
  if (freshBundle("oic-verify") === undefined) throw new Error("dist/oic-verify.js could not be built");
  const { info, child } = await startEmulatorProcess(CLIENTS);
  const http = createHttpClient({ caFile: info.caFile ?? undefined });
  try {
    const control = new Control(http, info.idcsUrl);
    const inputs: VerifyInput[] = info.seededApps.map((app) => ({
      tokenUrl: info.idcsUrl,
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      scope: info.scopes.icApi,
      designTimeUrl: info.designTimeUrl,
      integrationInstance: info.integrationInstance,
      roles: ["ServiceUser"],
    }));
    const first = inputs[0];
    if (first === undefined) throw new Error("the emulator seeded no client");
    console.log(
      `oic-verify benchmark: emulator over HTTPS in its own process, node ${process.version}, medians of ${RUNS} runs\n`,
    );
    await happyPath(info, control, first);
    console.log();
    await fanOut(info, control, inputs);
    console.log();
    await propagation(info, control);
  } finally {
    http.close();
    child.stdin?.end();
    await once(child, "exit");
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
