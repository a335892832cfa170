/**
 * `pulumi.runtime.Mocks` whose answers come from a real identity domain API (the emulator): OCI resources and
 * data sources go through the emulated OCI provider, dynamic resources run their serialized provider. Anything
 * else the program registers or invokes is an error, so the rehearsal cannot silently pass over it.
 */
import type { MockCallArgs, MockResourceArgs, Mocks } from "@pulumi/pulumi/runtime/mocks";

import { OCI_TOKENS, type EmulatedOciProvider } from "../ociProvider/emulatedProvider";
import { createDynamic, isDynamicResourceType, type HostConfig } from "./dynamicProviders";
import { unwrapSecrets } from "./secrets";

type Inputs = Record<string, unknown>;

/** `host`: the stack config the dynamic providers are configured with, as the engine's host would be. */
export function emulatorMocks(provider: EmulatedOciProvider, host: HostConfig): Mocks {
  return {
    async newResource(args: MockResourceArgs) {
      const inputs = unwrapSecrets(args.inputs) as Inputs;
      // Components and the stack have no provider: the engine records their outputs as registered.
      if (!args.custom) return { id: undefined, state: inputs };
      switch (args.type) {
        case OCI_TOKENS.app:
          return provider.createApp(inputs);
        case OCI_TOKENS.grant:
          return provider.createGrant(inputs);
        default:
          if (isDynamicResourceType(args.type)) return createDynamic(inputs, host);
          throw new Error(`the rehearsal cannot create a ${args.type} (${args.name})`);
      }
    },
    async call(args: MockCallArgs) {
      const inputs = unwrapSecrets(args.inputs) as Inputs;
      switch (args.token) {
        case OCI_TOKENS.getIntegrationInstance:
          return provider.getIntegrationInstance(inputs);
        case OCI_TOKENS.getApp:
          return provider.getApp(inputs);
        case OCI_TOKENS.getAppRoles:
          return provider.getAppRoles(inputs);
        default:
          throw new Error(`the rehearsal cannot answer the data source ${args.token}`);
      }
    },
  };
}
