import { checkCredentialsResolvable, stackSettings, type CredentialSources } from "../components/signing";
import type { ConfigProblem } from "./issues";
import { configKey } from "./configKey";
import type { DestroyConfig } from "./types";

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

function valueOf(values: Readonly<Record<string, string>>, name: string): string | undefined {
  const text = Object.hasOwn(values, name) ? values[name] : undefined;
  return text === undefined || text.trim() === "" ? undefined : text;
}

/** A secret `oci:` key set in plain text, whatever else is configured: the provider reads it anyway. */
export function plainSecretProblems(
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
 * Whether the step that deactivates each app before its delete can sign, with what is configured now: the stack's
 * `oci:` keys (`values`, the stack config as the program reads it), `TF_VAR_*`/`OCI_*`, the config file and its
 * profile, read as the step will read them when a destroy runs (components/signing). Run before anything is
 * declared, so that `pulumi up` never stops half-way for this; the problem names every place looked at, never a
 * secret. None when the step is off or the credentials resolve.
 */
export async function destroyCredentialsProblem(
  values: Readonly<Record<string, string>>,
  destroy: DestroyConfig,
  where: Omit<CredentialSources, "settings" | "origin" | "configFile"> = {},
): Promise<ConfigProblem | undefined> {
  if (!destroy.deactivateBeforeDelete) return undefined;
  const check = await checkCredentialsResolvable({
    ...where,
    settings: stackSettings({ get: (key) => valueOf(values, key) }),
    origin: { kind: "stack" },
    ...(destroy.ociConfigFile === undefined ? {} : { configFile: destroy.ociConfigFile }),
  });
  if (check.ok) return undefined;
  return {
    key: configKey(["destroy", "deactivateBeforeDelete"]),
    text:
      "the step that deactivates each app before its delete, signing as the OCI provider does, could not sign now, " +
      `so \`pulumi destroy\` could not either: ${check.message} ` +
      "Set them where the OCI provider looks (the oci: keys, the TF_VAR_* or OCI_* variables, or a profile of " +
      `~/.oci/config), or set ${configKey(["destroy", "deactivateBeforeDelete"])} to false and deactivate each app ` +
      "before `pulumi destroy`.",
  };
}
