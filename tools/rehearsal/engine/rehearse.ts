/**
 * A deployment and a destroy of the real program, with the engine's part played here: `index.ts` runs under
 * the Pulumi runtime exactly as `pulumi up` runs it (`runInPulumiStack`), its registrations reach the recording
 * monitor, and the mocks behind it do what the OCI provider and the dynamic provider host would do. Destroy
 * deletes in reverse dependency order, as the engine does.
 */
import type { Mocks } from "@pulumi/pulumi/runtime/mocks";
import type * as settingsModule from "@pulumi/pulumi/runtime/settings";
import type * as stackModule from "@pulumi/pulumi/runtime/stack";

import type { EmulatedOciProvider } from "../ociProvider/emulatedProvider";
import { OCI_TOKENS } from "../ociProvider/emulatedProvider";
import { deleteDynamic, isDynamicResourceType, type HostConfig } from "./dynamicProviders";
import { installRecordingMonitor, RecordingMonitor, type RegistrationEvents } from "./recordingMonitor";
import { destroyOrder, type DeployedResource } from "./resourceGraph";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const settings = require("@pulumi/pulumi/runtime/settings") as typeof settingsModule & {
  /** Internal to the SDK: resolves when every registration in flight has been answered. */
  waitForRPCs(): Promise<void>;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { runInPulumiStack } = require("@pulumi/pulumi/runtime/stack") as typeof stackModule;

export interface ProgramRun {
  /** Absolute path of the program's entry (`index.ts`). */
  readonly programPath: string;
  readonly project: string;
  readonly stack: string;
  /** Full keys (`<namespace>:<key>`) to string values, as the CLI hands a stack's config to the program. */
  readonly config: Readonly<Record<string, string>>;
  /** Keys whose values are secrets. */
  readonly secretKeys?: readonly string[];
  /**
   * Loads the program as the language host would. Default `import()` (what vitest transforms); a CLI running
   * under tsx's require hook passes `require`.
   */
  readonly load?: (path: string) => Promise<Record<string, unknown>>;
}

export interface Deployment {
  readonly ok: boolean;
  /** The stack outputs, when the deployment succeeded. */
  readonly outputs?: Record<string, unknown>;
  /** What the deployment failed with; every message once. */
  readonly errors: readonly string[];
  /** Every resource created, in creation order, including those created before a failure. */
  readonly resources: readonly DeployedResource[];
}

function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  // Pulumi prefixes a failed input's message once per hop, and a failed registration's with the resource; the
  // cause is what a reader needs (and the same failure arrives both ways).
  return text.replace(
    /^((error serializing property "[^"]+"|failed to register new resource \S+ \[[^\]]+\]): )+/,
    "",
  );
}

/** The module's exports as the program's stack outputs (a CommonJS module imported as ESM has them as `default`). */
function exportsOf(module: Record<string, unknown>): Record<string, unknown> {
  const inner = module["default"];
  return inner !== null && typeof inner === "object" ? (inner as Record<string, unknown>) : module;
}

/**
 * Runs the program once. A failed resource or data source call leaves the outputs that depend on it pending
 * forever and is reported by the runtime as an unhandled rejection (as `pulumi up` prints it), so the run ends at
 * the first failure, once every provider call in flight has been answered and no other has started, and every
 * resource created so far is returned for cleanup.
 */
export async function deploy(
  run: ProgramRun,
  mocks: Mocks,
  events: RegistrationEvents = {},
  /** Ends the run as a failure does (Ctrl+C); the caller stops what the calls in flight talk to. */
  signal?: AbortSignal,
): Promise<Deployment> {
  const pulumi = await import("@pulumi/pulumi");
  const errors: unknown[] = [];
  let hasFailed = false;
  let failed: () => void = () => undefined;
  const firstFailure = new Promise<void>((resolve) => {
    failed = () => {
      hasFailed = true;
      resolve();
    };
  });
  const aborted = new Promise<void>((resolve) => {
    if (signal?.aborted === true) resolve();
    signal?.addEventListener("abort", () => resolve(), { once: true });
  });
  const monitor = new RecordingMonitor(mocks, {
    ...events,
    onFail(type, name, error, elapsedMs) {
      errors.push(error);
      events.onFail?.(type, name, error, elapsedMs);
      failed();
    },
    // The engine fails the deployment on a data source that fails; the program's outputs that needed it never
    // resolve, so nothing else would end the run.
    onInvokeFail(token, error, elapsedMs) {
      errors.push(error);
      events.onInvokeFail?.(token, error, elapsedMs);
      failed();
    },
  });
  await installRecordingMonitor(monitor, run.project, run.stack);
  pulumi.runtime.setAllConfig({ ...run.config }, [...(run.secretKeys ?? [])]);

  const saved = process.listeners("unhandledRejection");
  process.removeAllListeners("unhandledRejection");
  const onRejection = (reason: unknown): void => {
    errors.push(reason);
    failed();
  };
  process.on("unhandledRejection", onRejection);
  let outputs: Record<string, unknown> | undefined;
  try {
    const load = run.load ?? ((path: string) => import(path) as Promise<Record<string, unknown>>);
    const finished = runInPulumiStack(async () => exportsOf(await load(run.programPath)))
      .then((value) => {
        outputs = value ?? {};
      })
      .catch(onRejection);
    await Promise.race([finished, firstFailure, aborted]);
    const stopped = () => hasFailed || signal?.aborted === true;
    // Registrations that export nothing may still be running after the outputs resolved.
    if (!stopped()) await Promise.race([settings.waitForRPCs(), firstFailure, aborted]);
    // After a failure the runtime's waitForRPCs never returns (see RecordingMonitor.settled).
    if (stopped()) await monitor.settled();
    // Node reports an unhandled rejection after the microtask queue drains: let a few turns pass.
    for (let turn = 0; turn < 10; turn++) await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off("unhandledRejection", onRejection);
    for (const listener of saved) process.on("unhandledRejection", listener);
  }
  if (signal?.aborted === true) errors.unshift(new Error(`interrupted (${String(signal.reason)})`));
  const messages = [...new Set(errors.map(messageOf))];
  return messages.length === 0 && outputs !== undefined
    ? { ok: true, outputs, errors: [], resources: [...monitor.deployed] }
    : { ok: false, errors: messages, resources: [...monitor.deployed] };
}

export interface DestroyEvents {
  onStart?(resource: DeployedResource): void;
  onDone?(resource: DeployedResource, elapsedMs: number): void;
  onFail?(resource: DeployedResource, error: unknown, elapsedMs: number): void;
}

export interface Destruction {
  readonly ok: boolean;
  readonly error?: string;
  /** Resources deleted, in order. */
  readonly deleted: readonly DeployedResource[];
  /** Resources left, when a delete failed. */
  readonly remaining: readonly DeployedResource[];
}

async function deleteOne(
  resource: DeployedResource,
  provider: EmulatedOciProvider,
  host: HostConfig,
): Promise<void> {
  if (resource.type === OCI_TOKENS.app) return provider.deleteApp(resource.id, resource.state);
  if (resource.type === OCI_TOKENS.grant) return provider.deleteGrant(resource.id, resource.state);
  if (isDynamicResourceType(resource.type)) return deleteDynamic(resource.id, resource.state, host);
  throw new Error(`the rehearsal cannot delete a ${resource.type} (${resource.name})`);
}

/**
 * `pulumi destroy`: each custom resource, after every resource that depends on it; stops at the first failure,
 * or before the next delete once `signal` aborts. Dynamic providers are configured with `host`: the config of the
 * deployment, as a plain `pulumi destroy` configures them with the config of the last `up`.
 */
export async function destroy(
  resources: readonly DeployedResource[],
  provider: EmulatedOciProvider,
  host: HostConfig,
  events: DestroyEvents = {},
  signal?: AbortSignal,
): Promise<Destruction> {
  const order = destroyOrder(resources).filter((resource) => resource.custom);
  const deleted: DeployedResource[] = [];
  for (const [index, resource] of order.entries()) {
    if (signal?.aborted === true) {
      return {
        ok: false,
        error: `interrupted (${String(signal.reason)})`,
        deleted,
        remaining: order.slice(index),
      };
    }
    const started = Date.now();
    events.onStart?.(resource);
    try {
      await deleteOne(resource, provider, host);
    } catch (error) {
      events.onFail?.(resource, error, Date.now() - started);
      return { ok: false, error: messageOf(error), deleted, remaining: order.slice(index) };
    }
    deleted.push(resource);
    events.onDone?.(resource, Date.now() - started);
  }
  return { ok: true, deleted, remaining: [] };
}
