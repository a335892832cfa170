import * as pulumi from "@pulumi/pulumi";

import type { OciApiKeyCredentials } from "./signing";
import { appDeactivationProvider } from "./appDeactivationProvider";

export const APP_DEACTIVATION_MODULE = "oic-client-provisioner";
export const APP_DEACTIVATION_TYPE = "AppDeactivation";

export interface AppDeactivationArgs {
  /** Identity domain base URL, no path; the app's domain. */
  readonly idcsEndpoint: pulumi.Input<string>;
  /** The app's SCIM `id` (`DomainsApp.id`). */
  readonly appId: pulumi.Input<string>;
  /** The API key to sign with: the explicit key or a config-file profile (see `OciApiKeyCredentials`). Kept secret. */
  readonly credentials: pulumi.Input<OciApiKeyCredentials>;
  /** PEM file of the CAs to trust instead of the system roots (the emulator's). Default: system roots. */
  readonly caFile?: pulumi.Input<string>;
  /** Allow plain `http://` to a loopback domain (the emulator with `--http`). Default false. */
  readonly allowPlainHttpOnLoopback?: pulumi.Input<boolean>;
  /** Seconds during which the deactivation retries 429, 5xx and timeouts. Default 60. */
  readonly retryBudgetSeconds?: pulumi.Input<number>;
}

/**
 * Deactivates an identity-domain app just before the OCI provider deletes it. Give it `dependsOn`-free inputs
 * from the app (its id), so that it is created after the app and, in reverse order, deleted before it.
 */
export class AppDeactivation extends pulumi.dynamic.Resource {
  /** Where the API key comes from (profile and file, or user and fingerprint); no secret. */
  declare public readonly credentialsSource: pulumi.Output<string>;

  constructor(name: string, args: AppDeactivationArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      appDeactivationProvider,
      name,
      {
        idcsEndpoint: args.idcsEndpoint,
        appId: args.appId,
        credentials: pulumi.secret(args.credentials),
        caFile: args.caFile,
        allowPlainHttpOnLoopback: args.allowPlainHttpOnLoopback ?? false,
        retryBudgetSeconds: args.retryBudgetSeconds ?? 60,
        credentialsSource: undefined,
      },
      { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), "credentials"] },
      APP_DEACTIVATION_MODULE,
      APP_DEACTIVATION_TYPE,
    );
  }
}
