/**
 * The OCI provider's `auth` values (terraform-provider-oci internal/globalvar/constants.go L8-14, listed in
 * internal/provider/workload_identity_federation.go `supportedAuthSettings` L17-25; matched without regard to
 * case: provider.go L142 `validation.StringInSlice(supportedAuthSettings, true)` and L384 `strings.ToLower`).
 * pulumi-oci runs that provider's code unchanged (its only patch, patches/0001-Re-export-NewProvider-for-linking.patch,
 * adds shim/shim.go), so `oci:auth` takes the same values.
 */
export const OciAuthMode = {
  ApiKey: "ApiKey",
  InstancePrincipal: "InstancePrincipal",
  InstancePrincipalWithCerts: "InstancePrincipalWithCerts",
  SecurityToken: "SecurityToken",
  ResourcePrincipal: "ResourcePrincipal",
  OKEWorkloadIdentity: "OKEWorkloadIdentity",
  WorkloadIdentityFederation: "WorkloadIdentityFederation",
} as const;

export type OciAuthMode = (typeof OciAuthMode)[keyof typeof OciAuthMode];

/** In the provider's order, for messages ("auth must be one of …", provider.go L547). */
export const OCI_AUTH_MODES: readonly OciAuthMode[] = Object.values(OciAuthMode);

/**
 * The modes the deactivation step can sign with, each through oci-common's own provider. The other two have no
 * oci-common counterpart: InstancePrincipalWithCerts reads test certificates from the working directory
 * (provider.go L444-494), WorkloadIdentityFederation exchanges a Kubernetes token through a client of its own
 * (workload_identity_federation.go).
 */
export const SIGNING_AUTH_MODES: readonly OciAuthMode[] = [
  OciAuthMode.ApiKey,
  OciAuthMode.SecurityToken,
  OciAuthMode.InstancePrincipal,
  OciAuthMode.ResourcePrincipal,
  OciAuthMode.OKEWorkloadIdentity,
];

/** The mode a (case-insensitive) `auth` value names, or undefined when it names none. */
export function parseAuthMode(value: string): OciAuthMode | undefined {
  const lower = value.trim().toLowerCase();
  return OCI_AUTH_MODES.find((mode) => mode.toLowerCase() === lower);
}
