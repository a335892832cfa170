/**
 * Which OCI provider's settings a step that signs uses when it runs, with nothing secret kept between a deployment
 * and a destroy:
 * - the stack's default provider: its `oci:` keys, read from the stack config that the engine hands every dynamic
 *   provider (`ResourceProvider.configure`): at `pulumi up` the current config, at a plain `pulumi destroy` the
 *   config of the last `up`, which the engine keeps as the inputs of the default `pulumi-nodejs` provider (as it
 *   keeps the OCI provider's own), so the step and the provider sign alike;
 * - an explicit provider resource (another tenancy or region): an `OciProviderReference`, which holds that
 *   provider's settings that are not secret and names the stack config keys that hold its secrets.
 * Either way the environment (`TF_VAR_*`, `OCI_*`) and the files (config file, key files, `~`) are read when the
 * step runs, on the machine that runs it (resolveCredentials.ts).
 */
import type { OciProviderSettings, OciSettingsOrigin } from "./providerSettings";

/** The stack config as a dynamic provider's `configure` receives it: full keys (`oci:region`), string values. */
export interface StackConfigReader {
  get(key: string): string | undefined;
}

/**
 * The explicit OCI provider resource (`new oci.Provider(...)`, passed as `provider` or `providers.oci`) that an app
 * is managed with: what the deactivation step needs to sign as that provider does. Nothing in it is secret: a
 * private key or its passphrase is named by the stack config key that holds it, and read when the step runs.
 */
export interface OciProviderReference {
  /** The provider resource's name, as given to `new oci.Provider(name, …)`. Required. */
  readonly name: string;
  /** Its `auth`: ApiKey, SecurityToken, InstancePrincipal, ResourcePrincipal or OKEWorkloadIdentity. Default: `TF_VAR_auth`, `OCI_AUTH`, else ApiKey. */
  readonly auth?: string;
  /** Its `tenancyOcid`. Default: `TF_VAR_tenancy_ocid`, `OCI_TENANCY_OCID`, else the config file's profile. */
  readonly tenancyOcid?: string;
  /** Its `userOcid`. Default: `TF_VAR_user_ocid`, `OCI_USER_OCID`, else the config file's profile. */
  readonly userOcid?: string;
  /** Its `fingerprint`. Default: `TF_VAR_fingerprint`, `OCI_FINGERPRINT`, else the config file's profile. */
  readonly fingerprint?: string;
  /** Its `privateKeyPath`, as written: `~/` is the home folder and a relative path starts at the program's directory, both when the step runs. Default: `TF_VAR_private_key_path`, `OCI_PRIVATE_KEY_PATH`, else the profile's key_file. */
  readonly privateKeyPath?: string;
  /** Its `region`. Default: `TF_VAR_region`, `OCI_REGION`. */
  readonly region?: string;
  /** Its `configFileProfile`. Default: `TF_VAR_config_file_profile`, `OCI_CONFIG_FILE_PROFILE`, else DEFAULT. */
  readonly configFileProfile?: string;
  /** The stack config key (`<namespace>:<key>`, set with `pulumi config set --secret`) that holds its `privateKey`, read when the step runs. Default: none. */
  readonly privateKeyConfigKey?: string;
  /** The stack config key (`<namespace>:<key>`) that holds its `privateKeyPassword`, read when the step runs. Default: none. */
  readonly privateKeyPasswordConfigKey?: string;
}

/** The settings a reference may hold as values: none of them secret. */
export const REFERENCE_SETTINGS = [
  "auth",
  "tenancyOcid",
  "userOcid",
  "fingerprint",
  "privateKeyPath",
  "region",
  "configFileProfile",
] as const satisfies readonly (keyof OciProviderSettings)[];

/** The secret settings, each named by the field that holds its stack config key. */
export const REFERENCE_SECRET_KEYS = {
  privateKey: "privateKeyConfigKey",
  privateKeyPassword: "privateKeyPasswordConfigKey",
} as const satisfies Partial<Record<keyof OciProviderSettings, keyof OciProviderReference>>;

/** Every setting, read from the stack config as pulumi-oci names it: `oci:<setting>`. */
const STACK_SETTINGS = [
  ...REFERENCE_SETTINGS,
  ...(Object.keys(REFERENCE_SECRET_KEYS) as (keyof typeof REFERENCE_SECRET_KEYS)[]),
] as const;

function present(value: string | undefined): value is string {
  return value !== undefined && value !== "";
}

/** The stack's default provider's settings: its `oci:` keys (an empty value counts as unset). */
export function stackSettings(config: StackConfigReader): OciProviderSettings {
  const settings: Partial<Record<keyof OciProviderSettings, string>> = {};
  for (const setting of STACK_SETTINGS) {
    const value = config.get(`oci:${setting}`);
    if (present(value)) settings[setting] = value;
  }
  return settings;
}

const FIELDS: ReadonlySet<string> = new Set([
  "name",
  ...REFERENCE_SETTINGS,
  ...Object.values(REFERENCE_SECRET_KEYS),
]);

/** `<namespace>:<key>`, as `pulumi config set` names a key and the engine hands it to `configure`. */
const CONFIG_KEY = /^[^:\s]+:[^:\s]+$/;

/**
 * What is wrong with a reference, one sentence each; none when it is usable. It must be an object with a name and
 * string fields it knows, and it must not carry a secret: a private key or its passphrase is refused (it would be
 * kept in the state), with the field to use instead.
 */
export function referenceProblems(value: unknown): string[] {
  if (value === null || typeof value !== "object" || Array.isArray(value))
    return ["must be an object with the provider's name and settings"];
  const fields = value as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof fields["name"] !== "string" || fields["name"].trim() === "")
    problems.push("name must be the provider resource's name");
  for (const [field, given] of Object.entries(fields)) {
    if (Object.hasOwn(REFERENCE_SECRET_KEYS, field)) {
      const instead = REFERENCE_SECRET_KEYS[field as keyof typeof REFERENCE_SECRET_KEYS];
      problems.push(
        `${field} is a secret and would be kept in the state: store it in the stack config (pulumi config set --secret <namespace>:<key>) and name that key in ${instead}`,
      );
    } else if (!FIELDS.has(field)) {
      problems.push(`${field} is not a setting this step reads; known: ${[...FIELDS].join(", ")}`);
    } else if (given !== undefined && typeof given !== "string") {
      problems.push(`${field} must be a string`);
    } else if (
      typeof given === "string" &&
      (Object.values(REFERENCE_SECRET_KEYS) as string[]).includes(field) &&
      !CONFIG_KEY.test(given)
    ) {
      problems.push(
        `${field} must be a full stack config key, <namespace>:<key>; got ${JSON.stringify(given)}`,
      );
    }
  }
  return problems;
}

export type ReferencedSettings =
  | { readonly ok: true; readonly settings: OciProviderSettings; readonly origin: OciSettingsOrigin }
  | { readonly ok: false; readonly problem: string };

/**
 * The settings of the provider the step signs as, read now: the stack's `oci:` keys without a reference, else the
 * reference's values and the secrets its config keys hold. A named key that the stack does not set is a problem:
 * the provider itself could not have been configured with it.
 */
export function providerSettingsOf(
  reference: OciProviderReference | undefined,
  config: StackConfigReader,
): ReferencedSettings {
  if (reference === undefined)
    return { ok: true, settings: stackSettings(config), origin: { kind: "stack" } };
  const problems = referenceProblems(reference);
  const origin: OciSettingsOrigin = { kind: "provider", name: reference.name };
  const shown = JSON.stringify(typeof reference.name === "string" ? reference.name : "");
  if (problems.length > 0) return { ok: false, problem: `the OCI provider ${shown}: ${problems.join("; ")}` };
  const settings: Partial<Record<keyof OciProviderSettings, string>> = {};
  for (const setting of REFERENCE_SETTINGS) {
    const value = reference[setting];
    if (present(value)) settings[setting] = value;
  }
  for (const [setting, field] of Object.entries(REFERENCE_SECRET_KEYS) as [
    keyof typeof REFERENCE_SECRET_KEYS,
    keyof OciProviderReference,
  ][]) {
    const key = reference[field];
    if (key === undefined) continue;
    const value = config.get(key);
    if (!present(value)) {
      return {
        ok: false,
        problem: `the OCI provider ${shown}: ${field} names ${key}, which the stack config does not set (pulumi config set --secret ${key})`,
      };
    }
    settings[setting] = value;
  }
  return { ok: true, settings, origin };
}
