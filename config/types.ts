import type { OicRole, OicScopeKind, Probe } from "../components/oic";
import type { OciApiKeyCredentials } from "../components/signing";

/** `oic-client-provisioner:identityDomain` */
export interface IdentityDomainConfig {
  /** Normal form of the domain URL: `https://idcs-<32 hex>.identity.oraclecloud.com` (no `:443`, no slash). */
  readonly endpoint: string;
  /** Plain `http://` accepted for a loopback endpoint (the local emulator) and loopback OIC URLs. */
  readonly allowPlainHttpOnLoopback: boolean;
}

/**
 * `oic-client-provisioner:integrationInstance`: by OCID (the facts are derived), or explicit facts, or an OCID
 * plus individual overrides. When `id` is absent, `idcsAppId`, `designTimeUrl` and a service-instance name
 * (`name`, or an Oracle-shaped `runtimeUrl`) are present.
 */
export interface IntegrationInstanceConfig {
  /** `ocid1.integrationinstance.<realm>.<region>.<unique id>` */
  readonly id?: string;
  /** Origin of the design-time host. */
  readonly designTimeUrl?: string;
  /** Service-instance name (DNS label). */
  readonly name?: string;
  /** The instance's identity-domain app id (32 hex). */
  readonly idcsAppId?: string;
  /** Primary audience, kept exactly as written (the fqs is audience + value). */
  readonly audience?: string;
  /** Origin of the runtime host. */
  readonly runtimeUrl?: string;
}

/** One entry of `oic-client-provisioner:clients`, with defaults applied. */
export interface ClientConfig {
  /** Unique in the stack; names the Pulumi component and its children. */
  readonly name: string;
  /** The app's display name in the identity domain: `displayName`, or `displayNamePrefix` + `name`. */
  readonly displayName: string;
  readonly description: string;
  /** At least one; no duplicates. */
  readonly roles: readonly OicRole[];
  /** Default `["consumerAll", "icApi"]`, as Oracle's recipe adds both. */
  readonly scopes: readonly OicScopeKind[];
  /** Default `connections`. */
  readonly probe: Probe;
}

/** `oic-client-provisioner:verification`, read by the post-deploy access check. */
export interface VerificationConfig {
  /** How long the access check may retry failures that can heal (propagation, 429, 5xx). Default 120. */
  readonly retryBudgetSeconds: number;
  /** Re-run the access check on every `pulumi up`, not only when the client changes. Default false. */
  readonly verifyOnEveryUp: boolean;
  /** Absolute path of a PEM file of extra CAs to trust (e.g. the emulator's). */
  readonly caFile?: string;
  /** How many clients are checked at the same time. Default 4. */
  readonly concurrency: number;
}

/**
 * `oic-client-provisioner:destroy`, plus the OCI provider's own `oci:` keys it reads for the API key. The
 * provider deletes an active app without deactivating it and the identity domain refuses
 * (https://github.com/oracle/terraform-provider-oci/issues/2507), so a small step deactivates each app just
 * before its delete, signed with the same API key the provider uses.
 */
export interface DestroyConfig {
  /** Deactivate each app through `AppStatusChanger` before the provider deletes it. Default true. */
  readonly deactivateBeforeDelete: boolean;
  /**
   * Where the step's API key comes from: the explicit `oci:tenancyOcid`, `oci:userOcid`, `oci:fingerprint`,
   * `oci:privateKey` (secret) or `oci:privateKeyPath`, `oci:privateKeyPassword` (secret) when they are set, else
   * profile `oci:configFileProfile` (default DEFAULT) of `destroy.ociConfigFile` (default ~/.oci/config).
   * Absent when `deactivateBeforeDelete` is false.
   */
  readonly credentials?: OciApiKeyCredentials;
}

/** Everything a stack sets, validated, normalised and with defaults applied. */
export interface StackConfig {
  readonly stack: string;
  readonly identityDomain: IdentityDomainConfig;
  readonly integrationInstance: IntegrationInstanceConfig;
  /** Default `<stack>-`; may be empty. */
  readonly displayNamePrefix: string;
  readonly clients: readonly ClientConfig[];
  readonly verification: VerificationConfig;
  readonly destroy: DestroyConfig;
}
