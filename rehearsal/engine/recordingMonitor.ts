/**
 * Pulumi's mock monitor, plus what the engine itself would know and the mocks are not told: each resource's
 * parent and dependencies (explicit and through its inputs), and when its registration starts and ends.
 */
import type * as settingsModule from "@pulumi/pulumi/runtime/settings";
import type { Mocks } from "@pulumi/pulumi/runtime/mocks";

import type { DeployedResource } from "./resourceGraph";
import { unwrapSecrets } from "./secrets";

export interface RegistrationEvents {
  onStart?(type: string, name: string): void;
  onDone?(resource: DeployedResource, elapsedMs: number): void;
  onFail?(type: string, name: string, error: unknown, elapsedMs: number): void;
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

interface MonitorBase {
  registerResource(request: RegisterRequest, callback: Callback): Promise<void>;
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

export class RecordingMonitor extends MockMonitor {
  readonly deployed: DeployedResource[] = [];

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

  override async registerResource(request: RegisterRequest, callback: Callback): Promise<void> {
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
