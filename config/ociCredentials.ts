import type { OciApiKeyCredentials } from "../signing";
import type { ConfigProblem } from "./issues";
import { configKey } from "./keys";

/** The OCI provider's own config keys that name an API key (pulumi-oci provider configuration). */
const OCI_KEYS = {
  auth: "oci:auth",
  tenancyOcid: "oci:tenancyOcid",
  userOcid: "oci:userOcid",
  fingerprint: "oci:fingerprint",
  privateKey: "oci:privateKey",
  privateKeyPath: "oci:privateKeyPath",
  privateKeyPassword: "oci:privateKeyPassword",
  configFileProfile: "oci:configFileProfile",
} as const;

const OPT_OUT = `or set ${configKey(["destroy", "deactivateBeforeDelete"])} to false and deactivate each app before \`pulumi destroy\``;

export interface OciCredentialsContext {
  readonly deactivateBeforeDelete: boolean;
  /** `destroy.ociConfigFile`, already checked and made absolute. */
  readonly ociConfigFile?: string;
  readonly resolvePath: (raw: string) => string;
  readonly fileExists: (absolutePath: string) => boolean;
}

/**
 * The API key the deactivate-before-delete step signs with, read from the same `oci:` keys the OCI provider
 * reads: the explicit key when any of its parts is set, else a profile of the OCI CLI config file. Secret values
 * are never shown in a problem.
 */
export function readOciCredentials(
  values: Readonly<Record<string, string>>,
  context: OciCredentialsContext,
): { credentials?: OciApiKeyCredentials; problems: ConfigProblem[] } {
  if (!context.deactivateBeforeDelete) return { problems: [] };
  const value = (key: keyof typeof OCI_KEYS): string | undefined => {
    const name = OCI_KEYS[key];
    const text = Object.hasOwn(values, name) ? values[name] : undefined;
    return text === undefined || text.trim() === "" ? undefined : text;
  };
  const auth = value("auth");
  if (auth !== undefined && auth.toLowerCase() !== "apikey") {
    return {
      problems: [
        {
          key: configKey(["destroy", "deactivateBeforeDelete"]),
          text:
            `cannot work with ${OCI_KEYS.auth} ${JSON.stringify(auth)}: the step that deactivates each app before its ` +
            `delete signs with an API key. Use an API key (${OCI_KEYS.auth} ApiKey), ${OPT_OUT}.`,
        },
      ],
    };
  }
  const explicit = (["tenancyOcid", "userOcid", "fingerprint", "privateKey", "privateKeyPath"] as const).some(
    (key) => value(key) !== undefined,
  );
  if (!explicit) {
    return {
      credentials: {
        ...(context.ociConfigFile === undefined ? {} : { configFile: context.ociConfigFile }),
        ...(value("configFileProfile") === undefined ? {} : { profile: value("configFileProfile") }),
      },
      problems: [],
    };
  }
  const problems: ConfigProblem[] = [];
  for (const key of ["tenancyOcid", "userOcid", "fingerprint"] as const) {
    if (value(key) === undefined) {
      problems.push({
        key: OCI_KEYS[key],
        text: `is missing, while other parts of the OCI API key are set. Set it, or remove the explicit key to use the OCI config file, ${OPT_OUT}.`,
      });
    }
  }
  const keyPath = value("privateKeyPath");
  const privateKeyPath = keyPath === undefined ? undefined : context.resolvePath(keyPath);
  if (value("privateKey") === undefined && privateKeyPath === undefined) {
    problems.push({
      key: OCI_KEYS.privateKey,
      text: `is missing, and so is ${OCI_KEYS.privateKeyPath}. Set the PEM key as a secret (pulumi config set --secret ${OCI_KEYS.privateKey} < key.pem) or the path of the key file.`,
    });
  } else if (
    privateKeyPath !== undefined &&
    value("privateKey") === undefined &&
    !context.fileExists(privateKeyPath)
  ) {
    problems.push({
      key: OCI_KEYS.privateKeyPath,
      text: `${JSON.stringify(keyPath)} does not exist (looked for ${privateKeyPath}). Give the path of the API signing key's PEM file.`,
    });
  }
  if (problems.length > 0) return { problems };
  return {
    credentials: {
      tenancyOcid: value("tenancyOcid"),
      userOcid: value("userOcid"),
      fingerprint: value("fingerprint"),
      ...(value("privateKey") === undefined ? { privateKeyPath } : { privateKey: value("privateKey") }),
      ...(value("privateKeyPassword") === undefined
        ? {}
        : { privateKeyPassword: value("privateKeyPassword") }),
    },
    problems: [],
  };
}
