/**
 * `oic-verify`: checks that an OIC confidential client works (token, then the Developer API), from flags
 * or from a Pulumi stack's outputs. The secret comes from OIC_CLIENT_SECRET or --secret-file, never argv.
 * Exit codes: cli/exitCodes.ts (0 only when every client is `ok`).
 */
import { readFileSync } from "node:fs";

import { Command, CommanderError, InvalidArgumentError, Option } from "commander";

import {
  createSecretRedactor,
  HttpConfigError,
  MAX_TIMER_MS,
  MAX_TIMER_REASON,
  safeText,
  type SecretRedactor,
} from "../components/http";
import { ALL_PROBES, ORACLE_DESIGN_TIME_URL_SHAPE, type Probe } from "../components/oic";
import {
  basicCredentialForms,
  DEFAULT_CONCURRENCY,
  DEFAULT_RETRY_BUDGET_SECONDS,
  DEFAULT_TIMEOUT_SECONDS,
  VerifierInputError,
  verifyClients,
  type VerifyInput,
  type VerifyProgress,
  type VerifyResult,
} from "../components/verifier";
import { EXIT_CODES, EXIT_INTERNAL_ERROR, EXIT_USAGE } from "./exitCodes";
import { colorsFor, progressLine, renderResult } from "./render";
import { processIo, terminalSpinner, type CliIo } from "./terminal";
import { inputsFromStack, readStackOutputs, StackOutputsError } from "./stackOutputs";

const SECRET_ENV = "OIC_CLIENT_SECRET";
const REFUSED_FLAGS = ["--client-secret", "--secret", "--password"];

class UsageError extends Error {}

interface Flags {
  tokenUrl?: string;
  clientId?: string;
  scope?: string;
  designTimeUrl?: string;
  integrationInstance?: string;
  roles?: string[];
  probe?: Probe;
  caFile?: string;
  allowPlainHttpOnLoopback: boolean;
  retryBudget: number;
  propagationWindow?: number;
  timeout: number;
  concurrency: number;
  json: boolean;
  secretFile?: string;
  stack?: string;
  client?: string;
  color: boolean;
}

/** Seconds a timer can still wait: a longer delay would fire after 1 ms (see MAX_TIMER_MS). */
const MAX_SECONDS = Math.floor(MAX_TIMER_MS / 1000);
const TIMER_LIMIT = `at most ${MAX_SECONDS} (${MAX_TIMER_REASON})`;

function nonNegativeSeconds(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n < 0 || n > MAX_SECONDS)
    throw new InvalidArgumentError(`expected a number of seconds, 0 or more and ${TIMER_LIMIT}`);
  return n;
}

function positiveSeconds(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n <= 0 || n > MAX_SECONDS)
    throw new InvalidArgumentError(`expected a number of seconds above 0 and ${TIMER_LIMIT}`);
  return n;
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("expected a whole number, 1 or more");
  return n;
}

function roleList(value: string): string[] {
  return value
    .split(",")
    .map((role) => role.trim())
    .filter(Boolean);
}

function buildProgram(io: CliIo): Command {
  return new Command("oic-verify")
    .description(
      "Check that an Oracle Integration confidential client works: get a token for its scope, then call GET /ic/api/integration/v1/connections on the design-time host.\nThe client secret is read from the OIC_CLIENT_SECRET environment variable or --secret-file, never from the command line.",
    )
    .option(
      "--token-url <url>",
      "identity domain token endpoint, https://<domain>/oauth2/v1/token (the domain URL alone also works)",
    )
    .option("--client-id <id>", "the client ID: the app's name (not its id or OCID)")
    .option(
      "--scope <fqs>",
      "fully qualified scope: the OIC app's audience followed by /ic/api/ or urn:opc:resource:consumer::all",
    )
    .option("--design-time-url <url>", `OIC design-time URL, ${ORACLE_DESIGN_TIME_URL_SHAPE}`)
    .option("--integration-instance <name>", "service-instance name (the integrationInstance query value)")
    .option(
      "--roles <list>",
      "comma-separated OIC roles the app is granted (explains a role_missing)",
      roleList,
    )
    .addOption(new Option("--probe <probe>", "what to check").choices(ALL_PROBES as string[]))
    .option("--ca-file <path>", "PEM file of extra CAs to trust (e.g. the emulator's)")
    .option(
      "--allow-plain-http-on-loopback",
      "allow plain http:// to a loopback host (the emulator with --http)",
      false,
    )
    .option(
      "--retry-budget <seconds>",
      "how long failures that can heal are retried; 0 = no retries",
      nonNegativeSeconds,
      DEFAULT_RETRY_BUDGET_SECONDS,
    )
    .option(
      "--propagation-window <seconds>",
      "how long after the start invalid_client, invalid_scope and 401 count as propagation (default: the retry budget)",
      nonNegativeSeconds,
    )
    .option("--timeout <seconds>", "timeout of each request", positiveSeconds, DEFAULT_TIMEOUT_SECONDS)
    .option(
      "--concurrency <n>",
      "clients checked at once (with --stack)",
      positiveInteger,
      DEFAULT_CONCURRENCY,
    )
    .option("--secret-file <path>", "file holding the client secret (instead of OIC_CLIENT_SECRET)")
    .option("--stack <name>", "read the inputs from this Pulumi stack's outputs (needs the pulumi CLI)")
    .option("--client <name>", "with --stack: only this client")
    .option("--json", "print one JSON object on stdout", false)
    .option("--no-color", "no colour (also off when stdout is not a terminal or NO_COLOR is set)")
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .showHelpAfterError("(run oic-verify --help for the options)");
}

function readSecret(flags: Flags, env: NodeJS.ProcessEnv): string {
  if (flags.secretFile !== undefined) {
    let text: string;
    try {
      text = readFileSync(flags.secretFile, "utf8");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
      throw new UsageError(`cannot read --secret-file ${flags.secretFile} (${code})`);
    }
    const secret = text.replace(/\r?\n$/, "");
    if (secret === "") throw new UsageError(`--secret-file ${flags.secretFile} is empty`);
    return secret;
  }
  const secret = env[SECRET_ENV];
  if (secret === undefined || secret === "") {
    throw new UsageError(
      `no client secret: set ${SECRET_ENV} or pass --secret-file <path> (a secret never goes on the command line)`,
    );
  }
  return secret;
}

async function collectInputs(flags: Flags, io: CliIo): Promise<Array<{ name: string; input: VerifyInput }>> {
  if (flags.stack === undefined) {
    if (flags.client !== undefined) throw new UsageError("--client only works with --stack");
    const missing = [
      flags.tokenUrl === undefined ? "--token-url" : undefined,
      flags.clientId === undefined ? "--client-id" : undefined,
      flags.scope === undefined ? "--scope" : undefined,
    ].filter((flag): flag is string => flag !== undefined);
    if (missing.length > 0) throw new UsageError(`missing ${missing.join(", ")} (or use --stack <name>)`);
    const input: VerifyInput = {
      tokenUrl: flags.tokenUrl ?? "",
      clientId: flags.clientId ?? "",
      clientSecret: readSecret(flags, io.env),
      scope: flags.scope ?? "",
      designTimeUrl: flags.designTimeUrl,
      integrationInstance: flags.integrationInstance,
      probe: flags.probe,
      roles: flags.roles,
    };
    return [{ name: input.clientId, input }];
  }
  const outputs = await readStackOutputs(flags.stack, io.env);
  const selected = inputsFromStack(outputs, flags.client, flags.tokenUrl);
  const perClient = flags.clientId ?? flags.scope ?? flags.roles ?? flags.probe;
  if (perClient !== undefined && selected.length !== 1) {
    throw new UsageError(
      "--client-id, --scope, --roles and --probe apply to one client: add --client <name>",
    );
  }
  const overrideSecret = flags.secretFile !== undefined || (io.env[SECRET_ENV] ?? "") !== "";
  if (overrideSecret && selected.length !== 1) {
    throw new UsageError(`--secret-file and ${SECRET_ENV} apply to one client: add --client <name>`);
  }
  return selected.map(({ name, input }) => ({
    name,
    input: {
      ...input,
      tokenUrl: flags.tokenUrl ?? input.tokenUrl,
      designTimeUrl: flags.designTimeUrl ?? input.designTimeUrl,
      integrationInstance: flags.integrationInstance ?? input.integrationInstance,
      clientId: flags.clientId ?? input.clientId,
      scope: flags.scope ?? input.scope,
      roles: flags.roles ?? input.roles,
      probe: flags.probe ?? input.probe,
      clientSecret: overrideSecret ? readSecret(flags, io.env) : input.clientSecret,
    },
  }));
}

/** Text to print: what the CLI writes may hold what a server or a stack sent, so no string is written raw. */
type Printable = (text: string) => string;

/**
 * Every secret the CLI read is redacted by value from everything it prints, and every string is made safe
 * for a terminal (components/http/safeText.ts), on top of what the verifier already did to its own messages: client
 * names, ids and error texts come from stack outputs and from the pulumi CLI too.
 */
function printableWith(redactor: SecretRedactor): Printable {
  return (text) => safeText(redactor.redact(text));
}

function secretRedactor(inputs: ReadonlyArray<{ input: VerifyInput }>): SecretRedactor {
  const redactor = createSecretRedactor(inputs.map(({ input }) => input.clientSecret));
  for (const { input } of inputs) {
    for (const form of basicCredentialForms(input.clientId, input.clientSecret)) redactor.addValue(form);
  }
  return redactor;
}

/** A result with each of its strings printable; numbers, booleans and nulls as they are. */
function printableResult(result: VerifyResult, printable: Printable): VerifyResult {
  const fields: Record<string, unknown> = { ...result };
  for (const [key, value] of Object.entries(fields)) {
    if (typeof value === "string") fields[key] = printable(value);
  }
  // The same keys with values of the same types: strings stay strings.
  return fields as unknown as VerifyResult;
}

/** A spinner on a terminal, plain progress lines otherwise, nothing with --json. */
async function progressReporter(
  flags: Flags,
  io: CliIo,
  total: number,
  printable: Printable,
): Promise<{ update(p: VerifyProgress): void; stop(): void }> {
  if (flags.json) return { update() {}, stop() {} };
  const line = (p: VerifyProgress): string => printable(progressLine(p));
  const spinner = await terminalSpinner(io, `checking ${total === 1 ? "the client" : `${total} clients`}…`);
  if (spinner === undefined) {
    return { update: (p) => void io.stderr.write(`… ${line(p)}\n`), stop() {} };
  }
  return { update: (p) => spinner.update(line(p)), stop: () => spinner.stop() };
}

function jsonOf(result: VerifyResult, name?: string): Record<string, unknown> {
  return { ...(name === undefined ? {} : { name }), ...result, exitCode: EXIT_CODES[result.diagnosis] };
}

function firstFailure(results: readonly VerifyResult[]): VerifyResult | undefined {
  return results.find((result) => !result.ok);
}

export type { CliIo, CliStream } from "./terminal";

export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const refused = argv.find((arg) =>
    REFUSED_FLAGS.some((flag) => arg === flag || arg.startsWith(`${flag}=`)),
  );
  if (refused !== undefined) {
    const flag = refused.split("=")[0] ?? refused;
    io.stderr.write(
      `oic-verify: ${flag} is refused: a secret on the command line ends up in shell history and process listings. Set ${SECRET_ENV} or pass --secret-file <path> instead.\n`,
    );
    return EXIT_USAGE;
  }
  const program = buildProgram(io);
  let flags: Flags;
  try {
    program.parse(argv, { from: "user" });
    flags = program.opts<Flags>();
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === "commander.helpDisplayed" || error.code === "commander.version" ? 0 : EXIT_USAGE;
    }
    throw error;
  }
  // Until the secrets are read, nothing to redact yet; the text is still made safe for a terminal.
  let printable: Printable = (text) => safeText(text);
  const fail = (code: number, raw: string): number => {
    const message = printable(raw);
    io.stderr.write(`oic-verify: ${message}\n`);
    if (flags.json)
      io.stdout.write(
        `${JSON.stringify({ diagnosis: null, error: code === EXIT_USAGE ? "usage" : "internal", message, exitCode: code })}\n`,
      );
    return code;
  };
  let inputs: Array<{ name: string; input: VerifyInput }>;
  try {
    inputs = await collectInputs(flags, io);
  } catch (error) {
    if (error instanceof UsageError || error instanceof StackOutputsError)
      return fail(EXIT_USAGE, error.message);
    throw error;
  }
  printable = printableWith(secretRedactor(inputs));
  const started = Date.now();
  const progress = await progressReporter(flags, io, inputs.length, printable);
  let checked: VerifyResult[];
  try {
    checked = await verifyClients(
      inputs.map(({ input }) => input),
      {
        retry: {
          budgetMs: flags.retryBudget * 1000,
          propagationWindowMs: (flags.propagationWindow ?? flags.retryBudget) * 1000,
        },
        timeoutMs: flags.timeout * 1000,
        caFile: flags.caFile,
        allowPlainHttpOnLoopback: flags.allowPlainHttpOnLoopback,
        concurrency: flags.concurrency,
        onProgress: (p) => progress.update(p),
      },
    );
  } catch (error) {
    if (error instanceof VerifierInputError || error instanceof HttpConfigError)
      return fail(EXIT_USAGE, error.message);
    return fail(
      EXIT_INTERNAL_ERROR,
      `unexpected failure (${error instanceof Error ? error.name : "unknown"}); nothing was concluded about the client`,
    );
  } finally {
    progress.stop();
  }
  const results = checked.map((result) => printableResult(result, printable));
  const names = inputs.map(({ name }) => printable(name));
  const failure = firstFailure(results);
  const exitCode = failure === undefined ? 0 : EXIT_CODES[failure.diagnosis];
  const named = inputs.length > 1 || flags.stack !== undefined;
  if (flags.json) {
    const only = results[0];
    if (results.length === 1 && only !== undefined && !named) {
      io.stdout.write(`${JSON.stringify(jsonOf(only))}\n`);
    } else {
      const lead = failure ?? results[0];
      io.stdout.write(
        `${JSON.stringify({
          diagnosis: failure?.diagnosis ?? "ok",
          ok: failure === undefined,
          message: failure?.message ?? `all ${results.length} clients work`,
          hint: failure?.hint ?? "nothing to change",
          httpStatus: results.length === 1 ? (lead?.httpStatus ?? null) : (failure?.httpStatus ?? null),
          connections: results.length === 1 ? (lead?.connections ?? null) : (failure?.connections ?? null),
          attempts: results.reduce((sum, r) => sum + r.attempts, 0),
          elapsedMs: Date.now() - started,
          exitCode,
          clients: results.map((result, i) => jsonOf(result, names[i])),
        })}\n`,
      );
    }
    return exitCode;
  }
  const c = colorsFor(io.stdout, io.env, flags.color);
  results.forEach((result, i) =>
    io.stdout.write(renderResult(result, c, named ? `${names[i] ?? "?"} (${result.clientId})` : undefined)),
  );
  if (results.length > 1) {
    const okCount = results.filter((r) => r.ok).length;
    io.stdout.write(`${okCount} of ${results.length} clients work\n`);
  }
  return exitCode;
}
