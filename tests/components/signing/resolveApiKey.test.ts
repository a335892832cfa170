/**
 * API-key resolution in the OCI provider's order (components/signing/resolveCredentials.ts cites the lines):
 * the settings, each falling back to TF_VAR_<attr> then OCI_<ATTR>, then the config file's profile, then DEFAULT.
 */
import { describe, expect, it } from "vitest";

import {
  resolveOciCredentials,
  type CredentialResolution,
  type OciSigner,
} from "../../../components/signing";
import {
  fakeFiles,
  HOME,
  labelledKey,
  normalized,
  profileText,
  sources,
  type FakeFiles,
  type LabelledKey,
} from "./credentialFixtures";

const keys = {
  stack: labelledKey("stack"),
  tfVar: labelledKey("tfvar"),
  oci: labelledKey("oci"),
  file: labelledKey("file"),
  other: labelledKey("other"),
} as const;

type ApiKeySigner = Extract<OciSigner, { kind: "apiKey" }>;

function apiKeySigner(resolution: CredentialResolution): ApiKeySigner {
  if (!resolution.ok) throw new Error(`expected a resolution, got: ${resolution.message}`);
  const { signer } = resolution.credentials;
  if (signer.kind !== "apiKey") throw new Error(`expected an API key, got ${signer.kind}`);
  return signer;
}

interface Setup {
  settings: Record<string, string>;
  env: Record<string, string>;
  files: Record<string, string>;
}

function emptySetup(): Setup {
  return { settings: {}, env: {}, files: {} };
}

async function resolve(setup: Setup, extra = {}): Promise<CredentialResolution> {
  const fs: FakeFiles = fakeFiles(setup.files);
  return resolveOciCredentials(sources(fs, setup.settings, setup.env, extra));
}

/** Where a key id can come from, each with its own key's identity, in the provider's order. */
const KEY_ID_SOURCES: ReadonlyArray<
  readonly [string, LabelledKey, (setup: Setup, key: LabelledKey) => void, string]
> = [
  [
    "the stack's oci: keys",
    keys.stack,
    (setup, key) =>
      Object.assign(setup.settings, {
        tenancyOcid: key.tenancy,
        userOcid: key.user,
        fingerprint: key.fingerprint,
      }),
    "oci:tenancyOcid (stack config), oci:userOcid (stack config), oci:fingerprint (stack config)",
  ],
  [
    "TF_VAR_*",
    keys.tfVar,
    (setup, key) =>
      Object.assign(setup.env, {
        TF_VAR_tenancy_ocid: key.tenancy,
        TF_VAR_user_ocid: key.user,
        TF_VAR_fingerprint: key.fingerprint,
      }),
    "TF_VAR_tenancy_ocid, TF_VAR_user_ocid, TF_VAR_fingerprint",
  ],
  [
    "OCI_*",
    keys.oci,
    (setup, key) =>
      Object.assign(setup.env, {
        OCI_TENANCY_OCID: key.tenancy,
        OCI_USER_OCID: key.user,
        OCI_FINGERPRINT: key.fingerprint,
      }),
    "OCI_TENANCY_OCID, OCI_USER_OCID, OCI_FINGERPRINT",
  ],
  [
    "~/.oci/config [DEFAULT]",
    keys.file,
    (setup, key) => {
      setup.files[`${HOME}/.oci/config`] = profileText("DEFAULT", key, "~/.oci/file.pem");
    },
    "~/.oci/config [DEFAULT]",
  ],
];

/** A private key every key-id test can sign with, from the first place keys are looked for. */
function withSomeKey(setup: Setup): Setup {
  setup.settings.privateKey = keys.other.privateKeyPem;
  return setup;
}

describe("resolveOciCredentials, ApiKey: where the key id comes from", () => {
  it.each(KEY_ID_SOURCES.map(([name, key, add, from]) => [name, key, add, from] as const))(
    "from %s alone",
    async (_name, key, add, from) => {
      const setup = withSomeKey(emptySetup());
      add(setup, key);
      const signer = apiKeySigner(await resolve(setup));
      expect(signer).toMatchObject({
        tenancyOcid: key.tenancy,
        userOcid: key.user,
        fingerprint: key.fingerprint,
        keyIdFrom: from,
      });
    },
  );

  const pairs = KEY_ID_SOURCES.flatMap((first, i) =>
    KEY_ID_SOURCES.slice(i + 1).map((second) => [first, second] as const),
  );
  it.each(pairs.map(([first, second]) => [first[0], second[0], first, second] as const))(
    "%s wins over %s",
    async (_a, _b, first, second) => {
      const setup = withSomeKey(emptySetup());
      second[2](setup, second[1]);
      first[2](setup, first[1]);
      const signer = apiKeySigner(await resolve(setup));
      expect([signer.userOcid, signer.keyIdFrom]).toEqual([first[1].user, first[3]]);
    },
  );

  it("takes each setting from its own first place: the settings, then TF_VAR_*, then OCI_*", async () => {
    const setup = withSomeKey(emptySetup());
    setup.settings.tenancyOcid = keys.stack.tenancy;
    setup.env.TF_VAR_user_ocid = keys.tfVar.user;
    setup.env.OCI_USER_OCID = keys.oci.user;
    setup.env.OCI_FINGERPRINT = keys.oci.fingerprint;
    setup.env.TF_VAR_fingerprint = ""; // MultiEnvDefaultFunc skips an empty variable
    const signer = apiKeySigner(await resolve(setup));
    expect(signer).toMatchObject({
      tenancyOcid: keys.stack.tenancy,
      userOcid: keys.tfVar.user,
      fingerprint: keys.oci.fingerprint,
      keyIdFrom: "oci:tenancyOcid (stack config), TF_VAR_user_ocid, OCI_FINGERPRINT",
    });
  });

  it("takes all three from the config file when the settings lack one of them (no mixing of places)", async () => {
    const setup = withSomeKey(emptySetup());
    setup.settings.tenancyOcid = keys.stack.tenancy;
    setup.settings.fingerprint = keys.stack.fingerprint;
    setup.files[`${HOME}/.oci/config`] = profileText("DEFAULT", keys.file, "~/.oci/file.pem");
    const signer = apiKeySigner(await resolve(setup));
    expect(signer).toMatchObject({
      tenancyOcid: keys.file.tenancy,
      userOcid: keys.file.user,
      fingerprint: keys.file.fingerprint,
      keyIdFrom: "~/.oci/config [DEFAULT]",
    });
  });
});

/** Where a private key can come from, each a different key, in the provider's order. */
const KEY_SOURCES: ReadonlyArray<readonly [string, LabelledKey, (setup: Setup) => void, string]> = [
  [
    "oci:privateKey",
    keys.stack,
    (s) => (s.settings.privateKey = keys.stack.privateKeyPem),
    "the key in oci:privateKey (stack config)",
  ],
  [
    "TF_VAR_private_key",
    keys.tfVar,
    (s) => (s.env.TF_VAR_private_key = keys.tfVar.privateKeyPem),
    "the key in TF_VAR_private_key",
  ],
  [
    "OCI_PRIVATE_KEY",
    keys.oci,
    (s) => (s.env.OCI_PRIVATE_KEY = keys.oci.privateKeyPem),
    "the key in OCI_PRIVATE_KEY",
  ],
  [
    "oci:privateKeyPath",
    keys.file,
    (s) => {
      s.settings.privateKeyPath = "~/keys/stack.pem";
      s.files[`${HOME}/keys/stack.pem`] = keys.file.privateKeyPem;
    },
    "the key file ~/keys/stack.pem (oci:privateKeyPath (stack config))",
  ],
  [
    "TF_VAR_private_key_path",
    keys.other,
    (s) => {
      s.env.TF_VAR_private_key_path = "~/keys/tfvar.pem";
      s.files[`${HOME}/keys/tfvar.pem`] = keys.other.privateKeyPem;
    },
    "the key file ~/keys/tfvar.pem (TF_VAR_private_key_path)",
  ],
  [
    "OCI_PRIVATE_KEY_PATH",
    keys.stack,
    (s) => {
      s.env.OCI_PRIVATE_KEY_PATH = "/etc/oci/oci.pem";
      s.files["/etc/oci/oci.pem"] = keys.stack.privateKeyPem;
    },
    "the key file /etc/oci/oci.pem (OCI_PRIVATE_KEY_PATH)",
  ],
  [
    "key_file of ~/.oci/config [DEFAULT]",
    keys.tfVar,
    (s) => {
      s.files[`${HOME}/.oci/config`] = profileText("DEFAULT", keys.tfVar, "~/.oci/file.pem");
      s.files[`${HOME}/.oci/file.pem`] = keys.tfVar.privateKeyPem;
    },
    "the key_file ~/.oci/file.pem of ~/.oci/config [DEFAULT]",
  ],
];

/** A key id every key test can use, from the settings. */
function withSomeKeyId(setup: Setup): Setup {
  Object.assign(setup.settings, {
    tenancyOcid: keys.other.tenancy,
    userOcid: keys.other.user,
    fingerprint: keys.other.fingerprint,
  });
  return setup;
}

describe("resolveOciCredentials, ApiKey: where the private key comes from", () => {
  it.each(KEY_SOURCES.map(([name, key, add, from]) => [name, key, add, from] as const))(
    "from %s alone",
    async (_name, key, add, from) => {
      const setup = withSomeKeyId(emptySetup());
      add(setup);
      const signer = apiKeySigner(await resolve(setup));
      expect(signer.keyFrom).toBe(from);
      expect(signer.privateKey.reveal()).toBe(normalized(key));
    },
  );

  const pairs = KEY_SOURCES.flatMap((first, i) =>
    KEY_SOURCES.slice(i + 1).map((second) => [first, second] as const),
  );
  it.each(pairs.map(([first, second]) => [first[0], second[0], first, second] as const))(
    "%s wins over %s",
    async (_a, _b, first, second) => {
      const setup = withSomeKeyId(emptySetup());
      second[2](setup);
      first[2](setup);
      const signer = apiKeySigner(await resolve(setup));
      expect(signer.keyFrom).toBe(first[3]);
      expect(signer.privateKey.reveal()).toBe(normalized(first[1]));
    },
  );

  it("turns \\n escapes of an inline key into new lines, as the provider does", async () => {
    const setup = withSomeKeyId(emptySetup());
    setup.env.TF_VAR_private_key = keys.stack.privateKeyPem.trimEnd().replaceAll("\n", "\\n");
    expect(apiKeySigner(await resolve(setup)).privateKey.reveal()).toBe(normalized(keys.stack));
  });

  it("opens an encrypted key with oci:privateKeyPassword (or its variables)", async () => {
    const setup = withSomeKeyId(emptySetup());
    setup.settings.privateKeyPath = "~/keys/encrypted.pem";
    setup.files[`${HOME}/keys/encrypted.pem`] = keys.stack.encryptedPem;
    setup.env.OCI_PRIVATE_KEY_PASSWORD = keys.stack.passphrase;
    const signer = apiKeySigner(await resolve(setup));
    expect(signer.privateKey.reveal()).toBe(normalized(keys.stack));
  });

  it("goes on to the config file when the settings' key does not open, and says why in the message otherwise", async () => {
    const setup = withSomeKeyId(emptySetup());
    // An inline key that is no key: the provider does not try the key file then (provider.go L649-653).
    setup.settings.privateKey = "not a key";
    setup.settings.privateKeyPath = "~/keys/stack.pem";
    setup.files[`${HOME}/keys/stack.pem`] = keys.stack.privateKeyPem;
    setup.files[`${HOME}/.oci/config`] = profileText("DEFAULT", keys.file, "~/.oci/file.pem");
    setup.files[`${HOME}/.oci/file.pem`] = keys.file.encryptedPem;
    const failed = await resolve(setup);
    expect(failed.ok).toBe(false);
    expect(failed.ok ? "" : failed.message).toContain(
      "the provider settings (private key: the key in oci:privateKey (stack config) is not a PEM private key); " +
        "~/.oci/config [DEFAULT] (private key: its key_file ~/.oci/file.pem is encrypted and no passphrase was given)",
    );
    setup.files[`${HOME}/.oci/config`] = profileText("DEFAULT", keys.file, "~/.oci/file.pem", {
      pass_phrase: keys.file.passphrase,
    });
    const signer = apiKeySigner(await resolve(setup));
    expect(signer.keyFrom).toBe("the key_file ~/.oci/file.pem of ~/.oci/config [DEFAULT]");
    expect(signer.privateKey.reveal()).toBe(normalized(keys.file));
  });

  it("says when an encrypted key does not open with the passphrase given", async () => {
    const setup = withSomeKeyId(emptySetup());
    setup.settings.privateKeyPath = "/keys/encrypted.pem";
    setup.settings.privateKeyPassword = "wrong";
    setup.files["/keys/encrypted.pem"] = keys.stack.encryptedPem;
    const failed = await resolve(setup);
    expect(failed.ok ? "" : failed.message).toContain(
      "private key: the key file /keys/encrypted.pem (oci:privateKeyPath (stack config)) does not open with the passphrase given",
    );
  });
});

describe("resolveOciCredentials, ApiKey: ~ and relative paths", () => {
  it("expands ~/ in privateKeyPath to the home folder, not <cwd>/~/", async () => {
    const setup = withSomeKeyId(emptySetup());
    setup.settings.privateKeyPath = "~/.oci/key.pem";
    setup.files[`${HOME}/.oci/key.pem`] = keys.stack.privateKeyPem;
    const fs = fakeFiles(setup.files);
    const resolution = await resolveOciCredentials(sources(fs, setup.settings));
    expect(apiKeySigner(resolution).keyFrom).toBe(
      "the key file ~/.oci/key.pem (oci:privateKeyPath (stack config))",
    );
    expect(fs.reads).toContain(`${HOME}/.oci/key.pem`);
    expect(fs.reads.some((path) => path.includes("~"))).toBe(false);
  });

  it("takes a relative privateKeyPath from the working directory", async () => {
    const setup = withSomeKeyId(emptySetup());
    setup.env.TF_VAR_private_key_path = "keys/deployer.pem";
    setup.files["/work/project/keys/deployer.pem"] = keys.stack.privateKeyPem;
    expect(apiKeySigner(await resolve(setup)).keyFrom).toBe(
      "the key file /work/project/keys/deployer.pem (TF_VAR_private_key_path)",
    );
  });

  it("expands ~/ in a profile's key_file and in the config file given", async () => {
    const setup = emptySetup();
    setup.files[`${HOME}/elsewhere/oci.conf`] = profileText("DEFAULT", keys.file, "~/elsewhere/key.pem");
    setup.files[`${HOME}/elsewhere/key.pem`] = keys.file.privateKeyPem;
    const signer = apiKeySigner(await resolve(setup, { configFile: "~/elsewhere/oci.conf" }));
    expect(signer).toMatchObject({
      userOcid: keys.file.user,
      keyIdFrom: "~/elsewhere/oci.conf [DEFAULT]",
      keyFrom: "the key_file ~/elsewhere/key.pem of ~/elsewhere/oci.conf [DEFAULT]",
    });
  });
});

describe("resolveOciCredentials, ApiKey: the config file and its profiles", () => {
  const config = `${HOME}/.oci/config`;

  function twoProfiles(ciExtra: Record<string, string> = {}, ciRemove: readonly string[] = []): string {
    const ci = profileText("CI", keys.stack, "~/.oci/ci.pem", ciExtra)
      .split("\n")
      .filter((line) => !ciRemove.some((key) => line.startsWith(`${key}=`)))
      .join("\n");
    return profileText("DEFAULT", keys.file, "~/.oci/default.pem") + ci;
  }

  function filesWith(text: string): Record<string, string> {
    return {
      [config]: text,
      [`${HOME}/.oci/ci.pem`]: keys.stack.privateKeyPem,
      [`${HOME}/.oci/default.pem`]: keys.file.privateKeyPem,
    };
  }

  it.each([
    ["oci:configFileProfile", { settings: { configFileProfile: "CI" }, env: {} }],
    ["TF_VAR_config_file_profile", { settings: {}, env: { TF_VAR_config_file_profile: "CI" } }],
    ["OCI_CONFIG_FILE_PROFILE", { settings: {}, env: { OCI_CONFIG_FILE_PROFILE: "CI" } }],
  ])("reads the profile named by %s", async (_name, named) => {
    const signer = apiKeySigner(await resolve({ ...named, files: filesWith(twoProfiles()) }));
    expect(signer).toMatchObject({
      userOcid: keys.stack.user,
      keyIdFrom: "~/.oci/config [CI]",
      keyFrom: "the key_file ~/.oci/ci.pem of ~/.oci/config [CI]",
    });
  });

  it("prefers oci:configFileProfile to TF_VAR_config_file_profile, and that to OCI_CONFIG_FILE_PROFILE", async () => {
    const text = twoProfiles() + profileText("OTHER", keys.oci, "~/.oci/ci.pem");
    const both = await resolve({
      settings: {},
      env: { TF_VAR_config_file_profile: "CI", OCI_CONFIG_FILE_PROFILE: "OTHER" },
      files: filesWith(text),
    });
    expect(apiKeySigner(both).keyIdFrom).toBe("~/.oci/config [CI]");
    const all = await resolve({
      settings: { configFileProfile: "OTHER" },
      env: { TF_VAR_config_file_profile: "CI" },
      files: filesWith(text),
    });
    expect(apiKeySigner(all).keyIdFrom).toBe("~/.oci/config [OTHER]");
  });

  it("takes the whole key id from DEFAULT when the profile lacks its user, and DEFAULT's key_file when it has none", async () => {
    const noUser = await resolve({
      settings: { configFileProfile: "CI" },
      env: {},
      files: filesWith(twoProfiles({}, ["user"])),
    });
    expect(apiKeySigner(noUser)).toMatchObject({
      userOcid: keys.file.user,
      tenancyOcid: keys.file.tenancy,
      keyIdFrom: "~/.oci/config [DEFAULT]",
      keyFrom: "the key_file ~/.oci/ci.pem of ~/.oci/config [CI]",
    });
    const noKeyFile = await resolve({
      settings: { configFileProfile: "CI" },
      env: {},
      files: filesWith(twoProfiles({}, ["key_file"])),
    });
    expect(apiKeySigner(noKeyFile)).toMatchObject({
      userOcid: keys.stack.user,
      keyFrom: "the key_file ~/.oci/default.pem of ~/.oci/config [DEFAULT]",
    });
  });

  it("refuses a profile the file does not have, or a file that does not exist, as the provider does", async () => {
    const missingProfile = await resolve({
      settings: { configFileProfile: "PROD" },
      env: {},
      files: filesWith(twoProfiles()),
    });
    expect(missingProfile.ok ? "" : missingProfile.message).toBe(
      "cannot resolve the OCI credentials for auth ApiKey (the default): ~/.oci/config has no profile [PROD] " +
        "(oci:configFileProfile (stack config)). Looked at, in the OCI provider's order: oci:configFileProfile (stack config); ~/.oci/config.",
    );
    const missingFile = await resolve({ settings: {}, env: { OCI_CONFIG_FILE_PROFILE: "PROD" }, files: {} });
    expect(missingFile.ok ? "" : missingFile.message).toBe(
      "cannot resolve the OCI credentials for auth ApiKey (the default): ~/.oci/config, which holds profile [PROD] " +
        "(OCI_CONFIG_FILE_PROFILE): no such file. Looked at, in the OCI provider's order: OCI_CONFIG_FILE_PROFILE; ~/.oci/config.",
    );
  });

  it("without a profile: ~/.oci/config, else $OCI_CONFIG_FILE, then ~/.oraclebmc/config", async () => {
    const elsewhere = "/etc/oci/config";
    const files = {
      [elsewhere]: profileText("DEFAULT", keys.oci, "/etc/oci/key.pem"),
      "/etc/oci/key.pem": keys.oci.privateKeyPem,
      [`${HOME}/.oraclebmc/config`]: profileText("DEFAULT", keys.tfVar, "~/.oraclebmc/key.pem"),
      [`${HOME}/.oraclebmc/key.pem`]: keys.tfVar.privateKeyPem,
    };
    const viaEnv = apiKeySigner(await resolve({ settings: {}, env: { OCI_CONFIG_FILE: elsewhere }, files }));
    expect(viaEnv.keyIdFrom).toBe("/etc/oci/config [DEFAULT]");
    const secondary = apiKeySigner(await resolve({ settings: {}, env: {}, files }));
    expect(secondary.keyIdFrom).toBe("~/.oraclebmc/config [DEFAULT]");
    const primary = apiKeySigner(
      await resolve({
        settings: {},
        env: { OCI_CONFIG_FILE: elsewhere },
        files: { ...files, ...filesWith(twoProfiles()) },
      }),
    );
    expect(primary.keyIdFrom).toBe("~/.oci/config [DEFAULT]");
  });

  it("reads values as the Go SDK does: case-insensitive keys, trimmed, up to a second '='", async () => {
    const text = [
      "# a comment = ignored",
      "[DEFAULT]",
      `  USER = ${keys.file.user}  `,
      `Fingerprint=${keys.file.fingerprint}`,
      `tenancy=${keys.file.tenancy}`,
      "key_file=~/.oci/default.pem",
      "[NEXT]",
      "user=ocid1.user.oc1..notthisone",
      "",
    ].join("\n");
    const signer = apiKeySigner(await resolve({ settings: {}, env: {}, files: filesWith(text) }));
    expect(signer).toMatchObject({
      userOcid: keys.file.user,
      fingerprint: keys.file.fingerprint,
      tenancyOcid: keys.file.tenancy,
    });
  });
});
