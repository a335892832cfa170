import type { OciAuthMode } from "./authModes";
import type { Secret } from "./secret";

/** What signs the requests, and where each part of it was found. Secrets are `Secret`s: they never print. */
export type OciSigner =
  | {
      /** `keyId = <tenancy>/<user>/<fingerprint>`, signed with the API key. */
      readonly kind: "apiKey";
      readonly tenancyOcid: string;
      readonly userOcid: string;
      readonly fingerprint: string;
      readonly keyIdFrom: string;
      /** Unencrypted PKCS#8 PEM, in memory only. */
      readonly privateKey: Secret;
      readonly keyFrom: string;
    }
  | {
      /** `keyId = ST$<token>` of a profile `oci session authenticate` wrote, signed with its session key. */
      readonly kind: "securityToken";
      readonly configFile: string;
      readonly profile: string;
      readonly tokenFile: string;
      readonly keyFile: string;
      /** The passphrase of the session key, when it needs one. */
      readonly passphrase?: Secret;
      /** Epoch milliseconds of the token's `exp`, when it has one. */
      readonly expiresAt?: number;
    }
  | {
      /** The compute instance's certificate, from the instance metadata service when the request is signed. */
      readonly kind: "instancePrincipal";
      readonly region: string;
    }
  | {
      /** The resource principal token and key of `OCI_RESOURCE_PRINCIPAL_*` (version 2.2). */
      readonly kind: "resourcePrincipal";
      readonly region: string;
    }
  | {
      /** The pod's service-account token, exchanged through the OKE proxymux when the request is signed. */
      readonly kind: "okeWorkloadIdentity";
    };

export interface ResolvedOciCredentials {
  readonly auth: OciAuthMode;
  /** `oci:auth (stack config)`, `TF_VAR_auth`, `OCI_AUTH` or `the default`. */
  readonly authFrom: string;
  readonly signer: OciSigner;
  /** Every place looked at, in the provider's order. */
  readonly lookedAt: readonly string[];
  /** One line for messages and outputs: what signs and where it came from; never a secret. */
  readonly summary: string;
}

export type CredentialResolution =
  | { readonly ok: true; readonly credentials: ResolvedOciCredentials }
  | {
      readonly ok: false;
      /** The mode, when the `auth` value named one. */
      readonly auth?: OciAuthMode;
      readonly lookedAt: readonly string[];
      /** One message: the mode, what is missing and every place looked at; never a secret. */
      readonly message: string;
    };
