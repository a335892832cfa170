/**
 * The dynamic provider behind `OicAccessCheck`. Pulumi serializes this object's methods into the state
 * (`__provider`) and runs them in its own Node process, so every method is self-contained: it loads the
 * verifier (and through it axios) with `require` when it runs, and captures nothing but the plain data
 * below (strings, the defaults). The client secret arrives as an input on each call and is never captured or
 * returned.
 * See docs/verify.md and https://github.com/pulumi/pulumi/issues/18997, #16826, #12401, #8265, #3012.
 */
import type * as nodeCrypto from "node:crypto";

import type * as pulumi from "@pulumi/pulumi";

import { DEFAULT_PROBE, type Probe } from "./oic";
import type * as verifierModule from "./verifier";
import type { Diagnosis, VerifyInput, VerifyOptions, VerifyResult } from "./verifier";
import { loadModule, moduleEntry, type ModuleEntry } from "./providerModules";
import {
  DEFAULT_DEPLOYMENT_CONCURRENCY,
  DEFAULT_RETRY_BUDGET_SECONDS,
  DEFAULT_TIMEOUT_SECONDS,
} from "./verifier/defaults";

/**
 * The check's inputs as the provider gets them: plain, resolved values. This is the one list of them: the
 * resource's args are the same fields as Inputs (`OicAccessCheckArgs` in accessCheck.ts), and the optional
 * ones have their default in `ACCESS_CHECK_DEFAULTS`.
 */
export interface AccessCheckInputs extends VerifyInput {
  /** Arrives unwrapped in the provider process; stored only in the encrypted inputs of the state. */
  readonly clientSecret: string;
  /** `connections` or `token` (`none` means: no check at all). Default `connections`. */
  readonly probe?: Probe;
  /** The OIC roles the app is granted; they make a `role_missing` message name what is missing. Default []. */
  readonly roles?: readonly string[];
  /** Seconds the check may keep retrying failures that heal (propagation, 429, 5xx, timeouts). Default 120; 0 = no retries. */
  readonly retryBudgetSeconds?: number;
  /** Per-request timeout in seconds. Default 10. */
  readonly timeoutSeconds?: number;
  /** PEM file of extra CAs to trust, e.g. the emulator's. Default: the system roots only. */
  readonly caFile?: string;
  /** Allow plain `http://` to a loopback host (the emulator with `--http`). Default false. */
  readonly allowPlainHttpOnLoopback?: boolean;
  /** At most this many checks run at once in the provider's process, whatever the engine's `--parallel`. Default 4. */
  readonly concurrency?: number;
  /** Changes when the app, its grants or its scopes change (see `accessCheckTrigger`): a new value re-runs the check. */
  readonly trigger: string;
  /** A fresh value on every run when "verify on every up" is on. */
  readonly verifyNonce?: string;
}

type Defaulted =
  "probe" | "roles" | "retryBudgetSeconds" | "timeoutSeconds" | "allowPlainHttpOnLoopback" | "concurrency";

/** The inputs with every default applied. */
export type SettledAccessCheckInputs = AccessCheckInputs & Required<Pick<AccessCheckInputs, Defaulted>>;

/**
 * The defaults of the optional inputs, in one place: the resource registers them, and the provider applies them
 * to old state and new inputs alike, so that absent and default compare equal in `diff`.
 */
export const ACCESS_CHECK_DEFAULTS: Readonly<Required<Pick<AccessCheckInputs, Defaulted>>> = {
  probe: DEFAULT_PROBE,
  roles: [],
  retryBudgetSeconds: DEFAULT_RETRY_BUDGET_SECONDS,
  timeoutSeconds: DEFAULT_TIMEOUT_SECONDS,
  allowPlainHttpOnLoopback: false,
  concurrency: DEFAULT_DEPLOYMENT_CONCURRENCY,
};

/** What the check records: the non-secret inputs (for `diff`) and the facts it found. */
export interface AccessCheckOutputs extends Omit<SettledAccessCheckInputs, "clientSecret"> {
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

/**
 * For every input, whether a change re-runs the check (a Record, so that a new input must say). The secret is
 * compared by its fingerprint instead; `concurrency` says how many checks run at once, not what is checked.
 */
const RERUNS_CHECK: Readonly<Record<keyof AccessCheckInputs, boolean>> = {
  tokenUrl: true,
  clientId: true,
  clientSecret: false,
  scope: true,
  designTimeUrl: true,
  integrationInstance: true,
  probe: true,
  roles: true,
  retryBudgetSeconds: true,
  timeoutSeconds: true,
  caFile: true,
  allowPlainHttpOnLoopback: true,
  concurrency: false,
  trigger: true,
  verifyNonce: true,
};

/**
 * The inputs the provider knows, with the defaults applied to what is absent; anything else (`__provider`, an
 * output) is left out.
 */
export function settleInputs(values: Readonly<Record<string, unknown>>): SettledAccessCheckInputs {
  const given = Object.entries(values).filter(([key, value]) => key in RERUNS_CHECK && value !== undefined);
  return { ...ACCESS_CHECK_DEFAULTS, ...Object.fromEntries(given) } as SettledAccessCheckInputs;
}

/** The process-wide pools of check slots, one per `concurrency` value (see `withCheckSlot`). */
const CHECK_SLOTS = "oic-client-provisioner/access-check-slots";

interface SlotPool {
  running: number;
  readonly waiting: Array<() => void>;
}

/**
 * Runs `check` once fewer than `limit` checks hold a slot. The pools live on `globalThis` under a `Symbol.for`
 * key, because the engine's dynamic-provider host loads each resource's serialized provider with its own
 * `require-from-string` (@pulumi/pulumi cmd/dynamic-provider, `getProvider`): every copy runs in the one host
 * process and must share the bound. A bound inside the provider, not `dependsOn` between checks, so that one
 * failed check leaves the other clients' checks running (a dependent of a failed resource is never created).
 */
export async function withCheckSlot<T>(limit: number, check: () => Promise<T>): Promise<T> {
  const registry = globalThis as unknown as Record<symbol, Map<number, SlotPool> | undefined>;
  const key = Symbol.for(CHECK_SLOTS);
  const pools = (registry[key] ??= new Map<number, SlotPool>());
  let pool = pools.get(limit);
  if (pool === undefined) {
    pool = { running: 0, waiting: [] };
    pools.set(limit, pool);
  }
  const own = pool;
  if (own.running < Math.max(1, limit)) own.running += 1;
  else await new Promise<void>((resolve) => own.waiting.push(resolve));
  try {
    return await check();
  } finally {
    // The slot passes straight to the next waiting check, or is given back.
    const next = own.waiting.shift();
    if (next === undefined) own.running -= 1;
    else next();
  }
}

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

function comparable(values: Readonly<Record<string, unknown>>): Record<string, string> {
  const settled = settleInputs(values) as unknown as Readonly<Record<string, unknown>>;
  return Object.fromEntries(
    Object.entries(RERUNS_CHECK)
      .filter(([, reruns]) => reruns)
      .map(([key]) => [key, JSON.stringify(settled[key] ?? null)]),
  );
}

async function runCheck(inputs: AccessCheckInputs, entry: ModuleEntry): Promise<AccessCheckOutputs> {
  const settled = settleInputs(inputs as unknown as Record<string, unknown>);
  const verifier = loadModule<VerifierModule>(entry);
  const budgetMs = settled.retryBudgetSeconds * 1000;
  const options: VerifyOptions = {
    retry: { budgetMs, propagationWindowMs: budgetMs },
    timeoutMs: settled.timeoutSeconds * 1000,
    caFile: settled.caFile,
    allowPlainHttpOnLoopback: settled.allowPlainHttpOnLoopback,
  };
  const result: VerifyResult = await withCheckSlot(settled.concurrency, () =>
    verifier.verifyClient(settled, options),
  );
  if (!result.ok) {
    throw new Error(
      `access check of client ${result.clientId} failed after ${result.attempts} attempt(s) [${result.diagnosis}]: ${result.message}. Fix: ${result.hint}`,
    );
  }
  const { clientSecret, ...recorded } = settled;
  return withoutUndefined({
    ...recorded,
    clientSecretFingerprint: fingerprint(clientSecret),
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
 * - `create`/`update`: run the check, at most `concurrency` at once (`withCheckSlot`); a failed check throws its
 *   diagnosis, message and fix (never the secret).
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
