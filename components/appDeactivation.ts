import * as pulumi from "@pulumi/pulumi";

import type { OciProviderReference } from "./signing";
import { appDeactivationProvider } from "./appDeactivationProvider";

export const APP_DEACTIVATION_MODULE = "oic-client-provisioner";
export const APP_DEACTIVATION_TYPE = "AppDeactivation";

export interface AppDeactivationArgs {
  /** Identity domain base URL, no path; the app's domain. */
  readonly idcsEndpoint: pulumi.Input<string>;
  /** The app's SCIM `id` (`DomainsApp.id`). */
  readonly appId: pulumi.Input<string>;
  /** The explicit OCI provider the app is managed with, by reference (nothing secret). Default: the stack's default provider. */
  readonly ociProvider?: pulumi.Input<OciProviderReference>;
  /** An OCI config file read instead of `~/.oci/config`, as written (`~/`, or relative to the program's directory). Default: the provider's. */
  readonly ociConfigFile?: pulumi.Input<string>;
  /** PEM file of the CAs to trust instead of the system roots (the emulator's), as written. Default: system roots. */
  readonly caFile?: pulumi.Input<string>;
  /** Allow plain `http://` to a loopback domain (the emulator with `--http`). Default false. */
  readonly allowPlainHttpOnLoopback?: pulumi.Input<boolean>;
  /** Seconds during which the deactivation retries 429, 5xx and timeouts. Default 60. */
  readonly retryBudgetSeconds?: pulumi.Input<number>;
}

/**
 * Deactivates an identity-domain app just before the OCI provider deletes it. Give it `dependsOn`-free inputs
 * from the app (its id), so that it is created after the app and, in reverse order, deleted before it. It keeps
 * no credentials: its delete resolves them when it runs, as the OCI provider does (appDeactivationProvider.ts).
 */
export class AppDeactivation extends pulumi.dynamic.Resource {
  constructor(name: string, args: AppDeactivationArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      appDeactivationProvider,
      name,
      {
        idcsEndpoint: args.idcsEndpoint,
        appId: args.appId,
        ociProvider: args.ociProvider,
        ociConfigFile: args.ociConfigFile,
        caFile: args.caFile,
        allowPlainHttpOnLoopback: args.allowPlainHttpOnLoopback ?? false,
        retryBudgetSeconds: args.retryBudgetSeconds ?? 60,
      },
      opts,
      APP_DEACTIVATION_MODULE,
      APP_DEACTIVATION_TYPE,
    );
  }
}
