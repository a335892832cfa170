/**
 * The whole program under a fault: `rehearse()` of a one-client stack (the real `index.ts`, the rehearsal's OCI
 * provider, the access check and the deactivation step as dynamic providers) with a fault on one route, one row
 * per phase: a data source, a create, the access check, the destroy, and a create whose answer is lost. Then the
 * demo itself (`npm run demo`, `--json`, `--keep` with the `oic-verify` commands it prints), whose output the leak
 * scan reads. What each run printed or returned is handed to the leak scanner.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

import { main as verifyMain } from "../../cli/oic-verify";
import { colorsFor } from "../../cli/render";
import type { FaultSpec } from "../emulator";
import { main as demoMain } from "../rehearsal/demo";
import type { RegistrationEvents } from "../rehearsal/engine/recordingMonitor";
import type { DestroyEvents } from "../rehearsal/engine/rehearse";
import {
  createdLine,
  deletedLine,
  failedCallLine,
  failedLine,
  leftoverLine,
  summaryTable,
} from "../rehearsal/render";
import { rehearse, type Rehearsal } from "../rehearsal/run";
import { readStackFile, stackFilePath } from "../rehearsal/stackFile";
import { virtualClock } from "./clock";
import { type LeakScanner } from "./leaks";
import { forgetProgram, loadProgram, PROJECT_ROOT } from "./program";

const NS = "oic-client-provisioner";
const PORT = "https://127\\.0\\.0\\.1:\\d+";

export interface RehearsalRow {
  readonly id: string;
  readonly label: string;
  /** Injected when the emulator starts, or when the deployment is done (faults of the destroy). */
  readonly faults: readonly FaultSpec[];
  readonly when: "deploy" | "destroy";
  /** The deployment's errors (all of them must match, in order), or `ok`. */
  readonly deployment: "ok" | readonly RegExp[];
  /** An app the run is known to leave (a create whose answer was lost); nothing else may be left. */
  readonly orphan?: string;
}

export const REHEARSAL_ROWS: readonly RehearsalRow[] = [
  {
    id: "instance-503",
    label: "data source: GET /20190131/integrationInstances/{id} answers 503, lasting",
    faults: [{ path: "/20190131/integrationInstances/", kind: "status", status: 503, times: Infinity }],
    when: "deploy",
    deployment: [
      new RegExp(
        `^invocation of oci:Integration/getIntegrationInstance:getIntegrationInstance returned an error: GetIntegrationInstance \\(GET ${PORT}/20190131/integrationInstances/ocid1\\.[^)]+\\): Error returned by IntegrationInstance Service\\. Http Status Code: 503\\. Error Code: ServiceUnavailable\\. Message: Service unavailable \\(injected by the emulator\\)\\. \\(after 8 attempts\\)$`,
      ),
    ],
  },
  {
    id: "grant-503",
    label: "create: POST /admin/v1/Grants answers 503, lasting",
    faults: [{ method: "POST", path: "/admin/v1/Grants", kind: "status", status: 503, times: Infinity }],
    when: "deploy",
    deployment: [
      new RegExp(
        `^CreateGrant \\(POST ${PORT}/admin/v1/Grants\\): Error returned by IdentityDomains Service\\. Http Status Code: 503\\. Error Code: BadErrorResponse\\. Detail: Service unavailable \\(injected by the emulator\\)\\. \\(after 8 attempts\\)$`,
      ),
    ],
  },
  {
    id: "token-503",
    label: "access check: POST /oauth2/v1/token answers 503, lasting (budget 1 s, real time)",
    faults: [{ path: "/oauth2/v1/token", kind: "status", status: 503, times: Infinity }],
    when: "deploy",
    deployment: [
      /^access check of client [0-9a-f]{32} failed after \d+ attempt\(s\) \[server_error\]: the token endpoint 127\.0\.0\.1:\d+ answered 503, a server-side failure\. Fix: retry later or give the check a larger retry budget; if it persists, check the service's status$/,
    ],
  },
  {
    id: "destroy-503-once",
    label: "destroy: PUT /admin/v1/AppStatusChanger/{id} and DELETE /admin/v1/Apps/{id} answer 503 once",
    faults: [
      { method: "PUT", path: "/admin/v1/AppStatusChanger/", kind: "status", status: 503 },
      { method: "DELETE", path: "/admin/v1/Apps/", kind: "status", status: 503 },
    ],
    when: "destroy",
    deployment: "ok",
  },
  {
    id: "create-app-lost",
    label: "create: POST /admin/v1/Apps answers truncated JSON (the app is created, its answer lost)",
    faults: [{ method: "POST", path: "/admin/v1/Apps", kind: "truncated-json" }],
    when: "deploy",
    deployment: [
      new RegExp(
        `^CreateApp \\(POST ${PORT}/admin/v1/Apps\\): the answer \\(HTTP 200, \\d+ bytes\\) is not a JSON object; it may be truncated or malformed$`,
      ),
    ],
    orphan:
      "the app the lost answer created: the state never knew it (terraform-provider-oci's create returns no id either)",
  },
];

export interface RehearsalRowResult {
  readonly row: RehearsalRow;
  readonly rehearsal: Rehearsal;
  readonly outcome: string;
  readonly realMs: number;
  readonly waitedMs: number;
  readonly leftover: string;
  readonly problems: readonly string[];
}

const plain = colorsFor({ isTTY: false }, {}, false);

function oneClientConfig(): Record<string, string> {
  return {
    ...readStackFile(stackFilePath(PROJECT_ROOT, "demo")),
    [`${NS}:clients`]: JSON.stringify([{ name: "reporting", roles: ["ServiceUser"], scopes: ["icApi"] }]),
    [`${NS}:verification`]: JSON.stringify({ retryBudgetSeconds: 1 }),
  };
}

/** The lines the demo prints for the deployment and the destroy, collected for the leak scan. */
function transcriptEvents(lines: string[]): { deploy: RegistrationEvents; destroy: DestroyEvents } {
  return {
    deploy: {
      onDone: (resource, elapsedMs) => lines.push(createdLine(resource, elapsedMs, plain)),
      onFail: (type, name, error) => lines.push(failedLine(type, name, error, plain)),
      onInvokeFail: (token, error) => lines.push(failedCallLine(token, error, plain)),
    },
    destroy: {
      onDone: (resource, elapsedMs) => lines.push(deletedLine(resource, elapsedMs, plain)),
      onFail: (resource, error) => lines.push(failedLine(resource.type, resource.name, error, plain)),
    },
  };
}

/** Every secret a rehearsal's results hold, for the scan by value: client secrets and the throwaway API key. */
export function learnSecrets(rehearsal: Rehearsal, scanner: LeakScanner): void {
  for (const resource of rehearsal.deployment.resources) {
    const secret = resource.state["clientSecret"];
    const clientId = resource.state["name"];
    if (typeof secret === "string") {
      scanner.addSecret("client secret", secret);
      if (typeof clientId === "string") scanner.addBasicCredential(clientId, secret);
    }
  }
  scanner.addSecret("private key", rehearsal.key.credentials.privateKey);
  scanner.addSecret("admin secret", rehearsal.emulator.admin.clientSecret);
}

/** What a rehearsal emitted, as the demo would show it, plus its request log. */
export function scanRehearsal(
  name: string,
  rehearsal: Rehearsal,
  transcript: readonly string[],
  scanner: LeakScanner,
): void {
  learnSecrets(rehearsal, scanner);
  const shown = [
    ...transcript,
    ...rehearsal.deployment.errors,
    rehearsal.destruction?.error ?? "",
    rehearsal.clients.length > 0 ? summaryTable(rehearsal.clients, plain) : "",
    rehearsal.leftover === undefined ? "" : leftoverLine(rehearsal, plain),
    JSON.stringify(rehearsal.clients),
    JSON.stringify(rehearsal.leftover ?? null),
  ];
  scanner.scan(`${name}: what the rehearsal printed and returned`, shown.join("\n"));
  scanner.scan(`${name}: the emulator's request log`, JSON.stringify(rehearsal.emulator.control.requests()));
}

export async function runRehearsalRow(row: RehearsalRow, scanner: LeakScanner): Promise<RehearsalRowResult> {
  const clock = virtualClock();
  const transcript: string[] = [];
  const events = transcriptEvents(transcript);
  let injectOnDeployed: (() => void) | undefined;
  const started = performance.now();
  const rehearsal = await rehearse({
    projectRoot: PROJECT_ROOT,
    config: oneClientConfig(),
    load: loadProgram,
    providerRetry: { clock },
    deployEvents: events.deploy,
    destroyEvents: events.destroy,
    onStarted: (emulator) => {
      const inject = () => row.faults.forEach((fault) => emulator.control.injectFault(fault));
      if (row.when === "deploy") inject();
      else injectOnDeployed = inject;
    },
    onDeployed: () => injectOnDeployed?.(),
  });
  const realMs = performance.now() - started;
  scanRehearsal(`rehearsal ${row.id}`, rehearsal, transcript, scanner);

  const problems: string[] = [];
  const { deployment, destruction, leftover, emulator } = rehearsal;
  if (row.deployment === "ok") {
    if (!deployment.ok) problems.push(`the deployment failed: ${deployment.errors.join("; ")}`);
  } else {
    if (deployment.ok) problems.push("the deployment succeeded");
    const expected = row.deployment;
    if (
      deployment.errors.length !== expected.length ||
      !deployment.errors.every((e, i) => expected[i]?.test(e))
    )
      problems.push(`errors ${JSON.stringify(deployment.errors)} do not match`);
  }
  if (destruction?.ok !== true) problems.push(`the destroy failed: ${destruction?.error ?? "not run"}`);
  const apps = leftover?.apps.length ?? -1;
  const grants = leftover?.grants.length ?? -1;
  const orphanOk = row.orphan !== undefined && apps === 1 && grants === 0;
  if ((apps !== 0 || grants !== 0) && !orphanOk) problems.push(`left behind: ${apps} apps, ${grants} grants`);
  if (row.orphan !== undefined && !orphanOk) problems.push("the expected orphan is not there");
  if (emulator.caFile !== null && existsSync(dirname(emulator.caFile)))
    problems.push("the emulator's temporary directory is still there");
  return {
    row,
    rehearsal,
    outcome: deployment.ok ? "ok" : (deployment.errors[0] ?? "failed"),
    realMs,
    waitedMs: clock.waited(),
    leftover:
      apps === 0 && grants === 0
        ? "nothing"
        : `${apps} app, ${grants} grants${orphanOk ? " (known orphan)" : ""}`,
    problems,
  };
}

function capture() {
  let text = "";
  return { stream: { write: (chunk: string) => (text += chunk), isTTY: false }, text: () => text };
}

export interface DemoRun {
  readonly argv: readonly string[];
  readonly code: number;
  readonly problems: readonly string[];
}

/** The `npx oic-verify …` commands `--keep` prints, as argument lists. */
function verifyCommands(instructions: string): string[][] {
  const joined = instructions.replace(/ \\\n\s*/g, " ");
  return joined
    .split("\n")
    .filter((line) => line.startsWith("npx oic-verify "))
    .map((line) =>
      (line.slice("npx oic-verify ".length).match(/'[^']*'|\S+/g) ?? []).map((word) =>
        word.replace(/^'(.*)'$/, "$1"),
      ),
    );
}

/**
 * `npm run demo`, `-- --json` and `-- --keep` (running every `oic-verify` command it prints, in both output forms,
 * while the stack is kept), each scanned. Their secrets never reach this process except through `--keep`'s secret
 * files, so the first two are scanned by shape (and for every secret known by then), the last also by value.
 */
export async function runDemos(scanner: LeakScanner): Promise<DemoRun[]> {
  const runs: DemoRun[] = [];
  for (const argv of [[], ["--json"]]) {
    forgetProgram();
    const out = capture();
    const err = capture();
    const code = await demoMain(argv, { stdout: out.stream, stderr: err.stream, env: {} });
    scanner.scan(`demo ${argv.join(" ") || "(plain)"}: stdout`, out.text());
    scanner.scan(`demo ${argv.join(" ") || "(plain)"}: stderr`, err.text());
    runs.push({ argv, code, problems: code === 0 ? [] : [`exit code ${code}`] });
  }

  forgetProgram();
  const out = capture();
  const err = capture();
  const problems: string[] = [];
  const verifyOutputs: string[] = [];
  let secretDir: string | undefined;
  const code = await demoMain(["--keep"], { stdout: out.stream, stderr: err.stream, env: {} }, async () => {
    // The secret files are the one place --keep puts the secrets: learn them, check who may read them.
    const commands = verifyCommands(out.text());
    for (const args of commands) {
      const file = args[args.indexOf("--secret-file") + 1] ?? "";
      const clientId = args[args.indexOf("--client-id") + 1] ?? "";
      const secret = readFileSync(file, "utf8");
      scanner.addSecret("client secret", secret);
      scanner.addBasicCredential(clientId, secret);
      secretDir = dirname(file);
      if ((statSync(file).mode & 0o077) !== 0) problems.push(`${file} can be read by others`);
    }
    if (secretDir !== undefined && (statSync(secretDir).mode & 0o077) !== 0)
      problems.push(`${secretDir} can be opened by others`);
    // Every other temporary file must hold no secret.
    for (const entry of readdirSync(tmpdir(), { recursive: true, withFileTypes: true })) {
      const path = join(entry.parentPath, entry.name);
      if (!entry.isFile() || (secretDir !== undefined && path.startsWith(secretDir))) continue;
      scanner.scan(`demo --keep: temporary file ${entry.name}`, readFileSync(path, "utf8"));
    }
    for (const [index, args] of commands.entries()) {
      for (const form of [["--json"], []]) {
        const stdout = capture();
        const stderr = capture();
        const status = await verifyMain([...args, ...form, "--retry-budget", "0"], {
          stdout: stdout.stream,
          stderr: stderr.stream,
          env: {},
        });
        if (status !== 0)
          problems.push(`oic-verify of client ${index + 1} ${form.join(" ")} exited ${status}`);
        verifyOutputs.push(stdout.text(), stderr.text());
      }
    }
  });
  scanner.scan("demo --keep: stdout", out.text());
  scanner.scan("demo --keep: stderr", err.text());
  scanner.scan("oic-verify (the commands --keep prints): stdout and stderr", verifyOutputs.join("\n"));
  if (code !== 0) problems.push(`exit code ${code}`);
  if (secretDir === undefined) problems.push("--keep printed no oic-verify command");
  else if (existsSync(secretDir)) problems.push("--keep left its secret files behind");
  runs.push({ argv: ["--keep"], code, problems });
  return runs;
}
