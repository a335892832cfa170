/**
 * Resolves the credentials the OCI provider would sign with, from the same places and in the same order, when the
 * resolution runs. The order (terraform-provider-oci v8.28.0, 8de3c48; pulumi-oci 4.20.0 builds v8.23.0, 8016f41,
 * whose provider.go, utils/helpers.go and the SDK's configuration.go are the same):
 * 1. `auth`: the setting, `TF_VAR_auth`, `OCI_AUTH`, else `ApiKey` (internal/provider/provider.go L137-143).
 * 2. `ApiKey` (provider.go L382-418, L424-425): the provider settings, each falling back to `TF_VAR_<attr>` then
 *    `OCI_<ATTR>` (L144-188), then the config file: with `config_file_profile` that profile of `~/.oci/config`
 *    (which must exist, L402-411) then its `DEFAULT` (oci-go-sdk common/client.go L499-510
 *    `CustomProfileConfigProvider`); without one the `DEFAULT` profile of `~/.oci/config` (or `$OCI_CONFIG_FILE`
 *    when that file does not exist), then of `~/.oraclebmc/config` (client.go L428-472 `DefaultConfigProvider`).
 *    The key id (tenancy, user and fingerprint, all from one place) and the private key are each taken from the
 *    first place that has a usable one (oci-go-sdk common/configuration.go L711-729). A profile with no `user` but
 *    a `security_token_file` signs with that token (configuration.go L543-558).
 * 3. `SecurityToken` (provider.go L495-519): `region` and `config_file_profile` must be set; the profile's
 *    security token and `key_file` (with `private_key_password`, else the profile's `pass_phrase`) come first, then
 *    the places of `ApiKey`.
 * 4. `InstancePrincipal`, `ResourcePrincipal`, `OKEWorkloadIdentity` (provider.go L426-443, L520-539): the
 *    principal alone, see principalCredentials.ts.
 * The environment variables `TF_VAR_*` of the SDK's own environment provider (client.go L435) come last in the
 * SDK's chain; they are left out because the settings already read the same variables first, so they never add
 * a key id or key the settings did not.
 */
import { quoted, safeText } from "../http";
import { OCI_AUTH_MODES, OciAuthMode, parseAuthMode, SIGNING_AUTH_MODES } from "./authModes";
import { DEFAULT_PROFILE, profileNames, readProfile } from "./configFile";
import { lookupOf, type CredentialSources, type Lookup } from "./credentialSources";
import { profileSource, settingsSource, type KeyAnswerFound, type KeyId, type KeySource } from "./keySources";
import { instancePrincipal, okeWorkloadIdentity, resourcePrincipal } from "./principalCredentials";
import { placesOf, settingValue, type Sourced } from "./providerSettings";
import type { CredentialResolution, OciSigner } from "./resolvedCredentials";
import { tokenExpiry } from "./tokenExpiry";

type Failure = Extract<CredentialResolution, { ok: false }>;

/** A profile name as messages show it (it comes from config: no control characters, bounded). */
function profileName(name: string): string {
  return safeText(name, 200);
}

function failed(
  auth: OciAuthMode | undefined,
  authFrom: string,
  lookedAt: string[],
  problem: string,
): Failure {
  const mode = auth === undefined ? "" : ` for auth ${auth} (${authFrom})`;
  return {
    ok: false,
    ...(auth === undefined ? {} : { auth }),
    lookedAt,
    message: `cannot resolve the OCI credentials${mode}: ${problem}${lookedAt.length > 0 ? `. Looked at, in the OCI provider's order: ${lookedAt.join("; ")}` : ""}.`,
  };
}

/** Resolves what the OCI provider would sign with; the answer says where each part came from, or what is missing. */
export async function resolveOciCredentials(sources: CredentialSources): Promise<CredentialResolution> {
  const lookup = lookupOf(sources);
  const authSetting = settingValue(lookup.settings, "auth", lookup.origin, lookup.env);
  const authFrom = authSetting?.from ?? "the default";
  const auth = authSetting === undefined ? OciAuthMode.ApiKey : parseAuthMode(authSetting.value);
  if (auth === undefined) {
    return failed(
      undefined,
      authFrom,
      placesOf("auth", lookup.origin),
      `${authFrom} is ${quoted(authSetting?.value ?? "")}: auth must be one of ${OCI_AUTH_MODES.join(", ")}`,
    );
  }
  switch (auth) {
    case OciAuthMode.ApiKey:
      return apiKey(lookup, authFrom);
    case OciAuthMode.SecurityToken:
      return securityToken(lookup, authFrom);
    case OciAuthMode.InstancePrincipal:
      return instancePrincipal(lookup, authFrom);
    case OciAuthMode.ResourcePrincipal:
      return resourcePrincipal(lookup, authFrom);
    case OciAuthMode.OKEWorkloadIdentity:
      return okeWorkloadIdentity(lookup, authFrom);
    default:
      return failed(
        auth,
        authFrom,
        [],
        `oci-common, which signs these requests, has no provider for it; use ${SIGNING_AUTH_MODES.join(", ")}`,
      );
  }
}

/** `~/.oci/config`, or `$OCI_CONFIG_FILE` when that does not exist (client.go L454-472), or the override. */
async function defaultConfigFile(lookup: Lookup): Promise<string> {
  if (lookup.configFileOverride !== undefined) return lookup.configFileOverride;
  const primary = lookup.path("~/.oci/config");
  if ((await lookup.read(primary)).ok) return primary;
  const fallback = lookup.env.OCI_CONFIG_FILE;
  if (fallback && (await lookup.read(lookup.path(fallback))).ok) return lookup.path(fallback);
  return primary;
}

/**
 * A named profile must be in the file before anything else is read (provider.go L402-411, L511-514; the file is
 * `~/.oci/config`, L405, or the override).
 */
async function namedProfileFile(
  lookup: Lookup,
  profile: Sourced,
): Promise<{ ok: true; file: string } | { ok: false; problem: string; lookedAt: string[] }> {
  const file = lookup.configFileOverride ?? lookup.path("~/.oci/config");
  const read = await lookup.read(file);
  const lookedAt = [`${profile.from}`, lookup.show(file)];
  const named = `profile [${profileName(profile.value)}] (${profile.from})`;
  if (!read.ok)
    return { ok: false, problem: `${lookup.show(file)}, which holds ${named}: ${read.reason}`, lookedAt };
  if (!profileNames(read.text).includes(profile.value))
    return { ok: false, problem: `${lookup.show(file)} has no ${named}`, lookedAt };
  return { ok: true, file };
}

function fileSources(lookup: Lookup, file: string, profile: string | undefined): KeySource[] {
  const profiles =
    profile === undefined || profile === DEFAULT_PROFILE ? [DEFAULT_PROFILE] : [profile, DEFAULT_PROFILE];
  return profiles.map((name) => profileSource(lookup, { file, profile: name }));
}

async function apiKey(lookup: Lookup, authFrom: string): Promise<CredentialResolution> {
  const profile = settingValue(lookup.settings, "configFileProfile", lookup.origin, lookup.env);
  const chain: KeySource[] = [settingsSource(lookup)];
  if (profile) {
    const named = await namedProfileFile(lookup, profile);
    if (!named.ok) return failed(OciAuthMode.ApiKey, authFrom, named.lookedAt, named.problem);
    chain.push(...fileSources(lookup, named.file, profile.value));
  } else {
    chain.push(...fileSources(lookup, await defaultConfigFile(lookup), undefined));
    if (lookup.configFileOverride === undefined)
      chain.push(
        profileSource(lookup, { file: lookup.path("~/.oraclebmc/config"), profile: DEFAULT_PROFILE }),
      );
  }
  return compose(lookup, OciAuthMode.ApiKey, authFrom, chain);
}

async function securityToken(lookup: Lookup, authFrom: string): Promise<CredentialResolution> {
  const auth = OciAuthMode.SecurityToken;
  const region = settingValue(lookup.settings, "region", lookup.origin, lookup.env);
  const profile = settingValue(lookup.settings, "configFileProfile", lookup.origin, lookup.env);
  const missing = [
    ...(region ? [] : [`a region (${placesOf("region", lookup.origin).join(", ")})`]),
    ...(profile
      ? []
      : [
          `the profile \`oci session authenticate\` wrote (${placesOf("configFileProfile", lookup.origin).join(", ")})`,
        ]),
  ];
  if (!profile || missing.length > 0) {
    return failed(
      auth,
      authFrom,
      [...placesOf("region", lookup.origin), ...placesOf("configFileProfile", lookup.origin)],
      `it needs ${missing.join(" and ")}, as the OCI provider does`,
    );
  }
  const named = await namedProfileFile(lookup, profile);
  if (!named.ok) return failed(auth, authFrom, named.lookedAt, named.problem);
  const passphrase = settingValue(lookup.settings, "privateKeyPassword", lookup.origin, lookup.env)?.value;
  return compose(lookup, auth, authFrom, [
    profileSource(lookup, {
      file: named.file,
      profile: profile.value,
      securityTokenOnly: true,
      ...(passphrase === undefined ? {} : { passphrase }),
    }),
    settingsSource(lookup),
    ...fileSources(lookup, named.file, profile.value),
  ]);
}

/** One place of the chain, and why it gave no key id or no key when it was asked. */
interface Tried {
  readonly source: KeySource;
  keyId?: string;
  key?: string;
}

/** The composing provider: the first key id and the first private key, each from wherever it is found first. */
async function compose(
  lookup: Lookup,
  auth: OciAuthMode,
  authFrom: string,
  chain: readonly KeySource[],
): Promise<CredentialResolution> {
  const tried: Tried[] = chain.map((source) => ({ source }));
  let keyId: { keyId: KeyId; from: string } | undefined;
  let key: KeyAnswerFound | undefined;
  for (const place of tried) {
    const answer = await place.source.keyId();
    if (answer.ok) {
      keyId = answer;
      break;
    }
    place.keyId = answer.reason;
  }
  for (const place of tried) {
    const answer = await place.source.privateKey();
    if (answer.ok) {
      key = answer;
      break;
    }
    place.key = answer.reason;
  }
  const lookedAt = tried.map(({ source: { label }, keyId: idReason, key: keyReason }) => {
    const reasons = [
      ...(idReason === undefined ? [] : [idReason === keyReason ? idReason : `key id: ${idReason}`]),
      ...(keyReason === undefined || keyReason === idReason ? [] : [`private key: ${keyReason}`]),
    ];
    return reasons.length === 0 ? label : `${label} (${reasons.join("; ")})`;
  });
  if (!keyId || !key) {
    const found = keyId
      ? `found the key id in ${keyId.from} but no usable private key`
      : key
        ? `found a private key (${key.from}) but no key id (a tenancy, user and fingerprint in one place)`
        : "found no key id (a tenancy, user and fingerprint in one place) and no usable private key";
    return failed(auth, authFrom, lookedAt, found);
  }
  const signer = await signerOf(lookup, keyId, key);
  if (!signer.ok) return failed(auth, authFrom, lookedAt, signer.problem);
  return {
    ok: true,
    credentials: {
      auth,
      authFrom,
      signer: signer.signer,
      lookedAt,
      summary: summaryOf(lookup, signer.signer, keyId.from, key.from),
    },
  };
}

async function signerOf(
  lookup: Lookup,
  found: { keyId: KeyId; from: string },
  key: KeyAnswerFound,
): Promise<{ ok: true; signer: OciSigner } | { ok: false; problem: string }> {
  const { keyId } = found;
  if (keyId.kind === "apiKey") {
    return {
      ok: true,
      signer: {
        kind: "apiKey",
        tenancyOcid: keyId.tenancyOcid,
        userOcid: keyId.userOcid,
        fingerprint: keyId.fingerprint,
        keyIdFrom: found.from,
        privateKey: key.pem,
        keyFrom: key.from,
      },
    };
  }
  // The token's signature must come from its session key: the profile's key_file, or DEFAULT's when the profile
  // has none (oci-common lib/auth/config-file-auth.js reads `key_file` so, and so does the provider's chain).
  const read = await lookup.read(keyId.configFile);
  const text = read.ok ? read.text : "";
  const own = readProfile(text, keyId.profile);
  const fallback = readProfile(text, DEFAULT_PROFILE);
  const keyFile = own?.key_file ?? fallback?.key_file;
  const where = `profile [${profileName(keyId.profile)}] of ${lookup.show(keyId.configFile)}`;
  if (keyFile === undefined || key.file !== lookup.path(keyFile)) {
    return {
      ok: false,
      problem: `the security token of ${where} is signed with its session key, the profile's key_file, and that key is not usable (the first usable key is ${key.from})`,
    };
  }
  // oci-common will not load the profile without a region in it or OCI_REGION (config-file-auth.js).
  if (!(own?.region ?? fallback?.region) && !lookup.env.OCI_REGION) {
    return {
      ok: false,
      problem: `${where} has no region, and OCI_REGION is unset: oci-common needs one to load the profile`,
    };
  }
  const expiresAt = tokenExpiry(keyId.token.reveal());
  if (expiresAt !== undefined && expiresAt <= lookup.now()) {
    return {
      ok: false,
      problem: `the security token of ${where} (${lookup.show(keyId.tokenFile)}) expired at ${new Date(expiresAt).toISOString()}: run \`oci session refresh --profile ${profileName(keyId.profile)}\` or \`oci session authenticate\` again`,
    };
  }
  return {
    ok: true,
    signer: {
      kind: "securityToken",
      configFile: keyId.configFile,
      profile: keyId.profile,
      tokenFile: keyId.tokenFile,
      keyFile: key.file ?? "",
      ...(key.passphrase === undefined ? {} : { passphrase: key.passphrase }),
      ...(expiresAt === undefined ? {} : { expiresAt }),
    },
  };
}

function summaryOf(lookup: Lookup, signer: OciSigner, keyIdFrom: string, keyFrom: string): string {
  if (signer.kind === "apiKey") {
    return `the API key ${quoted(signer.fingerprint)} of user ${quoted(signer.userOcid)} in tenancy ${quoted(signer.tenancyOcid)} (key id from ${keyIdFrom}; private key from ${keyFrom})`;
  }
  if (signer.kind === "securityToken") {
    const until =
      signer.expiresAt === undefined ? "" : `, valid until ${new Date(signer.expiresAt).toISOString()}`;
    return `the security token of profile [${profileName(signer.profile)}] of ${lookup.show(signer.configFile)} (${lookup.show(signer.tokenFile)}${until}; session key from ${keyFrom})`;
  }
  return keyIdFrom;
}
