import { createHash, generateKeyPairSync } from "node:crypto";

import type { AuthenticationDetailsProvider } from "oci-common";

import { signingProviderFor, type OciProviderSettings } from "../../components/signing";

/** A throwaway OCI API key for a rehearsal: the emulator is told its public half and trusts only it. */
export interface DeployerKey {
  /** The provider settings that name it, the private key inline. */
  readonly credentials: Required<
    Pick<OciProviderSettings, "tenancyOcid" | "userOcid" | "fingerprint" | "privateKey">
  >;
  readonly publicKeyPem: string;
}

/**
 * oci-common's provider for the key, resolved as the deactivation step resolves credentials, from these settings
 * alone: no `TF_VAR_*` or `OCI_*` of the environment can stand in for a part of it.
 */
export async function deployerAuthentication(key: DeployerKey): Promise<AuthenticationDetailsProvider> {
  return (await signingProviderFor({ settings: key.credentials, env: {} })).provider;
}

/** OCI's key fingerprint: the MD5 of the DER public key, as colon-separated hex pairs. */
function fingerprintOf(publicKeyDer: Buffer): string {
  return createHash("md5").update(publicKeyDer).digest("hex").match(/../g)?.join(":") ?? "";
}

/** A new key pair, of the rehearsal's deployer or of another identity (another tenancy's deployer). */
export function newDeployerKey(
  identity: { readonly tenancyOcid: string; readonly userOcid: string } = {
    tenancyOcid: "ocid1.tenancy.oc1..aaaaaaaarehearsaltenancy",
    userOcid: "ocid1.user.oc1..aaaaaaaarehearsaldeployer",
  },
): DeployerKey {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return {
    credentials: {
      tenancyOcid: identity.tenancyOcid,
      userOcid: identity.userOcid,
      fingerprint: fingerprintOf(publicKey.export({ type: "spki", format: "der" })),
      privateKey: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    },
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
  };
}
