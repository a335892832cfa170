import { createHash, randomUUID } from "node:crypto";

import * as pulumi from "@pulumi/pulumi";

import type { Diagnosis } from "./verifier";
import { ACCESS_CHECK_DEFAULTS, accessCheckProvider, type AccessCheckInputs } from "./accessCheckProvider";

/** Dynamic resources get the type `pulumi-nodejs:dynamic/<module>:<type>`; this one is `…/oic-client-provisioner:OicAccessCheck`. */
export const ACCESS_CHECK_MODULE = "oic-client-provisioner";
export const ACCESS_CHECK_TYPE = "OicAccessCheck";

/** Each field as a Pulumi Input of its type; optional stays optional. */
type Inputs<T> = { readonly [K in keyof T]: pulumi.Input<T[K]> };

/**
 * The check's args: its inputs as Inputs (`AccessCheckInputs`, where each is documented and `ACCESS_CHECK_DEFAULTS`
 * gives the defaults), with `verifyOnEveryUp` in place of the nonce it sets.
 */
export interface OicAccessCheckArgs extends Inputs<Omit<AccessCheckInputs, "verifyNonce">> {
  /** Re-run the check on every `pulumi up` (a fresh nonce each run, so every preview shows an update). Default false. */
  readonly verifyOnEveryUp?: pulumi.Input<boolean>;
}

/** What the resource registers: the defaults, the args given, the secret marked, and a nonce when asked for. */
function registeredInputs(args: OicAccessCheckArgs): Record<string, unknown> {
  const { verifyOnEveryUp, clientSecret, ...given } = args;
  return {
    ...ACCESS_CHECK_DEFAULTS,
    ...Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined)),
    clientSecret: pulumi.secret(clientSecret),
    verifyNonce: pulumi.output(verifyOnEveryUp).apply((every) => (every === true ? randomUUID() : undefined)),
  };
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
        ...registeredInputs(args),
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
