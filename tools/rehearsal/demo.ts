/**
 * `npm run demo`: the whole job, on this machine, with no cloud account. Starts the embedded emulator, deploys
 * `index.ts` with `stacks/Pulumi.demo.yaml` pointed at it, verifies every client, prints a summary, destroys the
 * stack in reverse dependency order and shows that nothing is left. `--keep` leaves it all running instead.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

import { Command, CommanderError } from "commander";

import { colorsFor, type Colors } from "../../cli/render";
import { StackConfigError } from "../../config/errors";
import type { EmulatorStateSnapshot } from "../emulator";
import { processIo, terminalSpinner, type CliIo, type Spinner } from "../../cli/terminal";
import type { RegistrationEvents } from "./engine/recordingMonitor";
import type { DestroyEvents } from "./engine/rehearse";
import {
  createdLine,
  deletedLine,
  failedCallLine,
  failedLine,
  keepInstructions,
  leftoverLine,
  shortType,
  stoppedLines,
  summaryTable,
} from "./render";
import { rehearse, type Rehearsal } from "./run";
import { stackNameProblem, StackFileError } from "./stackFile";
import { stackOutputsOf } from "./summary";

const PROJECT_ROOT = resolve(__dirname, "../..");

/**
 * The CLI runs under tsx's require hook (bin/run-ts.js), which loads `.ts` with `require`; under vitest (the
 * tests call `main`), `import()` is what goes through the TypeScript transform.
 */
async function load(path: string): Promise<Record<string, unknown>> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the program is loaded as the language host does
  if (process.env.VITEST === undefined) return require(path) as Record<string, unknown>;
  return (await import(path)) as Record<string, unknown>;
}
const ACCESS_CHECK = "OicAccessCheck";

interface Flags {
  stack: string;
  keep: boolean;
  deactivation: boolean;
  json: boolean;
  color: boolean;
}

function program(io: CliIo): Command {
  return new Command("oic-demo")
    .description(
      "Rehearse a whole deployment on this machine: the embedded emulator, the real program and a real stack file; then destroy it.",
    )
    .option("--stack <name>", "the stack file to deploy, stacks/Pulumi.<name>.yaml", "demo")
    .option("--keep", "leave the stack deployed and the emulator running; print how to call it", false)
    .option(
      "--no-deactivation",
      "turn the deactivate-before-delete step off, to see the identity domain refuse the destroy",
    )
    .option("--json", "print one JSON object with the result instead of progress and tables", false)
    .option("--no-color", "no colours")
    .exitOverride()
    .configureOutput({
      writeOut: (text) => void io.stdout.write(text),
      writeErr: (text) => void io.stderr.write(text),
    });
}

/**
 * Progress of the deployment and the destroy: a line per resource, a spinner while access checks run. Silent once
 * interrupted: the calls then fail because the emulator was stopped, which says nothing about the stack.
 */
function progress(io: CliIo, c: Colors, spinner: Spinner | undefined, interrupt: AbortSignal) {
  const checking = new Set<string>();
  const print = (line: string) => {
    if (interrupt.aborted) return;
    const write = () => void io.stdout.write(`${line}\n`);
    if (spinner === undefined || checking.size === 0) write();
    else spinner.around(write);
  };
  const showChecks = () => {
    if (spinner === undefined) return;
    if (checking.size === 0) spinner.update("deploying…");
    else spinner.update(`verifying ${[...checking].join(", ")}: token, then the Developer API…`);
  };
  const deploy: RegistrationEvents = {
    onStart(type, name) {
      if (shortType(type) !== ACCESS_CHECK) return;
      checking.add(name);
      if (spinner === undefined) print(`  … ${ACCESS_CHECK.padEnd(22)} ${name.padEnd(36)} verifying`);
      showChecks();
    },
    onDone(resource, elapsedMs) {
      if (resource.type === "pulumi:pulumi:Stack") return;
      print(createdLine(resource, elapsedMs, c));
      checking.delete(resource.name);
      showChecks();
    },
    onFail(type, name, error) {
      print(failedLine(type, name, error, c));
      checking.delete(name);
      showChecks();
    },
    onInvokeFail: (token, error) => print(failedCallLine(token, error, c)),
  };
  const destroy: DestroyEvents = {
    onDone: (resource, elapsedMs) => print(deletedLine(resource, elapsedMs, c)),
    onFail: (resource, error) => print(failedLine(resource.type, resource.name, error, c)),
  };
  return { deploy, destroy };
}

/** `user = "…"` in a curl config file: backslashes and double quotes escaped (curl's `--config` syntax). */
function curlConfigValue(value: string): string {
  return `"${value.replace(/[\\"]/g, (character) => `\\${character}`)}"`;
}

/**
 * The secret of each kept client in files only their owner can read (in a directory only they can open), so
 * that no command printed for them carries it, nor puts it on a command line where `ps` shows it: the secret
 * alone for oic-verify's `--secret-file`, and curl's `--user` in a config file for `curl -K`.
 */
function writeSecretFiles(rehearsal: Rehearsal): {
  dir: string;
  files: Map<string, { secret: string; curlConfig: string }>;
} {
  const dir = mkdtempSync(join(tmpdir(), "oic-demo-"));
  chmodSync(dir, 0o700);
  const files = new Map<string, { secret: string; curlConfig: string }>();
  const { clients, clientSecrets } = stackOutputsOf(rehearsal.deployment);
  for (const [name, client] of Object.entries(clients)) {
    const clientSecret = clientSecrets[name] ?? "";
    const secret = join(dir, `${name}.secret`);
    writeFileSync(secret, clientSecret, { mode: 0o600 });
    const curlConfig = join(dir, `${name}.curl`);
    writeFileSync(curlConfig, `user = ${curlConfigValue(`${client.clientId}:${clientSecret}`)}\n`, {
      mode: 0o600,
    });
    files.set(name, { secret, curlConfig });
  }
  return { dir, files };
}

function keptClients(rehearsal: Rehearsal, files: Map<string, { secret: string; curlConfig: string }>) {
  const { clients } = stackOutputsOf(rehearsal.deployment);
  return Object.entries(clients).map(([name, client]) => ({
    name,
    clientId: client.clientId,
    secretFile: files.get(name)?.secret ?? "",
    curlConfigFile: files.get(name)?.curlConfig ?? "",
    tokenUrl: client.tokenUrl,
    scope: client.scope,
    designTimeUrl: client.designTimeUrl,
    integrationInstance: client.integrationInstance,
    roles: client.roles,
    probe: client.probe,
  }));
}

/** Where Ctrl+C and SIGTERM come from; tests pass their own. */
export interface SignalSource {
  /** Calls `handler` with SIGINT or SIGTERM when one arrives, until the returned function is called. */
  listen(handler: (signal: NodeJS.Signals) => void): () => void;
}

/**
 * The process's SIGINT and SIGTERM. The first one is handed over, so that the demo can clean up and say what
 * was left; a second one stops waiting for that, as if the demo did not handle signals at all.
 */
export const processSignals: SignalSource = {
  listen(handler) {
    let received = 0;
    const onSignal = (signal: NodeJS.Signals): void => {
      received += 1;
      if (received === 1) {
        handler(signal);
        return;
      }
      stop();
      process.kill(process.pid, signal);
    };
    const stop = (): void => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    return stop;
  },
};

/** The shell's convention for a process ended by a signal: 128 + its number. */
function exitCodeFor(signal: string): number {
  return signal === "SIGTERM" ? 143 : 130;
}

function succeeded(rehearsal: Rehearsal): boolean {
  const left = rehearsal.leftover;
  return (
    rehearsal.deployment.ok &&
    (rehearsal.destruction?.ok ?? true) &&
    (left === undefined || (left.apps.length === 0 && left.grants.length === 0))
  );
}

function jsonResult(rehearsal: Rehearsal): Record<string, unknown> {
  return {
    ok: succeeded(rehearsal) && rehearsal.interrupted === undefined,
    interrupted: rehearsal.interrupted ?? null,
    stack: rehearsal.stack,
    deployed: rehearsal.deployment.ok,
    errors: rehearsal.deployment.errors,
    clients: rehearsal.clients,
    resources: rehearsal.deployment.resources.map((r) => ({ type: shortType(r.type), name: r.name })),
    destroy:
      rehearsal.destruction === undefined
        ? null
        : {
            ok: rehearsal.destruction.ok,
            error: rehearsal.destruction.error ?? null,
            deleted: rehearsal.destruction.deleted.map((r) => r.name),
          },
    leftover: rehearsal.leftover ?? null,
  };
}

/** Resolves when `signal` aborts. */
function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener("abort", () => resolve(), { once: true });
  });
}

/** The JSON result of a rehearsal that deployed nothing: the shape of a finished one's. */
function failureResult(stack: string | null, errors: readonly string[]): Record<string, unknown> {
  return {
    ok: false,
    stack,
    deployed: false,
    errors,
    clients: [],
    resources: [],
    destroy: null,
    leftover: null,
  };
}

/**
 * A stack refused before anything started (its file cannot be read, or its config is one `pulumi up` would
 * refuse): the reason, as one JSON object with --json, and exit code 1. Any other error is a bug: with --json it
 * is still one object on stdout, otherwise it is thrown with its stack trace.
 */
function refused(error: unknown, stack: string, json: boolean, io: CliIo, c: Colors): number {
  const known = error instanceof StackFileError || error instanceof StackConfigError;
  if (!known && !json) throw error;
  const message = error instanceof Error ? error.message : String(error);
  if (json) io.stdout.write(`${JSON.stringify(failureResult(stack, [message]))}\n`);
  else io.stdout.write(`${c.red(c.bold("The deployment failed:"))}\n  ${message}\n`);
  return 1;
}

/** Where the demo finds its stack files; tests point it at their own. */
export interface DemoPaths {
  /** Default `stacks/` of the project. */
  readonly stacksDir?: string;
}

/**
 * `stopped` ends a kept stack (default: Ctrl+C or SIGTERM from `signals`). A signal at any other time stops the
 * rehearsal where it is, shuts the emulator down (removing its temporary directory) and says what it held.
 */
export async function main(
  argv: string[],
  io: CliIo = processIo,
  stopped?: () => Promise<void>,
  paths: DemoPaths = {},
  signals: SignalSource = processSignals,
): Promise<number> {
  let flags: Flags;
  try {
    flags = program(io).parse(argv, { from: "user" }).opts<Flags>();
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    if (error.exitCode === 0) return 0;
    // Commander wrote the usage error to stderr; a --json caller still gets its one object on stdout.
    if (argv.includes("--json")) io.stdout.write(`${JSON.stringify(failureResult(null, [error.message]))}\n`);
    return 2;
  }
  const badStack = stackNameProblem(flags.stack);
  if (badStack !== undefined) {
    if (flags.json) io.stdout.write(`${JSON.stringify(failureResult(null, [badStack]))}\n`);
    else io.stderr.write(`error: ${badStack}\n`);
    return 2;
  }
  const c = colorsFor(io.stdout, io.env, flags.color && !flags.json);
  const interrupt = new AbortController();
  const stopListening = signals.listen((signal) => interrupt.abort(signal));
  try {
    return await demo(flags, io, c, paths, interrupt.signal, stopped);
  } finally {
    stopListening();
  }
}

async function demo(
  flags: Flags,
  io: CliIo,
  c: Colors,
  paths: DemoPaths,
  interrupt: AbortSignal,
  stopped: (() => Promise<void>) | undefined,
): Promise<number> {
  const out = (text = "") => void io.stdout.write(`${text}\n`);
  const spinner = flags.json ? undefined : await terminalSpinner(io, "starting the emulator…");
  const events = flags.json ? { deploy: {}, destroy: {} } : progress(io, c, spinner, interrupt);
  let rehearsal: Rehearsal;
  try {
    rehearsal = await rehearse({
      signal: interrupt,
      projectRoot: PROJECT_ROOT,
      stack: flags.stack,
      ...(paths.stacksDir === undefined ? {} : { stacksDir: paths.stacksDir }),
      load,
      keep: flags.keep,
      ...(flags.deactivation ? {} : { deactivateBeforeDelete: false }),
      deployEvents: events.deploy,
      destroyEvents: events.destroy,
      onStarted: (emulator) => {
        if (flags.json) return;
        const print = () => {
          out(
            c.bold(
              `Rehearsal of stack "${flags.stack}" on the embedded emulator (no cloud account involved)`,
            ),
          );
          out(`  identity domain  ${emulator.idcsUrl}`);
          out(`  OIC design time  ${emulator.designTimeUrl}  (runtime ${emulator.runtimeUrl})`);
          out(`  OIC instance     ${emulator.integrationInstance}  ${c.dim(emulator.integrationInstanceId)}`);
          out();
          out(c.bold("pulumi up"));
        };
        if (spinner === undefined) print();
        else spinner.around(print);
        spinner?.update("deploying…");
      },
      onDeployed: (clients) => {
        if (flags.json || clients.length === 0) return;
        spinner?.stop();
        out();
        out(c.bold("Summary"));
        out(summaryTable(clients, c));
        out();
        if (!flags.keep) out(c.bold("pulumi destroy"));
      },
    });
  } catch (error) {
    spinner?.stop();
    return refused(error, flags.stack, flags.json, io, c);
  } finally {
    spinner?.stop();
  }

  if (rehearsal.interrupted !== undefined) {
    if (flags.json) out(JSON.stringify(jsonResult(rehearsal)));
    else {
      out();
      for (const line of stoppedLines(`Interrupted by ${rehearsal.interrupted}`, rehearsal.leftover, c))
        out(line);
    }
    return exitCodeFor(rehearsal.interrupted);
  }

  if (flags.json) {
    out(JSON.stringify(jsonResult(rehearsal)));
  } else {
    if (!rehearsal.deployment.ok) {
      out();
      out(c.red(c.bold("The deployment failed:")));
      for (const error of rehearsal.deployment.errors) out(`  ${error}`);
      out();
      out(c.bold("Cleaning up what was created"));
    }
    if (rehearsal.destruction !== undefined && !rehearsal.destruction.ok) {
      out();
      out(c.red(`The destroy stopped: ${rehearsal.destruction.error ?? "unknown error"}`));
      if (!flags.deactivation) {
        out(
          "This is the identity domain refusing to delete an active app, which the OCI provider does not deactivate first " +
            "(terraform-provider-oci#2507). With the deactivate-before-delete step (the default), destroy completes.",
        );
      }
    }
    if (rehearsal.leftover !== undefined) {
      out();
      out(leftoverLine(rehearsal, c));
    }
  }

  if (flags.keep && rehearsal.destruction === undefined) {
    const { dir, files } = writeSecretFiles(rehearsal);
    let left: EmulatorStateSnapshot | undefined;
    try {
      if (!flags.json) out(keepInstructions(keptClients(rehearsal, files), rehearsal.emulator.caFile));
      await (stopped ?? (() => aborted(interrupt)))();
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await rehearsal.close();
      left = rehearsal.emulator.control.state();
    }
    if (!flags.json) {
      const how = interrupt.aborted ? `Stopped by ${String(interrupt.reason)}` : "Stopped";
      out();
      for (const line of stoppedLines(how, left, c)) out(line);
    }
    return 0;
  }
  return succeeded(rehearsal) ? 0 : 1;
}
