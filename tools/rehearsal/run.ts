/**
 * The offline rehearsal of a whole deployment: start the emulator, deploy the real program with a real stack
 * file pointed at it, verify, summarise, then destroy in reverse dependency order and show that nothing is left.
 */
import { join } from "node:path";

import { startEmulator, type EmulatorHandle, type EmulatorStateSnapshot } from "../emulator";
import { createHttpClient, type HttpClient } from "../../components/http";
import { createSignedClient } from "../../components/signing";
import { deployerAuthentication, newDeployerKey, type DeployerKey } from "./deployerKey";
import { emulatorMocks } from "./engine/emulatorMocks";
import type { RegistrationEvents } from "./engine/recordingMonitor";
import {
  deploy,
  destroy,
  type Deployment,
  type DestroyEvents,
  type Destruction,
  type ProgramRun,
} from "./engine/rehearse";
import { emulatedOciProvider, type EmulatedOciProvider } from "./ociProvider/emulatedProvider";
import type { ProviderRetryOptions } from "./ociProvider/retryingClient";
import {
  nestedValue,
  readStack,
  setNested,
  stackFilePath,
  validateAsWritten,
  type StackConfigValues,
  type StackFile,
} from "./stackFile";
import { summarise, type ClientSummary } from "./summary";

export const PROJECT = "oic-client-provisioner";
const NS = PROJECT;

export interface RehearsalOptions {
  /** The project directory: `index.ts` and `stacks/` are there. */
  readonly projectRoot: string;
  /** The stack whose file is used (default `demo`). */
  readonly stack?: string;
  /** The directory of the stack files (default `<projectRoot>/stacks`). */
  readonly stacksDir?: string;
  /**
   * Config values to use instead of the stack file's (full keys, strings), e.g. for a failing variant. They are
   * validated as written, as a stack file's are.
   */
  readonly config?: StackConfigValues;
  /** The keys of `config` that hold secrets (as keys with a `secure:` value in a stack file do). */
  readonly secretKeys?: readonly string[];
  /** Overrides the stack's `destroy.deactivateBeforeDelete`, to show what the domain does without the step. */
  readonly deactivateBeforeDelete?: boolean;
  /** Leave the stack deployed and the emulator running (the caller closes it). */
  readonly keep?: boolean;
  readonly deployEvents?: RegistrationEvents;
  readonly destroyEvents?: DestroyEvents;
  /** How the program is loaded (see `ProgramRun.load`). */
  readonly load?: ProgramRun["load"];
  /** Called once the emulator is up, before the deployment starts. */
  readonly onStarted?: (emulator: EmulatorHandle) => void;
  /** Called before the destroy starts (after the summary is known). */
  readonly onDeployed?: (summary: readonly ClientSummary[]) => void;
  /** The OCI provider's retries (default: its own budgets and the system clock); tests inject a clock. */
  readonly providerRetry?: ProviderRetryOptions;
  /**
   * Ctrl+C: when it aborts, the emulator stops at once (so every call in flight fails fast), the deployment or
   * destroy ends where it is, and the result says what the emulator held when it stopped.
   */
  readonly signal?: AbortSignal;
}

export interface Rehearsal {
  readonly emulator: EmulatorHandle;
  readonly stack: string;
  /** The config the program ran with; the private key is left out. */
  readonly config: StackConfigValues;
  readonly deployment: Deployment;
  readonly clients: readonly ClientSummary[];
  /** Absent with `keep`. */
  readonly destruction?: Destruction;
  /**
   * The emulator's apps and grants after the destroy (empty when nothing was left behind), or when it stopped if
   * the rehearsal was interrupted.
   */
  readonly leftover?: EmulatorStateSnapshot;
  /** The abort reason (e.g. `SIGINT`) when `signal` stopped the rehearsal; the emulator is then closed. */
  readonly interrupted?: string;
  readonly provider: EmulatedOciProvider;
  /** The throwaway API key the emulator trusts, which the stack config holds as `oci:privateKey` (for leak scans). */
  readonly key: DeployerKey;
  /** Stops the emulator (and the rehearsal's connections to it); for a rehearsal run with `keep`. */
  close(): Promise<void>;
}

const SECRET_KEYS = ["oci:privateKey"] as const;

/** The stack's own API key settings, which the throwaway key replaces (a passphrase would not fit it). */
const REPLACED_KEYS = ["oci:privateKeyPath", "oci:privateKeyPassword"] as const;

/**
 * The stack as given (its file, or `options.config`), validated as `pulumi up` would validate it, before anything
 * is pointed at the emulator: what a deployment to a tenancy would refuse is refused here, with the same message,
 * and the emulator does not start. Throws a `StackFileError` or a `StackConfigError`.
 */
export function stackAsWritten(options: RehearsalOptions, stack = options.stack ?? "demo"): StackFile {
  const file: StackFile =
    options.config === undefined
      ? readStack(stackFilePath(options.projectRoot, stack, options.stacksDir))
      : { values: options.config, secretKeys: options.secretKeys ?? [], secureValues: [] };
  validateAsWritten(stack, file, options.projectRoot);
  return file;
}

/**
 * The stack's config, already validated as written, pointed at the emulator, with the throwaway key as the
 * provider's API key.
 */
export function emulatorConfig(
  values: StackConfigValues,
  emulator: EmulatorHandle,
  key: DeployerKey,
  deactivateBeforeDelete: boolean | undefined,
): StackConfigValues {
  let config = setNested(values, `${NS}:identityDomain`, "endpoint", emulator.idcsUrl);
  if (emulator.caFile !== null) config = setNested(config, `${NS}:verification`, "caFile", emulator.caFile);
  if (nestedValue(config, `${NS}:integrationInstance`, "id") !== undefined) {
    config = setNested(config, `${NS}:integrationInstance`, "id", emulator.integrationInstanceId);
  }
  if (deactivateBeforeDelete !== undefined) {
    config = setNested(config, `${NS}:destroy`, "deactivateBeforeDelete", String(deactivateBeforeDelete));
  }
  return {
    ...Object.fromEntries(
      Object.entries(config).filter(([name]) => !(REPLACED_KEYS as readonly string[]).includes(name)),
    ),
    "oci:tenancyOcid": key.credentials.tenancyOcid,
    "oci:userOcid": key.credentials.userOcid,
    "oci:fingerprint": key.credentials.fingerprint,
    "oci:privateKey": key.credentials.privateKey,
  };
}

export async function rehearse(options: RehearsalOptions): Promise<Rehearsal> {
  const stack = options.stack ?? "demo";
  const file = stackAsWritten(options, stack);
  const values = file.values;
  const key = newDeployerKey();
  const emulator = await startEmulator({
    adminPublicKeyPem: key.publicKeyPem,
    // The whole keyId is checked: tenancy, user and fingerprint of this key.
    adminKeyTenancyOcid: key.credentials.tenancyOcid,
    adminKeyUserOcid: key.credentials.userOcid,
  });
  let http: HttpClient | undefined;
  let keepRunning = false;
  const close = async (): Promise<void> => {
    http?.close();
    await emulator.close();
  };
  const { signal } = options;
  // A function, not a narrowed property: the signal can abort during any await.
  const isInterrupted = (): boolean => signal?.aborted === true;
  // Read once the emulator has stopped: nothing can change it any more.
  let stoppedState: Promise<EmulatorStateSnapshot> | undefined;
  const stop = (): void => {
    stoppedState ??= close().then(() => emulator.control.state());
  };
  signal?.addEventListener("abort", stop, { once: true });
  if (isInterrupted()) stop();
  try {
    options.onStarted?.(emulator);
    const config = emulatorConfig(values, emulator, key, options.deactivateBeforeDelete);
    const shown = Object.fromEntries(Object.entries(config).filter(([name]) => name !== "oci:privateKey"));
    http = createHttpClient({ caFile: emulator.caFile ?? undefined });
    const provider = emulatedOciProvider({
      client: createSignedClient(http, await deployerAuthentication(key)),
      integrationEndpoint: emulator.idcsUrl,
      retry: { ...options.providerRetry, ...(signal === undefined ? {} : { signal }) },
    });
    const interrupted = async (
      deployment: Deployment,
      clients: readonly ClientSummary[],
      destruction?: Destruction,
    ): Promise<Rehearsal> => {
      stop();
      return {
        emulator,
        stack,
        config: shown,
        deployment,
        clients,
        ...(destruction === undefined ? {} : { destruction }),
        leftover: await stoppedState,
        interrupted: String(signal?.reason),
        provider,
        key,
        close,
      };
    };
    const deployment = await deploy(
      {
        programPath: join(options.projectRoot, "index.ts"),
        project: PROJECT,
        stack,
        config,
        secretKeys: [...SECRET_KEYS, ...file.secretKeys],
        ...(options.load === undefined ? {} : { load: options.load }),
      },
      emulatorMocks(provider, { project: PROJECT, values: config }),
      options.deployEvents,
      signal,
    );
    if (isInterrupted()) return await interrupted(deployment, []);
    let clients: ClientSummary[] = [];
    try {
      if (deployment.ok) clients = await summarise(deployment, emulator, provider);
    } catch (error) {
      if (isInterrupted()) return await interrupted(deployment, []);
      throw error;
    }
    options.onDeployed?.(clients);
    if (options.keep === true && deployment.ok) {
      keepRunning = true;
      return { emulator, stack, config: shown, deployment, clients, provider, key, close };
    }
    const destruction = await destroy(
      deployment.resources,
      provider,
      { project: PROJECT, values: config },
      options.destroyEvents,
      signal,
    );
    if (isInterrupted()) return await interrupted(deployment, clients, destruction);
    const leftover = emulator.control.state();
    return {
      emulator,
      stack,
      config: shown,
      deployment,
      clients,
      destruction,
      leftover,
      provider,
      key,
      close,
    };
  } finally {
    signal?.removeEventListener("abort", stop);
    if (!keepRunning) await close();
  }
}
