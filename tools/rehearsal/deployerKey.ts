import { createHash, generateKeyPairSync } from "node:crypto";

import type { OciApiKeyCredentials } from "../../components/signing";

/** A throwaway OCI API key for a rehearsal: the emulator is told its public half and trusts only it. */
export interface DeployerKey {
  readonly credentials: Required<
    Pick<OciApiKeyCredentials, "tenancyOcid" | "userOcid" | "fingerprint" | "privateKey">
  >;
  readonly publicKeyPem: string;
}

/** OCI's key fingerprint: the MD5 of the DER public key, as colon-separated hex pairs. */
function fingerprintOf(publicKeyDer: Buffer): string {
  return createHash("md5").update(publicKeyDer).digest("hex").match(/../g)?.join(":") ?? "";
}

export function newDeployerKey(): DeployerKey {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return {
    credentials: {
      tenancyOcid: "ocid1.tenancy.oc1..aaaaaaaarehearsaltenancy",
      userOcid: "ocid1.user.oc1..aaaaaaaarehearsaldeployer",
      fingerprint: fingerprintOf(publicKey.export({ type: "spki", format: "der" })),
      privateKey: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    },
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
  };
}
