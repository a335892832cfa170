/**
 * `npm run test:faults`: the fault matrix (every fault the emulator injects on every route the program, the
 * rehearsal and the verifier call), the whole program under a fault per phase, the demo, a 50-client load with
 * 429s, and a leak scan of everything they emitted. Prints the tables, then exactly `N passed, M failed` on the
 * last line; exits 1 when anything failed.
 *
 * Runs in one process with a temporary directory of its own (TMPDIR), so that what is left on disk is what these
 * runs left, whatever else runs on the machine.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { LeakScanner } from "./leaks";
import { runLoad, LOAD_CLIENTS, LOAD_CONCURRENCY } from "./load";
import { runMatrix } from "./matrix";
import { callerTable, cellLines } from "./report";
import { REHEARSAL_ROWS, runDemos, runRehearsalRow, scanRehearsal } from "./rehearsals";

interface Check {
  readonly name: string;
  readonly problems: readonly string[];
}

type Write = typeof process.stdout.write;

/** Everything written to stdout and stderr from now on, by anyone in this process, is also kept for the scan. */
function tee(): { text(): string; restore(): void } {
  const chunks: string[] = [];
  const originals: Array<[NodeJS.WriteStream, Write]> = [];
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write.bind(stream);
    originals.push([stream, original]);
    const teeWrite = (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
      chunks.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
      return Reflect.apply(original, stream, [chunk, ...rest]) as boolean;
    };
    stream.write = teeWrite;
  }
  return {
    text: () => chunks.join(""),
    restore: () => {
      for (const [stream, write] of originals) stream.write = write;
    },
  };
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

async function run(print: (line?: string) => void, scanner: LeakScanner): Promise<Check[]> {
  const checks: Check[] = [];

  print("Fault matrix: every fault on every route, each call with the virtual clock and short budgets");
  const matrixStarted = performance.now();
  const matrix = await runMatrix(scanner);
  const matrixMs = performance.now() - matrixStarted;
  for (const line of cellLines(matrix.cells)) print(line);
  for (const cell of matrix.cells)
    checks.push({ name: `${cell.row.label} × ${cell.route.label}`, problems: cell.problems });
  const matrixFailed = matrix.cells.filter((c) => c.problems.length > 0).length;
  const orphans = matrix.cells.filter((c) => c.expected.orphan !== undefined);
  print();
  print(
    `Matrix: ${matrix.cells.length} cells (${matrix.notApplicable} not applicable), ${matrix.cells.length - matrixFailed} passed, ${matrixFailed} failed, in ${seconds(matrixMs)}; ` +
      `${matrix.cells.filter((c) => c.observed.outcome === "ok").length} ended ok, the others with a message naming the call.`,
  );
  if (orphans.length > 0) {
    print(
      `Known orphans (${orphans.length} cells): ${orphans.map((c) => `${c.row.label} × ${c.route.label}`).join("; ")}: ${orphans[0]?.expected.orphan ?? ""}.`,
    );
  }
  print();
  for (const line of callerTable(matrix.cells)) print(line);

  print();
  print("The whole program under a fault (rehearse(), one client)");
  for (const row of REHEARSAL_ROWS) {
    const result = await runRehearsalRow(row, scanner);
    checks.push({ name: `rehearsal: ${row.label}`, problems: result.problems });
    print(
      `  ${result.problems.length === 0 ? "PASS" : "FAIL"} ${row.label}: ${result.rehearsal.deployment.ok ? "deployed" : "failed"}, destroy ${result.rehearsal.destruction?.ok === true ? "ok" : "failed"}, left behind ${result.leftover}, ${seconds(result.realMs)} (waited ${seconds(result.waitedMs)} virtual)`,
    );
    if (!result.rehearsal.deployment.ok) print(`      ${result.outcome}`);
    for (const problem of result.problems) print(`      ✖ ${problem}`);
  }

  print();
  print(`Load: ${LOAD_CLIENTS} clients rehearsed with 429s on the token endpoint and the admin API`);
  const loadStarted = performance.now();
  const load = await runLoad();
  const loadMs = performance.now() - loadStarted;
  load.references.forEach((reference, index) =>
    scanRehearsal(`load reference ${index + 1}`, reference, [], scanner),
  );
  scanRehearsal("load", load.rehearsal, [], scanner);
  const refused = load.routes.reduce((sum, r) => sum + r.refused429, 0);
  const total = load.routes.reduce((sum, r) => sum + r.total, 0);
  print(
    `  ${load.okClients}/${LOAD_CLIENTS} clients ok in ${seconds(load.realMs)}; ${total} requests = ${total - refused} of a run without faults + ${refused} retries after ${refused} 429s; access checks: ${load.checkAttempts} attempts for ${LOAD_CLIENTS} clients (with the runs without faults of 1 and 2 clients: ${seconds(loadMs)})`,
  );
  print(
    `  max in flight: ${load.maxInFlightChecks} token/Developer API requests (verification.concurrency ${LOAD_CONCURRENCY}), ${load.maxInFlightAdmin} admin API requests`,
  );
  print(`  ${"route".padEnd(42)} requests  429s  expected (fixed + per client × ${LOAD_CLIENTS})`);
  for (const r of load.routes) {
    print(
      `  ${r.route.padEnd(42)} ${String(r.total).padEnd(9)} ${String(r.refused429).padEnd(5)} ${r.expected} (${r.fixed} + ${r.perClient} × ${LOAD_CLIENTS})`,
    );
  }
  checks.push({
    name: `load: all ${LOAD_CLIENTS} clients ok, destroyed, nothing left`,
    problems: load.problems.ok,
  });
  checks.push({
    name: "load: requests = a run without faults + one retry per 429",
    problems: load.problems.requests,
  });
  checks.push({
    name: `load: at most ${LOAD_CONCURRENCY} access-check requests in flight`,
    problems: load.problems.concurrency,
  });
  for (const group of Object.values(load.problems)) for (const problem of group) print(`      ✖ ${problem}`);

  print();
  print("The demo (npm run demo, --json, --keep with the oic-verify commands it prints)");
  const demosStarted = performance.now();
  const demos = await runDemos(scanner);
  print(`  ${demos.length} runs in ${seconds(performance.now() - demosStarted)}`);
  for (const demo of demos) {
    checks.push({ name: `demo ${demo.argv.join(" ") || "(plain)"}`, problems: demo.problems });
    print(
      `  ${demo.problems.length === 0 ? "PASS" : "FAIL"} npm run demo ${demo.argv.length > 0 ? `-- ${demo.argv.join(" ")}` : ""}: exit ${demo.code}`,
    );
    for (const problem of demo.problems) print(`      ✖ ${problem}`);
  }

  return checks;
}

/** The scan's verdict, one check per group of sources (the group is the start of each text's name). */
function leakChecks(scanner: LeakScanner, print: (line?: string) => void): Check[] {
  const leaks = scanner.search();
  const { sources, chars, secrets } = scanner.summary();
  const counted = [...secrets].map(([kind, count]) => `${count} ${kind}${count === 1 ? "" : "s"}`).join(", ");
  print(
    `Leak scan: ${sources} texts, ${(chars / 1_000_000).toFixed(2)} MB (every message, error, result, table, transcript, request log and temporary file, and this process's stdout and stderr)`,
  );
  print(
    `  searched for ${counted}, each plain, URL- and form-encoded, JSON-escaped, and in base64 and base64url at any byte offset, and as any 16-character fragment of those, client credentials as base64(id:secret), and by shape for JWTs, client secrets, PEM private keys and base64 client secrets: ${leaks.length} found`,
  );
  const groups: Array<[string, RegExp]> = [
    ["leak scan: the fault matrix", /^matrix /],
    ["leak scan: the rehearsals and the load", /^(rehearsal|load)/],
    ["leak scan: the demo, oic-verify and the temporary files", /^(demo|oic-verify|temporary file)/],
    ["leak scan: this process's stdout and stderr", /^stdout and stderr/],
  ];
  // The scan itself, on a planted secret: a scanner that cannot find proves nothing by finding nothing.
  const canary = new LeakScanner();
  const planted = `idcscs-${randomUUID()}`;
  canary.addSecret("client secret", planted);
  canary.scan("canary", `Authorization: Basic ${Buffer.from(`x:${planted}`).toString("base64")}`);
  const canaryCheck: Check = {
    name: "leak scan: finds a secret planted in base64",
    problems: canary.search().some((leak) => leak.kind === "client secret")
      ? []
      : ["the planted secret was not found"],
  };
  return [
    canaryCheck,
    ...groups.map(([name, pattern]) => ({
      name,
      problems: leaks
        .filter((leak) => pattern.test(leak.source))
        .map(
          (leak) => `${leak.source}: ${leak.kind === "shape" ? "" : `a ${leak.kind} `}found (${leak.how})`,
        ),
    })),
  ];
}

export async function main(): Promise<number> {
  const started = performance.now();
  const base = tmpdir();
  const ownTmp = mkdtempSync(join(base, "oic-faults-"));
  // Everything these runs put on disk goes here (os.tmpdir() reads TMPDIR on every call).
  process.env["TMPDIR"] = ownTmp;
  const captured = tee();
  const print = (line = ""): void => void process.stdout.write(`${line}\n`);
  const scanner = new LeakScanner();
  const checks: Check[] = [];
  try {
    checks.push(...(await run(print, scanner)));
  } catch (error) {
    checks.push({
      name: "the run itself",
      problems: [error instanceof Error ? (error.stack ?? error.message) : String(error)],
    });
  } finally {
    process.env["TMPDIR"] = base;
  }
  // What is still on disk must be nothing; if something is, it is scanned too.
  const left = readdirSync(ownTmp, { recursive: true, withFileTypes: true });
  for (const entry of left.filter((e) => e.isFile()))
    scanner.scan(`temporary file ${entry.name}`, readFileSync(join(entry.parentPath, entry.name), "utf8"));
  checks.push({
    name: "temporary directory: nothing left at the end",
    problems: left.map((entry) => `left on disk: ${join(entry.parentPath, entry.name)}`),
  });
  rmSync(ownTmp, { recursive: true, force: true });
  print();
  scanner.scan("stdout and stderr of this process", captured.text());
  captured.restore();
  checks.push(...leakChecks(scanner, print));
  const failed = checks.filter((check) => check.problems.length > 0);
  if (failed.length > 0) {
    print();
    print("Failed:");
    for (const check of failed) print(`  ✖ ${check.name}: ${check.problems.join("; ")}`);
  }
  print();
  print(`Wall time ${seconds(performance.now() - started)}.`);
  print(`${checks.length - failed.length} passed, ${failed.length} failed`);
  return failed.length === 0 ? 0 : 1;
}

if (require.main === module) {
  void main().then((code) => {
    process.exitCode = code;
  });
}
