import { homedir } from "node:os";
import { join } from "node:path";

import type { AuthenticationDetailsProvider } from "oci-common";

/**
 * Where an OCI API key comes from: the same sources the OCI provider reads. Either the explicit provider keys
 * (`oci:tenancyOcid`, `oci:userOcid`, `oci:fingerprint`, `oci:privateKey` or `oci:privateKeyPath`,
 * `oci:privateKeyPassword`) or, when those are absent, a profile of the OCI CLI config file
 * (`oci:configFileProfile`, default `DEFAULT`, in `~/.oci/config`).
 * A flat object of optional strings so that it can travel as a dynamic resource's input.
 */
export interface OciApiKeyCredentials {
  readonly tenancyOcid?: string;
  readonly userOcid?: string;
  readonly fingerprint?: string;
  /** PEM text of the API signing key: a secret. */
  readonly privateKey?: string;
  readonly privateKeyPath?: string;
  /** Passphrase of the key: a secret. */
  readonly privateKeyPassword?: string;
  /** OCI CLI config file; default `~/.oci/config`. */
  readonly configFile?: string;
  /** Profile in the config file; default `DEFAULT`. */
  readonly profile?: string;
}

export const DEFAULT_OCI_CONFIG_FILE = join(homedir(), ".oci", "config");
export const DEFAULT_OCI_PROFILE = "DEFAULT";

export class OciCredentialsError extends Error {
  override readonly name = "OciCredentialsError";
}

const EXPLICIT_KEYS = ["tenancyOcid", "userOcid", "fingerprint"] as const;

/** True when the explicit provider keys are in use (any of them set), so the config file is not read. */
export function usesExplicitKey(credentials: OciApiKeyCredentials): boolean {
  return (
    EXPLICIT_KEYS.some((key) => credentials[key] !== undefined && credentials[key] !== "") ||
    Boolean(credentials.privateKey) ||
    Boolean(credentials.privateKeyPath)
  );
}

/** Describes the source without any secret, for messages and outputs. */
export function describeCredentials(credentials: OciApiKeyCredentials): string {
  if (usesExplicitKey(credentials)) {
    const key = credentials.privateKey
      ? "an inline private key"
      : `the key file ${credentials.privateKeyPath}`;
    return `the API key ${credentials.fingerprint ?? "(no fingerprint)"} of user ${credentials.userOcid ?? "(no user)"} with ${key}`;
  }
  return `profile ${credentials.profile ?? DEFAULT_OCI_PROFILE} of ${credentials.configFile ?? DEFAULT_OCI_CONFIG_FILE}`;
}

function missingExplicitKeys(credentials: OciApiKeyCredentials): string[] {
  const missing: string[] = EXPLICIT_KEYS.filter((key) => !credentials[key]).map((key) => `oci:${key}`);
  if (!credentials.privateKey && !credentials.privateKeyPath)
    missing.push("oci:privateKey or oci:privateKeyPath");
  return missing;
}

/**
 * Builds oci-common's provider for the credentials. oci-common is loaded here, not at module load, so that
 * dynamic providers which call this from their methods capture nothing but plain data.
 * Throws an OciCredentialsError that names what is missing or unreadable, never a key or passphrase.
 */
export async function authenticationProvider(
  credentials: OciApiKeyCredentials,
): Promise<AuthenticationDetailsProvider> {
  const common = await import("oci-common");
  const { readFile } = await import("node:fs/promises");
  if (usesExplicitKey(credentials)) {
    const missing = missingExplicitKeys(credentials);
    if (missing.length > 0) {
      throw new OciCredentialsError(
        `the explicit OCI API key is incomplete: set ${missing.join(", ")} (or remove the explicit keys to use ~/.oci/config)`,
      );
    }
    let privateKey = credentials.privateKey;
    if (!privateKey) {
      try {
        privateKey = await readFile(credentials.privateKeyPath as string, "utf8");
      } catch {
        throw new OciCredentialsError(`cannot read the OCI private key file ${credentials.privateKeyPath}`);
      }
    }
    return new common.SimpleAuthenticationDetailsProvider(
      credentials.tenancyOcid as string,
      credentials.userOcid as string,
      credentials.fingerprint as string,
      privateKey,
      credentials.privateKeyPassword ?? null,
    );
  }
  const file = credentials.configFile ?? DEFAULT_OCI_CONFIG_FILE;
  const profile = credentials.profile ?? DEFAULT_OCI_PROFILE;
  try {
    return new common.ConfigFileAuthenticationDetailsProvider(file, profile);
  } catch (error) {
    // oci-common's messages name the file, the profile or the missing entry; they never hold key material.
    const reason = error instanceof Error ? error.message.split("\n")[0] : "unreadable";
    throw new OciCredentialsError(`cannot use profile ${profile} of the OCI config file ${file}: ${reason}`);
  }
}

/**
 * Loads the key and parses it as the signer will (passphrase included), without sending anything: a key that
 * cannot sign is reported when it is configured, not when a destroy needs it.
 */
export async function checkSigningKey(credentials: OciApiKeyCredentials): Promise<void> {
  const provider = await authenticationProvider(credentials);
  const common = await import("oci-common");
  try {
    new common.DefaultRequestSigner(provider);
  } catch {
    throw new OciCredentialsError(
      `cannot use ${describeCredentials(credentials)}: the private key is not a PEM key that this passphrase opens`,
    );
  }
}
