/**
 * oci-common's own authentication provider for resolved credentials, for `createSignedClient`:
 * - API key: `SimpleAuthenticationDetailsProvider` with the key id and the key the resolution found. Not
 *   `ConfigFileAuthenticationDetailsProvider`: the provider's chain takes the key id and the key from different
 *   places when it must (an explicit user with `~/.oci/config`'s key…), which that class cannot express, and it
 *   refuses a profile without a region, which the provider does not need to sign.
 * - security token: `SessionAuthDetailProvider` on the profile (keyId `ST$<token>`, the profile's session key),
 *   with the provider's `private_key_password` as the key's passphrase when it is set (provider.go L508-515).
 * - instance principal: `InstancePrincipalsAuthenticationDetailsProviderBuilder` (the instance metadata service).
 * - resource principal: `ResourcePrincipalAuthenticationDetailsProvider.builder()` (`OCI_RESOURCE_PRINCIPAL_*` of
 *   `process.env`, version 2.2).
 * - OKE workload identity: `OkeWorkloadIdentityAuthenticationDetailsProvider`'s builder (the pod's token).
 * oci-common is loaded here, when the provider is made, so that dynamic providers capture nothing but plain data.
 */
import { homedir } from "node:os";

import type { AuthenticationDetailsProvider } from "oci-common";

import { createSecretRedactor, displayPath, safeText } from "../http";
import { OciCredentialsError } from "./errors";
import type { CredentialSources } from "./credentialSources";
import { resolveOciCredentials } from "./resolveCredentials";
import type { ResolvedOciCredentials } from "./resolvedCredentials";

/** The first line of an error oci-common threw (sometimes a bare string), bounded and stripped of `secrets`. */
function reasonOf(error: unknown, secrets: readonly string[]): string {
  const text = error instanceof Error ? error.message : String(error);
  return safeText(createSecretRedactor(secrets).redact(text.split("\n")[0] ?? ""), 300);
}

/** The values of `OCI_RESOURCE_PRINCIPAL_*` that are not paths: the token and the key themselves. */
function inlinePrincipalSecrets(): string[] {
  return [
    "OCI_RESOURCE_PRINCIPAL_RPST",
    "OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM",
    "OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM_PASSPHRASE",
  ]
    .map((name) => process.env[name] ?? "")
    .filter((value) => value !== "" && !value.startsWith("/"));
}

export async function authenticationProviderFor(
  credentials: ResolvedOciCredentials,
): Promise<AuthenticationDetailsProvider> {
  const common = await import("oci-common");
  const { signer } = credentials;
  switch (signer.kind) {
    case "apiKey":
      return new common.SimpleAuthenticationDetailsProvider(
        signer.tenancyOcid,
        signer.userOcid,
        signer.fingerprint,
        signer.privateKey.reveal(),
        null,
      );
    case "securityToken": {
      const passphrase = signer.passphrase?.reveal() ?? null;
      class ProfileSession extends common.SessionAuthDetailProvider {
        override getPassphrase(): string | null {
          return passphrase;
        }
      }
      try {
        return new ProfileSession(signer.configFile, signer.profile);
      } catch (error) {
        throw new OciCredentialsError(
          `oci-common could not load profile [${safeText(signer.profile, 200)}] of ${safeText(displayPath(signer.configFile, homedir()))}: ${reasonOf(error, passphrase ? [passphrase] : [])}`,
        );
      }
    }
    case "instancePrincipal":
      try {
        return await new common.InstancePrincipalsAuthenticationDetailsProviderBuilder().build();
      } catch (error) {
        throw new OciCredentialsError(
          `oci-common could not set up the instance principal: ${reasonOf(error, [])}`,
        );
      }
    case "resourcePrincipal":
      try {
        return common.ResourcePrincipalAuthenticationDetailsProvider.builder();
      } catch (error) {
        throw new OciCredentialsError(
          `oci-common could not set up the resource principal: ${reasonOf(error, inlinePrincipalSecrets())}`,
        );
      }
    case "okeWorkloadIdentity":
      try {
        return new common.OkeWorkloadIdentityAuthenticationDetailsProvider.OkeWorkloadIdentityAuthenticationDetailsProviderBuilder().build();
      } catch (error) {
        throw new OciCredentialsError(
          `oci-common could not set up the OKE workload identity: ${reasonOf(error, [])}`,
        );
      }
  }
}

/**
 * Resolves the credentials and makes oci-common's provider for them: what the step that signs calls when it runs.
 * Throws an OciCredentialsError whose message names every place looked at and what is missing, never a secret.
 */
export async function signingProviderFor(sources: CredentialSources): Promise<{
  readonly provider: AuthenticationDetailsProvider;
  readonly credentials: ResolvedOciCredentials;
}> {
  const resolution = await resolveOciCredentials(sources);
  if (!resolution.ok) throw new OciCredentialsError(resolution.message);
  return {
    provider: await authenticationProviderFor(resolution.credentials),
    credentials: resolution.credentials,
  };
}
