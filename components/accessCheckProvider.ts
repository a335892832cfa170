/**
 * The dynamic provider behind `OicAccessCheck`. Pulumi serializes this object's methods into the state
 * (`__provider`) and runs them in its own Node process, so every method is self-contained: it loads the
 * verifier (and through it axios) with `require` when it runs, and captures nothing but the plain
 * strings below. The client secret arrives as an input on each call and is never captured or returned.
 * See docs/verify.md and https://github.com/pulumi/pulumi/issues/18997, #16826, #12401, #8265, #3012.
 */
import type * as nodeCrypto from "node:crypto";

import type * as pulumi from "@pulumi/pulumi";

import type { Probe } from "./oic";
import type * as verifierModule from "./verifier";
import type { Diagnosis, VerifyInput, VerifyOptions, VerifyResult } from "./verifier";
import { loadModule, moduleEntry, type ModuleEntry } from "./providerModules";

/**
 * The plain, resolved inputs the provider sees (the public args with Inputs are in accessCheck.ts): what the
 * verifier needs, with the defaults applied, and how the check runs.
 */
export interface AccessCheckInputs extends VerifyInput {
  /** Arrives unwrapped in the provider process; stored only in the encrypted inputs of the state. */
  readonly clientSecret: string;
  readonly probe: Probe;
  readonly roles: readonly string[];
  readonly retryBudgetSeconds: number;
  readonly timeoutSeconds: number;
  readonly caFile?: string;
  readonly allowPlainHttpOnLoopback: boolean;
  /** Changes when the app, its grants or its scopes change: a new value re-runs the check. */
  readonly trigger: string;
  /** Set to a fresh value on every run when "verify on every up" is on. */
  readonly verifyNonce?: string;
}

/** What the check records: the non-secret inputs (for `diff`) and the facts it found. */
export interface AccessCheckOutputs extends Omit<AccessCheckInputs, "clientSecret"> {
  /** `hmac-sha256:<salt>:<mac>` of the secret, only so that `diff` sees a rotation; also marked secret. */
  readonly clientSecretFingerprint: string;
  readonly diagnosis: Diagnosis;
  readonly httpStatus: number | null;
  readonly connections: number | null;
  readonly tokenExpiresAt: string | null;
  readonly checkedAt: string;
  readonly attempts: number;
  readonly elapsedMs: number;
}

/** Inputs whose change re-runs the check (everything but the secret, which is compared by fingerprint). */
export const COMPARED_INPUTS = [
  "tokenUrl",
  "clientId",
  "scope",
  "designTimeUrl",
  "integrationInstance",
  "probe",
  "roles",
  "retryBudgetSeconds",
  "timeoutSeconds",
  "caFile",
  "allowPlainHttpOnLoopback",
  "trigger",
  "verifyNonce",
] as const satisfies readonly (keyof AccessCheckInputs & keyof AccessCheckOutputs)[];

/** Where the verifier is: plain strings the serialized methods capture (see providerModules.ts). */
const VERIFIER_ENTRY: ModuleEntry = moduleEntry("verifier");

type VerifierModule = typeof verifierModule;

function fingerprint(secret: string, salt?: string): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded when the method runs, not captured
  const crypto = require("node:crypto") as typeof nodeCrypto;
  const useSalt = salt ?? crypto.randomBytes(16).toString("hex");
  const mac = crypto.createHmac("sha256", useSalt).update(secret, "utf8").digest("hex");
  return `hmac-sha256:${useSalt}:${mac}`;
}

function sameSecret(oldFingerprint: unknown, secret: unknown): boolean {
  if (typeof oldFingerprint !== "string" || typeof secret !== "string") return false;
  const salt = oldFingerprint.split(":")[1];
  return salt !== undefined && fingerprint(secret, salt) === oldFingerprint;
}

/** Defaults applied the same way to old outputs and new inputs, so absent and default compare equal. */
/** Defaults of the optional inputs, so that absent and default compare equal in `diff`. */
const INPUT_DEFAULTS: Readonly<Record<string, unknown>> = {
  probe: "connections",
  roles: [],
  retryBudgetSeconds: 120,
  timeoutSeconds: 10,
  allowPlainHttpOnLoopback: false,
};

function comparable(values: Partial<Record<string, unknown>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of COMPARED_INPUTS) out[key] = JSON.stringify(values[key] ?? INPUT_DEFAULTS[key] ?? null);
  return out;
}

async function runCheck(inputs: AccessCheckInputs, entry: ModuleEntry): Promise<AccessCheckOutputs> {
  const verifier = loadModule<VerifierModule>(entry);
  const input: VerifyInput = {
    tokenUrl: inputs.tokenUrl,
    clientId: inputs.clientId,
    clientSecret: inputs.clientSecret,
    scope: inputs.scope,
    designTimeUrl: inputs.designTimeUrl,
    integrationInstance: inputs.integrationInstance,
    probe: inputs.probe,
    roles: inputs.roles ?? [],
  };
  const budgetMs = (inputs.retryBudgetSeconds ?? 120) * 1000;
  const options: VerifyOptions = {
    retry: { budgetMs, propagationWindowMs: budgetMs },
    timeoutMs: (inputs.timeoutSeconds ?? 10) * 1000,
    caFile: inputs.caFile,
    allowPlainHttpOnLoopback: inputs.allowPlainHttpOnLoopback === true,
  };
  const result: VerifyResult = await verifier.verifyClient(input, options);
  if (!result.ok) {
    throw new Error(
      `access check of client ${result.clientId} failed after ${result.attempts} attempt(s) [${result.diagnosis}]: ${result.message}. Fix: ${result.hint}`,
    );
  }
  return withoutUndefined({
    tokenUrl: inputs.tokenUrl,
    clientId: inputs.clientId,
    scope: inputs.scope,
    designTimeUrl: inputs.designTimeUrl,
    integrationInstance: inputs.integrationInstance,
    probe: inputs.probe,
    roles: inputs.roles ?? [],
    retryBudgetSeconds: inputs.retryBudgetSeconds,
    timeoutSeconds: inputs.timeoutSeconds,
    caFile: inputs.caFile,
    allowPlainHttpOnLoopback: inputs.allowPlainHttpOnLoopback === true,
    trigger: inputs.trigger,
    verifyNonce: inputs.verifyNonce,
    clientSecretFingerprint: fingerprint(inputs.clientSecret),
    diagnosis: result.diagnosis,
    httpStatus: result.httpStatus,
    connections: result.connections,
    tokenExpiresAt: result.tokenExpiresAt,
    checkedAt: result.checkedAt,
    attempts: result.attempts,
    elapsedMs: result.elapsedMs,
  } satisfies AccessCheckOutputs);
}

/**
 * The outputs without absent values: the engine's dynamic-provider host sends outputs as a protobuf Struct,
 * whose `fromJavaScript` refuses `undefined` ("Unexpected struct type", @pulumi/pulumi cmd/dynamic-provider).
 */
function withoutUndefined<T extends object>(outs: T): T {
  return Object.fromEntries(Object.entries(outs).filter(([, value]) => value !== undefined)) as T;
}

/**
 * - `create`/`update`: run the check; a failed check throws its diagnosis, message and fix (never the secret).
 * - `diff`: compares the meaningful inputs and the secret's fingerprint; `__provider` is ignored, so new
 *   provider code alone causes no update (pulumi#12401).
 * - `delete`: nothing to undo and nothing on the network, so destroy never depends on reachability.
 * - no `read`: refresh keeps the recorded facts; re-checking is `verifyOnEveryUp` or the `oic-verify` CLI.
 */
export const accessCheckProvider: pulumi.dynamic.ResourceProvider<AccessCheckInputs, AccessCheckOutputs> = {
  async create(inputs: AccessCheckInputs) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded when the method runs, not captured
    const { randomUUID } = require("node:crypto") as typeof nodeCrypto;
    const outs = await runCheck(inputs, VERIFIER_ENTRY);
    return { id: `oic-access-check-${randomUUID()}`, outs };
  },

  async update(_id: string, _olds: AccessCheckOutputs, news: AccessCheckInputs) {
    return { outs: await runCheck(news, VERIFIER_ENTRY) };
  },

  diff(_id: string, olds: AccessCheckOutputs, news: AccessCheckInputs) {
    const before = comparable(olds as unknown as Record<string, unknown>);
    const after = comparable(news as unknown as Record<string, unknown>);
    const changed = Object.keys(after).filter((key) => before[key] !== after[key]);
    if (!sameSecret(olds.clientSecretFingerprint, news.clientSecret)) changed.push("clientSecret");
    return Promise.resolve({ changes: changed.length > 0, replaces: [], deleteBeforeReplace: false });
  },

  delete() {
    return Promise.resolve();
  },
};
