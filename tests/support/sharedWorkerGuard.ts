/**
 * Setup file of the test files that share worker processes (vitest.config.mts): a file that starts the Pulumi
 * runtime there would leave its mocks, config and stack to the files run after it in the same process. The SDK
 * keeps that state on the global object (`global.globalStore`, @pulumi/pulumi runtime/state.ts), whichever copy
 * of the SDK set it, so it is read here without loading the SDK; a file that changed it fails with the fix.
 */
import { afterAll, beforeAll } from "vitest";

/** The fields of the SDK's store that setMocks, setAllConfig and a stack set (runtime/state.ts, LocalStore). */
interface PulumiStore {
  readonly settings?: { readonly monitor?: unknown };
  readonly config?: Readonly<Record<string, string>>;
  readonly stackResource?: unknown;
}

function runtimeStarted(): boolean {
  const store = (globalThis as { globalStore?: PulumiStore }).globalStore;
  if (store === undefined) return false;
  const configSet = (store.config?.["PULUMI_CONFIG"] ?? "") !== (process.env["PULUMI_CONFIG"] ?? "");
  return store.settings?.monitor !== undefined || store.stackResource !== undefined || configSet;
}

let startedBefore = false;

beforeAll(() => {
  startedBefore = runtimeStarted();
});

afterAll(() => {
  // Only the file that started it fails: the files after it in the same process found it started.
  if (!startedBefore && runtimeStarted()) {
    throw new Error(
      "this test file starts the Pulumi runtime (setMocks, setAllConfig or a stack), whose state is process-global: add it to PULUMI_RUNTIME in vitest.config.mts so it runs in a process of its own",
    );
  }
});
