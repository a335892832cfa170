/**
 * `npm test`: the type check, ESLint, Prettier and vitest, started together instead of one after the other. On
 * two cores the run was their sum (about 2 minutes, 3.5 on a busy day); together it is about the longest of them,
 * vitest, because the others fit in the time its files spend waiting on child processes, sockets and timers
 * (docs/testing.md has the figures). Nothing is skipped: each check runs over every file, and the exit code is 1
 * when any of them failed.
 *
 * vitest's output is shown as it comes; the others' output is held and printed when vitest is done, so lines of
 * different tools never interleave. Arguments after `npm test --` go to vitest, as before.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { join, resolve } from "node:path";

const PROJECT_ROOT = resolve(__dirname, "../..");

interface Check {
  readonly name: string;
  /** An executable of node_modules/.bin and its arguments. */
  readonly command: string;
  readonly args: readonly string[];
  /** Its output goes straight to the terminal (vitest's progress); the others' is held until the end. */
  readonly live: boolean;
}

interface Outcome {
  readonly check: Check;
  readonly code: number;
  readonly output: string;
  readonly ms: number;
}

/** The same as `npm run lint`'s: Prettier deletes its cache when run without `--cache`. */
const PRETTIER_CHECK = ["--check", "--cache", "--cache-strategy", "content", "."];

function checks(vitestArgs: readonly string[], pretty: boolean): Check[] {
  return [
    // TypeScript 7's native compiler: the same diagnostics as tsc 5.9 over the same files in a quarter of the
    // time (docs/testing.md). `npm run typecheck:tsc` runs tsc 5.9, which CI also runs.
    { name: "typecheck", command: "tsgo", args: ["--noEmit", ...(pretty ? ["--pretty"] : [])], live: false },
    { name: "eslint", command: "eslint", args: ["."], live: false },
    // Prettier's cache is keyed by each file's content, Prettier's version and options and Node.js's version, and
    // a file's format depends on nothing else (https://prettier.io/docs/cli#--cache); a clean clone (CI) has
    // none and checks every file.
    { name: "prettier", command: "prettier", args: PRETTIER_CHECK, live: false },
    { name: "vitest", command: "vitest", args: ["run", ...vitestArgs], live: true },
  ];
}

const running = new Set<ChildProcess>();

function run(check: Check, colour: boolean): Promise<Outcome> {
  const started = performance.now();
  const child = spawn(join(PROJECT_ROOT, "node_modules", ".bin", check.command), [...check.args], {
    cwd: PROJECT_ROOT,
    stdio: check.live ? "inherit" : ["ignore", "pipe", "pipe"],
    // The held output keeps its colours when it is finally printed to a terminal.
    env: colour && !check.live ? { ...process.env, FORCE_COLOR: "1" } : process.env,
    // node_modules/.bin holds .cmd shims on Windows, which only a shell runs.
    shell: process.platform === "win32",
  });
  running.add(child);
  const chunks: Buffer[] = [];
  child.stdout?.on("data", (chunk: Buffer) => chunks.push(chunk));
  child.stderr?.on("data", (chunk: Buffer) => chunks.push(chunk));
  return new Promise((resolvePromise) => {
    const finish = (code: number) => {
      running.delete(child);
      resolvePromise({
        check,
        code,
        output: Buffer.concat(chunks).toString("utf8"),
        ms: performance.now() - started,
      });
    };
    child.on("error", (error) => {
      chunks.push(Buffer.from(`${check.command}: ${error.message}\n`));
      finish(1);
    });
    child.on("close", (code, signal) => finish(code ?? (signal === null ? 1 : 128)));
  });
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

async function main(argv: readonly string[]): Promise<number> {
  const started = performance.now();
  const colour = process.stdout.isTTY === true;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      for (const child of running) child.kill(signal);
      process.exitCode = signal === "SIGINT" ? 130 : 143;
    });
  }
  const outcomes = await Promise.all(checks(argv, colour).map((check) => run(check, colour)));
  for (const outcome of outcomes) {
    if (outcome.check.live) continue;
    const text = outcome.output.trimEnd();
    if (outcome.code !== 0 || text !== "") {
      process.stdout.write(
        `\n── ${outcome.check.name} (${outcome.check.command} ${outcome.check.args.join(" ")})\n`,
      );
      if (text !== "") process.stdout.write(`${text}\n`);
    }
  }
  const failed = outcomes.filter((outcome) => outcome.code !== 0);
  const summary = outcomes
    .map((o) => `${o.check.name} ${o.code === 0 ? "ok" : `FAILED (exit ${o.code})`} ${seconds(o.ms)}`)
    .join(" · ");
  process.stdout.write(`\nnpm test: ${summary} · ${seconds(performance.now() - started)} in all\n`);
  return failed.length === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode ??= code;
  },
  (error: unknown) => {
    process.stderr.write(`npm test: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
