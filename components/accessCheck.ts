import { createHash, randomUUID } from "node:crypto";

import * as pulumi from "@pulumi/pulumi";

import { Probe } from "./oic";
import type { Diagnosis } from "./verifier";
import { accessCheckProvider } from "./accessCheckProvider";

/** Dynamic resources get the type `pulumi-nodejs:dynamic/<module>:<type>`; this one is `…/oic-client-provisioner:OicAccessCheck`. */
export const ACCESS_CHECK_MODULE = "oic-client-provisioner";
export const ACCESS_CHECK_TYPE = "OicAccessCheck";

export interface OicAccessCheckArgs {
  /** The identity domain's token endpoint, `https://<domain>/oauth2/v1/token` (the domain URL alone also works). */
  readonly tokenUrl: pulumi.Input<string>;
  /** The client ID: the app's `name`. */
  readonly clientId: pulumi.Input<string>;
  /** The client secret; always stored as a secret input, never captured by the provider code. */
  readonly clientSecret: pulumi.Input<string>;
  /** The fully qualified scope the probe asks a token for (the OIC app's audience + `/ic/api/` or `urn:opc:resource:consumer::all`). */
  readonly scope: pulumi.Input<string>;
  /** OIC design-time URL; required by the `connections` probe. */
  readonly designTimeUrl?: pulumi.Input<string>;
  /** Service-instance name, the `integrationInstance` query value; required by the `connections` probe. */
  readonly integrationInstance?: pulumi.Input<string>;
  /** `connections` (default) or `token`. (`none` means: do not create the check at all.) */
  readonly probe?: pulumi.Input<Probe>;
  /** The OIC roles the app is granted; they make a `role_missing` message name what is missing. Default []. */
  readonly roles?: pulumi.Input<readonly string[]>;
  /** Seconds the check may keep retrying failures that heal (propagation, 429, 5xx, timeouts). Default 120; 0 = no retries. */
  readonly retryBudgetSeconds?: pulumi.Input<number>;
  /** Per-request timeout in seconds. Default 10. */
  readonly timeoutSeconds?: pulumi.Input<number>;
  /** PEM file of extra CAs to trust, e.g. the emulator's. Default: system roots only. */
  readonly caFile?: pulumi.Input<string>;
  /** Allow plain `http://` to a loopback host (the emulator with `--http`). Default false. */
  readonly allowPlainHttpOnLoopback?: pulumi.Input<boolean>;
  /** Any value that changes when the app, its grants or its scopes change (see `accessCheckTrigger`); a change re-runs the check. */
  readonly trigger: pulumi.Input<string>;
  /** Re-run the check on every `pulumi up` (a fresh nonce each run, so every preview shows an update). Default false. */
  readonly verifyOnEveryUp?: boolean;
}

/**
 * Post-deploy proof that a confidential client works: a token for its scope and, for the `connections`
 * probe, `GET /ic/api/integration/v1/connections`. Creating or updating it fails the deployment with the
 * diagnosis, its message and the fix. Its outputs are facts only; the secret and the token never are.
 */
export class OicAccessCheck extends pulumi.dynamic.Resource {
  declare public readonly diagnosis: pulumi.Output<Diagnosis>;
  declare public readonly httpStatus: pulumi.Output<number | null>;
  declare public readonly connections: pulumi.Output<number | null>;
  declare public readonly tokenExpiresAt: pulumi.Output<string | null>;
  declare public readonly checkedAt: pulumi.Output<string>;
  declare public readonly attempts: pulumi.Output<number>;
  declare public readonly elapsedMs: pulumi.Output<number>;

  constructor(name: string, args: OicAccessCheckArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      accessCheckProvider,
      name,
      {
        tokenUrl: args.tokenUrl,
        clientId: args.clientId,
        clientSecret: pulumi.secret(args.clientSecret),
        scope: args.scope,
        designTimeUrl: args.designTimeUrl,
        integrationInstance: args.integrationInstance,
        probe: args.probe ?? Probe.connections,
        roles: args.roles ?? [],
        retryBudgetSeconds: args.retryBudgetSeconds ?? 120,
        timeoutSeconds: args.timeoutSeconds ?? 10,
        caFile: args.caFile,
        allowPlainHttpOnLoopback: args.allowPlainHttpOnLoopback ?? false,
        trigger: args.trigger,
        verifyNonce: args.verifyOnEveryUp === true ? randomUUID() : undefined,
        clientSecretFingerprint: undefined,
        diagnosis: undefined,
        httpStatus: undefined,
        connections: undefined,
        tokenExpiresAt: undefined,
        checkedAt: undefined,
        attempts: undefined,
        elapsedMs: undefined,
      },
      {
        ...opts,
        additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), "clientSecretFingerprint"],
      },
      ACCESS_CHECK_MODULE,
      ACCESS_CHECK_TYPE,
    );
  }
}

/** A stable digest of the values whose change should re-run the check (app id, grant ids, scopes…). */
export function accessCheckTrigger(parts: readonly pulumi.Input<string>[]): pulumi.Output<string> {
  return pulumi
    .all([...parts])
    .apply((values) => createHash("sha256").update(JSON.stringify(values)).digest("hex"));
}

/** Per client: what the component knows. */
export interface AccessCheckClient {
  /** The app's `name`. */
  readonly clientId: pulumi.Input<string>;
  readonly clientSecret: pulumi.Input<string>;
  /** The fqs the probe asks for (see `probeScopeKind`). */
  readonly scope: pulumi.Input<string>;
  readonly roles: readonly string[];
  readonly probe: Probe;
  /** Changes when the app, its grants or scopes change, e.g. `accessCheckTrigger([app.id, ...grantIds, ...scopes])`. */
  readonly trigger: pulumi.Input<string>;
}

/** Per stack: where to check and how patiently (from `VerificationConfig` and the instance facts). */
export interface AccessCheckSettings {
  readonly tokenUrl: pulumi.Input<string>;
  readonly designTimeUrl: pulumi.Input<string>;
  readonly integrationInstance: pulumi.Input<string>;
  readonly retryBudgetSeconds?: number;
  readonly verifyOnEveryUp?: boolean;
  readonly caFile?: string;
  readonly allowPlainHttpOnLoopback?: boolean;
  readonly timeoutSeconds?: number;
}

/**
 * One access check per client; none for probe `none`. Pass `dependsOn` the client's grants and activation
 * in `opts` so the check runs after them.
 */
export function createAccessCheck(
  name: string,
  client: AccessCheckClient,
  settings: AccessCheckSettings,
  opts?: pulumi.CustomResourceOptions,
): OicAccessCheck | undefined {
  if (client.probe === Probe.none) return undefined;
  return new OicAccessCheck(
    name,
    {
      tokenUrl: settings.tokenUrl,
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      scope: client.scope,
      designTimeUrl: settings.designTimeUrl,
      integrationInstance: settings.integrationInstance,
      probe: client.probe,
      roles: client.roles,
      retryBudgetSeconds: settings.retryBudgetSeconds,
      timeoutSeconds: settings.timeoutSeconds,
      caFile: settings.caFile,
      allowPlainHttpOnLoopback: settings.allowPlainHttpOnLoopback,
      trigger: client.trigger,
      verifyOnEveryUp: settings.verifyOnEveryUp,
    },
    opts,
  );
}
