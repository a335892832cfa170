import type { OciApiKeyCredentials } from "../components/signing";
import { echoPath } from "./echo";
import { showValue, type ConfigProblem } from "./issues";
import { configKey } from "./configKey";

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

/**
 * The provider's config keys that hold a secret, each with the command that stores it encrypted. pulumi-oci marks
 * exactly these as secret outputs of its provider resource (`additionalSecretOutputs: ["privateKey",
 * "privateKeyPassword", "tokenExchangeClientSecret"]` in `sdk/nodejs/provider.ts`); in plain text they sit in the
 * stack file for anyone who can read it ("Secrets", https://www.pulumi.com/docs/iac/concepts/secrets/).
 */
const SECRET_OCI_KEYS: ReadonlyArray<readonly [string, string]> = [
  ["oci:privateKey", "pulumi config set --secret oci:privateKey < key.pem"],
  ["oci:privateKeyPassword", "pulumi config set --secret oci:privateKeyPassword"],
  ["oci:tokenExchangeClientSecret", "pulumi config set --secret oci:tokenExchangeClientSecret"],
];

const NOT_SHOWN = "(a secret value, not shown)";

const OPT_OUT = `or set ${configKey(["destroy", "deactivateBeforeDelete"])} to false and deactivate each app before \`pulumi destroy\``;

export interface OciCredentialsContext {
  readonly deactivateBeforeDelete: boolean;
  /** Whether a full config key (`oci:privateKey`) is stored as a secret. */
  readonly isSecret: (fullKey: string) => boolean;
  /** `destroy.ociConfigFile`, already checked and made absolute. */
  readonly ociConfigFile?: string;
  readonly resolvePath: (raw: string) => string;
  readonly fileExists: (absolutePath: string) => boolean;
}

function valueOf(values: Readonly<Record<string, string>>, name: string): string | undefined {
  const text = Object.hasOwn(values, name) ? values[name] : undefined;
  return text === undefined || text.trim() === "" ? undefined : text;
}

/** A secret `oci:` key set in plain text, whatever else is configured: the provider reads it anyway. */
function plainSecrets(
  values: Readonly<Record<string, string>>,
  isSecret: (fullKey: string) => boolean,
): ConfigProblem[] {
  return SECRET_OCI_KEYS.filter(([key]) => valueOf(values, key) !== undefined && !isSecret(key)).map(
    ([key, command]) => ({
      key,
      text:
        "is stored in plain text in the stack file, where anyone who can read the file can read it. Set it as a " +
        `secret: \`${command}\` (Pulumi then keeps it encrypted in place of the plain value), and replace it if the ` +
        "file was shared or committed.",
    }),
  );
}

/**
 * The API key the deactivate-before-delete step signs with, read from the same `oci:` keys the OCI provider
 * reads: the explicit key when any of its parts is set, else a profile of the OCI CLI config file. Secret values
 * are never shown in a problem, and a secret key stored in plain text is one.
 */
export function readOciCredentials(
  values: Readonly<Record<string, string>>,
  context: OciCredentialsContext,
): { credentials?: OciApiKeyCredentials; problems: ConfigProblem[] } {
  const plain = plainSecrets(values, context.isSecret);
  const read = readApiKey(values, context);
  return plain.length === 0 ? read : { problems: [...plain, ...read.problems] };
}

function readApiKey(
  values: Readonly<Record<string, string>>,
  context: OciCredentialsContext,
): { credentials?: OciApiKeyCredentials; problems: ConfigProblem[] } {
  if (!context.deactivateBeforeDelete) return { problems: [] };
  const value = (key: keyof typeof OCI_KEYS): string | undefined => valueOf(values, OCI_KEYS[key]);
  const show = (key: keyof typeof OCI_KEYS, text: string): string =>
    context.isSecret(OCI_KEYS[key]) ? NOT_SHOWN : showValue(text);
  const auth = value("auth");
  if (auth !== undefined && auth.toLowerCase() !== "apikey") {
    return {
      problems: [
        {
          key: configKey(["destroy", "deactivateBeforeDelete"]),
          text:
            `cannot work with ${OCI_KEYS.auth} ${show("auth", auth)}: the step that deactivates each app before its ` +
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
      text: context.isSecret(OCI_KEYS.privateKeyPath)
        ? `${NOT_SHOWN} does not exist. Give the path of the API signing key's PEM file.`
        : `${show("privateKeyPath", keyPath ?? "")} does not exist (looked for ${echoPath(privateKeyPath)}). Give the path of the API signing key's PEM file.`,
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
