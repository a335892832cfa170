/**
 * The OCI provider's own settings that say how it signs in, and the environment variables that stand in for each
 * one that is not set. terraform-provider-oci internal/provider/provider.go L137-269: every setting has
 * `DefaultFunc: schema.MultiEnvDefaultFunc([]string{tfVarName(attr), ociVarName(attr)}, …)`, i.e. the
 * `TF_VAR_<attr>` variable, then `OCI_<ATTR>` (L83-89; globalvar/constants.go L113-114), the first that is not
 * empty. pulumi-oci maps the same schema to `oci:<camelCase>` keys with no defaults of its own
 * (provider/resources.go L326 `Config: map[string]*tfbridge.SchemaInfo{}`), and an explicit `oci.Provider`
 * takes the same names as arguments; either way the variables apply to a setting left unset.
 */

/** The provider's sign-in settings, as plain strings: the stack's `oci:` keys or an explicit provider's arguments. */
export interface OciProviderSettings {
  /** `ApiKey` (default), `SecurityToken`, `InstancePrincipal`, `ResourcePrincipal`, `OKEWorkloadIdentity`… */
  readonly auth?: string;
  readonly tenancyOcid?: string;
  readonly userOcid?: string;
  readonly fingerprint?: string;
  /** PEM text of the API signing key (a secret); `\n` escapes are turned into new lines, as the provider does. */
  readonly privateKey?: string;
  /** Path of the PEM file; a leading `~/` is the home folder. */
  readonly privateKeyPath?: string;
  /** Passphrase of the key (a secret). */
  readonly privateKeyPassword?: string;
  readonly region?: string;
  /** Profile of the OCI config file; without one the provider reads `DEFAULT`. */
  readonly configFileProfile?: string;
}

export type OciSetting = keyof OciProviderSettings;

/** The provider's attribute name of each setting (globalvar/constants.go L44-67). */
export const SETTING_ATTRIBUTES: Readonly<Record<OciSetting, string>> = {
  auth: "auth",
  tenancyOcid: "tenancy_ocid",
  userOcid: "user_ocid",
  fingerprint: "fingerprint",
  privateKey: "private_key",
  privateKeyPath: "private_key_path",
  privateKeyPassword: "private_key_password",
  region: "region",
  configFileProfile: "config_file_profile",
};

/** The settings that hold a secret: their values are never shown, only where they came from. */
export const SECRET_SETTINGS: ReadonlySet<OciSetting> = new Set(["privateKey", "privateKeyPassword"]);

/** Where the settings come from, for messages. */
export type OciSettingsOrigin =
  | { readonly kind: "stack" }
  /** An explicit `oci.Provider` resource (another tenancy or region): its name. */
  | { readonly kind: "provider"; readonly name: string };

export type Environment = Readonly<Record<string, string | undefined>>;

/** `TF_VAR_tenancy_ocid`, then `OCI_TENANCY_OCID` (provider.go L83-89). */
export function environmentNames(setting: OciSetting): readonly [string, string] {
  const attribute = SETTING_ATTRIBUTES[setting];
  return [`TF_VAR_${attribute}`, `OCI_${attribute.toUpperCase()}`];
}

/** How a setting is named to the user: `oci:tenancyOcid (stack config)` or `tenancyOcid of provider "acme"`. */
export function settingName(setting: OciSetting, origin: OciSettingsOrigin): string {
  return origin.kind === "stack"
    ? `oci:${setting} (stack config)`
    : `${setting} of provider ${JSON.stringify(origin.name)}`;
}

/** A value and the one place it came from. */
export interface Sourced {
  readonly value: string;
  readonly from: string;
}

/** Every place a setting is looked for, in order: the setting, then its two variables. */
export function placesOf(setting: OciSetting, origin: OciSettingsOrigin): string[] {
  return [settingName(setting, origin), ...environmentNames(setting)];
}

function present(value: string | undefined): value is string {
  return value !== undefined && value !== "";
}

/**
 * The setting's value as the provider sees it: set in the settings, else the first of its variables that is not
 * empty (`MultiEnvDefaultFunc` skips empty ones). An empty setting counts as unset, as a blank stack value does.
 */
export function settingValue(
  settings: OciProviderSettings,
  setting: OciSetting,
  origin: OciSettingsOrigin,
  env: Environment,
): Sourced | undefined {
  const own = settings[setting];
  if (present(own)) return { value: own, from: settingName(setting, origin) };
  for (const name of environmentNames(setting)) {
    const value = env[name];
    if (present(value)) return { value, from: name };
  }
  return undefined;
}
