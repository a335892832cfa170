/**
 * The places the OCI provider takes a key id and a private key from, each as one of the Go SDK's configuration
 * providers that terraform-provider-oci composes (internal/provider/provider.go L382-418 `GetSdkConfigProvider`):
 * the provider's own settings (`ResourceDataConfigProvider`, provider.go L553-666), a profile of the OCI config
 * file (oci-go-sdk common/configuration.go L483-589 `fileConfigurationProvider`) and a security-token profile
 * (configuration.go L748-824 `sessionTokenConfigurationProvider`). The composition asks each in turn and takes the
 * first answer without error, separately for the key id and for the private key (configuration.go L711-729).
 */
import { safeText } from "../http";
import type { Lookup } from "./credentialSources";
import { readProfile, type ProfileEntries } from "./configFile";
import { parsePrivateKey, unescapeInlineKey } from "./privateKey";
import { placesOf, settingValue, type OciSetting } from "./providerSettings";
import { Secret } from "./secret";

/** Who the signature is from: an API key (`tenancy/user/fingerprint`) or a security token (`ST$<token>`). */
export type KeyId =
  | {
      readonly kind: "apiKey";
      readonly tenancyOcid: string;
      readonly userOcid: string;
      readonly fingerprint: string;
    }
  | {
      readonly kind: "securityToken";
      readonly token: Secret;
      /** The token's file and the profile that names it. */
      readonly tokenFile: string;
      readonly configFile: string;
      readonly profile: string;
    };

export type KeyIdAnswer =
  | { readonly ok: true; readonly keyId: KeyId; readonly from: string }
  | { readonly ok: false; readonly reason: string };

export interface KeyAnswerFound {
  readonly ok: true;
  /** Unencrypted PKCS#8 PEM. */
  readonly pem: Secret;
  /** The passphrase that opened it, if it needed one. */
  readonly passphrase?: Secret;
  readonly from: string;
  /** The key file, when the key came from one. */
  readonly file?: string;
}

export type KeyAnswer = KeyAnswerFound | { readonly ok: false; readonly reason: string };

/** One place the provider looks: its name in messages, and its answers. */
export interface KeySource {
  readonly label: string;
  keyId(): Promise<KeyIdAnswer>;
  privateKey(): Promise<KeyAnswer>;
}

function unset(settings: readonly OciSetting[], lookup: Lookup): string {
  return `${settings.flatMap((setting) => placesOf(setting, lookup.origin)).join(", ")} unset`;
}

/** `ResourceDataConfigProvider`: the settings, each falling back to its variables. */
export function settingsSource(lookup: Lookup): KeySource {
  const value = (setting: OciSetting) => settingValue(lookup.settings, setting, lookup.origin, lookup.env);
  const readKeyFile = async (
    raw: string,
    from: string,
    passphrase: string | undefined,
  ): Promise<KeyAnswer> => {
    const file = lookup.path(raw);
    const read = await lookup.read(file);
    if (!read.ok) return { ok: false, reason: `the key file ${lookup.show(file)} (${from}): ${read.reason}` };
    return opened(read.text, passphrase, `the key file ${lookup.show(file)} (${from})`, file);
  };
  return {
    label: "the provider settings",
    keyId() {
      // provider.go L625-641: all three from the settings, or none (the next place is asked for all three).
      const parts = (["tenancyOcid", "userOcid", "fingerprint"] as const).map(
        (setting) => [setting, value(setting)] as const,
      );
      const missing = parts.filter(([, found]) => found === undefined).map(([setting]) => setting);
      const [tenancy, user, fingerprint] = parts.map(([, found]) => found);
      if (!tenancy || !user || !fingerprint)
        return Promise.resolve({ ok: false, reason: unset(missing, lookup) });
      return Promise.resolve({
        ok: true,
        keyId: {
          kind: "apiKey",
          tenancyOcid: tenancy.value,
          userOcid: user.value,
          fingerprint: fingerprint.value,
        },
        from: [...new Set([tenancy.from, user.from, fingerprint.from])].join(", "),
      });
    },
    async privateKey() {
      // provider.go L643-666: the inline key if set (and only it), else the key file; both with the passphrase.
      const passphrase = value("privateKeyPassword")?.value;
      const inline = value("privateKey");
      if (inline) return opened(unescapeInlineKey(inline.value), passphrase, `the key in ${inline.from}`);
      const path = value("privateKeyPath");
      if (path) return readKeyFile(path.value, path.from, passphrase);
      return { ok: false, reason: unset(["privateKey", "privateKeyPath"], lookup) };
    },
  };
}

function opened(text: string, passphrase: string | undefined, what: string, file?: string): KeyAnswer {
  const parsed = parsePrivateKey(text, passphrase);
  if (!parsed.ok) return { ok: false, reason: `${what} ${parsed.reason}` };
  return {
    ok: true,
    pem: parsed.pem,
    ...(passphrase ? { passphrase: new Secret(passphrase) } : {}),
    from: what,
    ...(file === undefined ? {} : { file }),
  };
}

export interface ProfileSourceOptions {
  readonly file: string;
  readonly profile: string;
  /**
   * The passphrase the provider passes in: the `private_key_password` setting for a security-token profile
   * (provider.go L508-515), none otherwise (oci-go-sdk common/client.go L499-510 builds the file providers with
   * ""). The profile's own `pass_phrase` is used when this is empty (configuration.go L581-585).
   */
  readonly passphrase?: string;
  /** `sessionTokenConfigurationProvider`: the key id is the profile's security token or nothing. */
  readonly securityTokenOnly?: boolean;
}

/** `fileConfigurationProvider` (or its session-token variant) for one profile of one file. */
export function profileSource(lookup: Lookup, options: ProfileSourceOptions): KeySource {
  const name = `${lookup.show(options.file)} [${safeText(options.profile, 200)}]`;
  const label = options.securityTokenOnly ? `${name} as a security-token profile` : name;
  const entries = async (): Promise<
    { ok: true; entries: ProfileEntries } | { ok: false; reason: string }
  > => {
    const read = await lookup.read(options.file);
    if (!read.ok) return { ok: false, reason: read.reason };
    // configuration.go L362-364.
    if (read.text.length === 0) return { ok: false, reason: "the file is empty" };
    const found = readProfile(read.text, options.profile);
    return found
      ? { ok: true, entries: found }
      : { ok: false, reason: `no profile [${safeText(options.profile, 200)}]` };
  };
  return {
    label,
    async keyId() {
      const profile = await entries();
      if (!profile.ok) return profile;
      const { tenancy, fingerprint, user, security_token_file: tokenFile } = profile.entries;
      // configuration.go L483-495, L514-525: tenancy and fingerprint must be present and not empty.
      if (!tenancy) return { ok: false, reason: tenancy === undefined ? "no tenancy" : "tenancy is empty" };
      if (!fingerprint)
        return { ok: false, reason: fingerprint === undefined ? "no fingerprint" : "fingerprint is empty" };
      // L543-549: a `user` entry makes it an API key (an empty one is an error); without one, L550-558 and
      // L784-791: the security token file.
      if (user !== undefined && !options.securityTokenOnly) {
        if (user === "") return { ok: false, reason: "user is empty" };
        return {
          ok: true,
          keyId: { kind: "apiKey", tenancyOcid: tenancy, userOcid: user, fingerprint },
          from: label,
        };
      }
      if (tokenFile === undefined)
        return { ok: false, reason: options.securityTokenOnly ? "no security_token_file" : "no user" };
      const file = lookup.path(tokenFile);
      const token = await lookup.read(file);
      if (!token.ok)
        return { ok: false, reason: `its security_token_file ${lookup.show(file)}: ${token.reason}` };
      return {
        ok: true,
        keyId: {
          kind: "securityToken",
          token: new Secret(token.text),
          tokenFile: file,
          configFile: options.file,
          profile: options.profile,
        },
        from: label,
      };
    },
    async privateKey() {
      const profile = await entries();
      if (!profile.ok) return profile;
      const { key_file: keyFile, pass_phrase: ownPassphrase } = profile.entries;
      if (keyFile === undefined) return { ok: false, reason: "no key_file" };
      const file = lookup.path(keyFile);
      const read = await lookup.read(file);
      if (!read.ok) return { ok: false, reason: `its key_file ${lookup.show(file)}: ${read.reason}` };
      const passphrase = options.passphrase || ownPassphrase || undefined;
      const parsed = opened(read.text, passphrase, `its key_file ${lookup.show(file)}`, file);
      return parsed.ok ? { ...parsed, from: `the key_file ${lookup.show(file)} of ${name}` } : parsed;
    },
  };
}
