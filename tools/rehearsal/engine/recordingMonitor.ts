/**
 * Pulumi's mock monitor, plus what the engine itself would know and the mocks are not told: each resource's
 * parent and dependencies (explicit and through its inputs), when its registration starts and ends, which data
 * source calls failed, and whether any provider call is still in flight.
 */
import type * as settingsModule from "@pulumi/pulumi/runtime/settings";
import type { Mocks } from "@pulumi/pulumi/runtime/mocks";

import type { DeployedResource } from "./resourceGraph";
import { unwrapSecrets } from "./secrets";

export interface RegistrationEvents {
  onStart?(type: string, name: string): void;
  onDone?(resource: DeployedResource, elapsedMs: number): void;
  onFail?(type: string, name: string, error: unknown, elapsedMs: number): void;
  /** A data source call (an invoke) failed; `error` names the call, as the engine's message does. */
  onInvokeFail?(token: string, error: InvocationError, elapsedMs: number): void;
}

/**
 * A failed invoke as the engine reports it to the program: "invocation of <token> returned an error: <cause>"
 * (pulumi/pulumi `pkg/resource/deploy/source_eval.go`, `Invoke`). The SDK rejects the program's call with
 * `new Error(err.details)` (`@pulumi/pulumi` `runtime/invoke.ts`), so the text is carried in `details` too;
 * without it the program would see the message "undefined".
 */
export class InvocationError extends Error {
  override readonly name = "InvocationError";
  readonly details: string;

  constructor(
    readonly token: string,
    cause: unknown,
  ) {
    super(
      `invocation of ${token} returned an error: ${cause instanceof Error ? cause.message : String(cause)}`,
    );
    this.details = this.message;
  }
}

/** The part of the generated gRPC request the monitor reads. */
interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getDependenciesList(): string[];
  getPropertydependenciesMap(): { forEach(callback: (value: { getUrnsList(): string[] }) => void): void };
}

interface RegisterResponse {
  getUrn(): string;
  getId(): string;
}

type Callback = (error: unknown, response?: RegisterResponse) => void;

/** The part of the generated gRPC invoke request the monitor reads. */
interface InvokeRequest {
  getTok(): string;
}

type InvokeCallback = (error: unknown, response?: unknown) => void;

interface MonitorBase {
  registerResource(request: RegisterRequest, callback: Callback): Promise<void>;
  invoke(request: InvokeRequest, callback: InvokeCallback): Promise<void>;
  getRegisteredResources(): Map<string, { urn: string; id: string | null; state: Record<string, unknown> }>;
}

// The SDK keeps MockMonitor internal to its runtime; it is the monitor `setMocks` installs.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { MockMonitor } = require("@pulumi/pulumi/runtime/mocks") as {
  MockMonitor: new (mocks: Mocks) => MonitorBase;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const settings = require("@pulumi/pulumi/runtime/settings") as typeof settingsModule;
// `getStore` is internal to the SDK (not in its typings): the runtime's global state, feature flags included.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const state = require("@pulumi/pulumi/runtime/state") as { getStore(): object };

/** Event-loop turns without any new provider call after which the program is taken to have nothing left to do. */
const QUIET_TURNS = 10;

export class RecordingMonitor extends MockMonitor {
  readonly deployed: DeployedResource[] = [];
  /** Provider calls (registrations and invokes) started and not yet answered. */
  private inFlight = 0;
  /** Counts every start and end of a provider call, so that `settled` can tell whether anything happened. */
  private activity = 0;
  private waitingForEnd: Array<() => void> = [];

  constructor(
    mocks: Mocks,
    private readonly events: RegistrationEvents = {},
  ) {
    super(mocks);
  }

  /** The state the monitor stored for the resource, secrets unwrapped (the engine keeps them encrypted). */
  private stateOf(urn: string): Record<string, unknown> {
    const stored = this.getRegisteredResources().get(urn)?.state ?? {};
    return unwrapSecrets(stored) as Record<string, unknown>;
  }

  private begin(): void {
    this.inFlight += 1;
    this.activity += 1;
  }

  private end(): void {
    this.inFlight -= 1;
    this.activity += 1;
    const waiting = this.waitingForEnd;
    this.waitingForEnd = [];
    for (const resolve of waiting) resolve();
  }

  /**
   * Resolves once no provider call is in flight and none has started for a few event-loop turns. After a
   * failure, the resources that depended on the failed one wait for outputs that will never come (the SDK
   * neither resolves nor rejects them), so the runtime's own `waitForRPCs` would never return; a real language
   * host ends when its event loop empties, which is what this detects. Every call in flight is bounded (the
   * provider's retry budget, the access check's), so this returns within those budgets.
   */
  async settled(): Promise<void> {
    for (;;) {
      while (this.inFlight > 0) await new Promise<void>((resolve) => this.waitingForEnd.push(resolve));
      const seen = this.activity;
      for (let turn = 0; turn < QUIET_TURNS; turn++) await new Promise((resolve) => setImmediate(resolve));
      if (this.inFlight === 0 && this.activity === seen) return;
    }
  }

  override async invoke(request: InvokeRequest, callback: InvokeCallback): Promise<void> {
    const started = Date.now();
    const token = request.getTok();
    this.begin();
    try {
      await super.invoke(request, (error, response) => {
        if (error === null || error === undefined) {
          callback(error, response);
          return;
        }
        const failure = new InvocationError(token, error);
        this.events.onInvokeFail?.(token, failure, Date.now() - started);
        callback(failure);
      });
    } finally {
      this.end();
    }
  }

  override async registerResource(request: RegisterRequest, callback: Callback): Promise<void> {
    this.begin();
    try {
      await this.register(request, callback);
    } finally {
      this.end();
    }
  }

  private async register(request: RegisterRequest, callback: Callback): Promise<void> {
    const started = Date.now();
    const type = request.getType();
    const name = request.getName();
    const dependencies = new Set(request.getDependenciesList());
    request.getPropertydependenciesMap().forEach((value) => {
      for (const urn of value.getUrnsList()) dependencies.add(urn);
    });
    this.events.onStart?.(type, name);
    await super.registerResource(request, (error, response) => {
      if (error || response === undefined) {
        this.events.onFail?.(type, name, error, Date.now() - started);
      } else {
        const urn = response.getUrn();
        const resource: DeployedResource = {
          urn,
          type,
          name,
          custom: request.getCustom(),
          id: response.getId(),
          ...(request.getParent() ? { parent: request.getParent() } : {}),
          dependencies: [...dependencies],
          state: this.stateOf(urn),
          startedAt: started,
          finishedAt: Date.now(),
        };
        this.deployed.push(resource);
        this.events.onDone?.(resource, Date.now() - started);
      }
      callback(error, response);
    });
  }
}

/**
 * Installs the monitor with the feature flags `setMocks` sets (secrets, resource references, …): `setMocks`
 * builds its own monitor, and swapping the monitor resets those flags, so they are carried over.
 */
export async function installRecordingMonitor(
  monitor: RecordingMonitor,
  project: string,
  stack: string,
): Promise<void> {
  const pulumi = await import("@pulumi/pulumi");
  await pulumi.runtime.setMocks(
    { newResource: () => ({ id: "", state: {} }), call: () => ({}) },
    project,
    stack,
    false,
  );
  const store = state.getStore() as unknown as Record<string, unknown>;
  const flags = Object.fromEntries(Object.entries(store).filter(([key]) => key.startsWith("supports")));
  settings.setMockOptions(monitor, project, stack, false);
  Object.assign(store, flags);
}
