/**
 * One emulator and one engine stack per test file: the emulator trusts only a throwaway deployer key, whose
 * private half is in a key file that the stack's `oci:privateKeyPath` names (as a user's `~/.oci` key would be).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";

import { startEmulator, type EmulatorHandle, type EmulatorOptions } from "../../tools/emulator";
import { newDeployerKey, type DeployerKey } from "../../tools/rehearsal/deployerKey";
import {
  EngineStack,
  emulatorStackConfig,
  type ClientConfig,
  type EngineProject,
  type StackConfig,
} from "../../tools/engine/engineStack";

export type { ClientConfig };

export interface EngineFixture {
  readonly emu: EmulatorHandle;
  readonly stack: EngineStack;
  readonly key: DeployerKey;
  /** The stack config for these clients against this emulator, TLS with its CA (or plain HTTP when asked). */
  config(clients: readonly ClientConfig[], extra?: Readonly<Record<string, unknown>>): StackConfig;
}

let counter = 0;

export function useEngine(
  options: {
    emulator?: EmulatorOptions;
    stack?: string;
    /** Another project than this checkout's index.ts; its directory must hold a Pulumi.yaml before the tests start. */
    project?: EngineProject;
  } = {},
): EngineFixture {
  let emu: EmulatorHandle | undefined;
  let stack: EngineStack | undefined;
  const key = newDeployerKey();

  beforeAll(async () => {
    emu = await startEmulator({
      ...options.emulator,
      adminPublicKeyPem: key.publicKeyPem,
      // The whole keyId is checked: tenancy, user and fingerprint of this key.
      adminKeyTenancyOcid: key.credentials.tenancyOcid,
      adminKeyUserOcid: key.credentials.userOcid,
    });
    counter += 1;
    stack = await EngineStack.create(
      options.stack ?? `engine-${process.pid}-${counter}`,
      {
        // The provider's TLS trusts the emulator's CA the way Go programs do.
        ...(emu.caFile === null ? {} : { SSL_CERT_FILE: emu.caFile }),
      },
      options.project,
    );
    writeFileSync(join(stack.dir, "deployer-key.pem"), key.credentials.privateKey, { mode: 0o600 });
  }, 60_000);

  afterAll(async () => {
    // Whatever a failed test left in the stack goes with the temporary directory; the emulator stops.
    stack?.remove();
    await emu?.close();
  });

  const running = (): { emu: EmulatorHandle; stack: EngineStack } => {
    if (emu === undefined || stack === undefined) throw new Error("use the engine fixture inside tests");
    return { emu, stack };
  };

  return {
    get emu() {
      return running().emu;
    },
    get stack() {
      return running().stack;
    },
    key,
    config(clients, extra = {}) {
      const { emu: e, stack: s } = running();
      return emulatorStackConfig(e, key, join(s.dir, "deployer-key.pem"), clients, extra);
    },
  };
}
