/**
 * The `auth` modes other than a plain API key: how `auth` is read, SecurityToken profiles, the principals, and
 * the modes oci-common cannot sign with. Files are in memory (credentialFixtures.ts).
 */
import { describe, expect, it } from "vitest";

import {
  checkCredentialsResolvable,
  resolveOciCredentials,
  type CredentialResolution,
} from "../../../components/signing";
import { fakeFiles, HOME, labelledKey, profileText, sources, type FakeFiles } from "./credentialFixtures";

const deployer = labelledKey("deployer");
const session = labelledKey("session");

/** A token-shaped JWT with this `exp` (seconds); the resolver reads `exp` only, as the SDKs do. */
function jwt(exp: number): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${part({ alg: "RS256", typ: "JWT" })}.${part({ sub: "ocid1.user.oc1..someone", exp })}.c2lnbmF0dXJl`;
}

const NOW = Date.parse("2026-03-01T12:00:00Z");
const VALID_TOKEN = jwt(NOW / 1000 + 3600);
const EXPIRED_TOKEN = jwt(NOW / 1000 - 60);

function message(resolution: CredentialResolution): string {
  if (resolution.ok) throw new Error(`expected a failure, got: ${resolution.credentials.summary}`);
  return resolution.message;
}

/** `oci session authenticate --profile-name ci`: a profile without `user`, with a token and a session key. */
function sessionFiles(
  token = VALID_TOKEN,
  extra: Record<string, string> = {},
  remove: readonly string[] = [],
): FakeFiles {
  const profile = profileText("ci", session, "~/.oci/sessions/ci/oci_api_key.pem", {
    security_token_file: "~/.oci/sessions/ci/token",
    ...extra,
  })
    .split("\n")
    .filter((line) => !line.startsWith("user=") && !remove.some((key) => line.startsWith(`${key}=`)))
    .join("\n");
  return fakeFiles({
    [`${HOME}/.oci/config`]: profileText("DEFAULT", deployer, "~/.oci/deployer.pem") + profile,
    [`${HOME}/.oci/deployer.pem`]: deployer.privateKeyPem,
    [`${HOME}/.oci/sessions/ci/oci_api_key.pem`]: session.privateKeyPem,
    [`${HOME}/.oci/sessions/ci/token`]: token,
  });
}

const SECURITY_TOKEN = { auth: "SecurityToken", region: "us-ashburn-1", configFileProfile: "ci" };

describe("resolveOciCredentials: the auth setting", () => {
  it.each([
    ["the default", {}, {}],
    ["oci:auth (stack config)", { auth: "apikey" }, { TF_VAR_auth: "SecurityToken" }],
    ["TF_VAR_auth", {}, { TF_VAR_auth: "APIKEY", OCI_AUTH: "SecurityToken" }],
    ["OCI_AUTH", {}, { OCI_AUTH: "ApiKey" }],
  ])("reads it from %s, whatever its case", async (from, settings, env) => {
    const fs = fakeFiles({
      [`${HOME}/.oci/config`]: profileText("DEFAULT", deployer, "~/.oci/deployer.pem"),
      [`${HOME}/.oci/deployer.pem`]: deployer.privateKeyPem,
    });
    const resolution = await resolveOciCredentials(sources(fs, settings, env));
    expect(resolution.ok && [resolution.credentials.auth, resolution.credentials.authFrom]).toEqual([
      "ApiKey",
      from,
    ]);
  });

  it("names the allowed values when auth names none", async () => {
    expect(message(await resolveOciCredentials(sources(fakeFiles(), {}, { OCI_AUTH: "Password" })))).toBe(
      'cannot resolve the OCI credentials: OCI_AUTH is "Password": auth must be one of ApiKey, InstancePrincipal, ' +
        "InstancePrincipalWithCerts, SecurityToken, ResourcePrincipal, OKEWorkloadIdentity, WorkloadIdentityFederation. " +
        "Looked at, in the OCI provider's order: oci:auth (stack config); TF_VAR_auth; OCI_AUTH.",
    );
  });

  it.each(["InstancePrincipalWithCerts", "WorkloadIdentityFederation"])(
    "says oci-common cannot sign with %s",
    async (auth) => {
      expect(message(await resolveOciCredentials(sources(fakeFiles(), { auth })))).toBe(
        `cannot resolve the OCI credentials for auth ${auth} (oci:auth (stack config)): oci-common, which signs these ` +
          "requests, has no provider for it; use ApiKey, SecurityToken, InstancePrincipal, ResourcePrincipal, OKEWorkloadIdentity.",
      );
    },
  );
});

describe("resolveOciCredentials: SecurityToken", () => {
  it("signs with the profile's token and session key, and says until when the token is valid", async () => {
    const resolution = await resolveOciCredentials(
      sources(sessionFiles(), SECURITY_TOKEN, {}, { now: () => NOW }),
    );
    expect(resolution.ok && resolution.credentials.signer).toEqual({
      kind: "securityToken",
      configFile: `${HOME}/.oci/config`,
      profile: "ci",
      tokenFile: `${HOME}/.oci/sessions/ci/token`,
      keyFile: `${HOME}/.oci/sessions/ci/oci_api_key.pem`,
      expiresAt: NOW + 3600_000,
    });
    expect(resolution.ok && resolution.credentials.summary).toBe(
      "the security token of profile [ci] of ~/.oci/config (~/.oci/sessions/ci/token, valid until 2026-03-01T13:00:00.000Z; " +
        "session key from the key_file ~/.oci/sessions/ci/oci_api_key.pem of ~/.oci/config [ci])",
    );
  });

  it("needs a region and a profile, as the provider does", async () => {
    expect(message(await resolveOciCredentials(sources(sessionFiles(), { auth: "SecurityToken" })))).toBe(
      "cannot resolve the OCI credentials for auth SecurityToken (oci:auth (stack config)): it needs a region " +
        "(oci:region (stack config), TF_VAR_region, OCI_REGION) and the profile `oci session authenticate` wrote " +
        "(oci:configFileProfile (stack config), TF_VAR_config_file_profile, OCI_CONFIG_FILE_PROFILE), as the OCI provider does. " +
        "Looked at, in the OCI provider's order: oci:region (stack config); TF_VAR_region; OCI_REGION; " +
        "oci:configFileProfile (stack config); TF_VAR_config_file_profile; OCI_CONFIG_FILE_PROFILE.",
    );
    const fromEnv = await resolveOciCredentials(
      sources(
        sessionFiles(),
        {},
        { TF_VAR_auth: "SecurityToken", OCI_REGION: "eu-frankfurt-1", TF_VAR_config_file_profile: "ci" },
        { now: () => NOW },
      ),
    );
    expect(fromEnv.ok && fromEnv.credentials.signer.kind).toBe("securityToken");
  });

  it("says when the token has expired, and how to get a fresh one", async () => {
    const resolution = await resolveOciCredentials(
      sources(sessionFiles(EXPIRED_TOKEN), SECURITY_TOKEN, {}, { now: () => NOW }),
    );
    expect(message(resolution)).toContain(
      ": the security token of profile [ci] of ~/.oci/config (~/.oci/sessions/ci/token) expired at 2026-03-01T11:59:00.000Z: " +
        "run `oci session refresh --profile ci` or `oci session authenticate` again. Looked at",
    );
  });

  it("opens an encrypted session key with oci:privateKeyPassword before the profile's pass_phrase", async () => {
    const fs = sessionFiles(VALID_TOKEN, { pass_phrase: "not-the-passphrase" });
    fs.files.set(`${HOME}/.oci/sessions/ci/oci_api_key.pem`, session.encryptedPem);
    const resolution = await resolveOciCredentials(
      sources(fs, { ...SECURITY_TOKEN, privateKeyPassword: session.passphrase }, {}, { now: () => NOW }),
    );
    expect(resolution.ok && resolution.credentials.signer.kind).toBe("securityToken");
    const withoutPassword = await resolveOciCredentials(sources(fs, SECURITY_TOKEN, {}, { now: () => NOW }));
    expect(message(withoutPassword)).toContain(
      "~/.oci/config [ci] as a security-token profile (private key: its key_file ~/.oci/sessions/ci/oci_api_key.pem does not open with the passphrase given)",
    );
  });

  it("falls back to the settings' API key when the profile has no token, as the provider's chain does", async () => {
    const fs = sessionFiles(VALID_TOKEN, {}, ["security_token_file"]);
    fs.files.set("/keys/deployer.pem", deployer.privateKeyPem);
    const resolution = await resolveOciCredentials(
      sources(fs, {
        ...SECURITY_TOKEN,
        tenancyOcid: deployer.tenancy,
        userOcid: deployer.user,
        fingerprint: deployer.fingerprint,
        privateKeyPath: "/keys/deployer.pem",
      }),
    );
    expect(resolution.ok && resolution.credentials.signer).toMatchObject({
      kind: "apiKey",
      userOcid: deployer.user,
    });
  });

  it("refuses a token whose session key is not usable, rather than sign it with another key", async () => {
    const fs = sessionFiles();
    fs.files.delete(`${HOME}/.oci/sessions/ci/oci_api_key.pem`);
    expect(
      message(await resolveOciCredentials(sources(fs, SECURITY_TOKEN, {}, { now: () => NOW }))),
    ).toContain(
      ": the security token of profile [ci] of ~/.oci/config is signed with its session key, the profile's key_file, and that key is not usable " +
        "(the first usable key is the key_file ~/.oci/deployer.pem of ~/.oci/config [DEFAULT]). Looked at",
    );
  });

  it("needs a region in the profile or OCI_REGION, without which oci-common does not load a profile", async () => {
    const fs = sessionFiles(VALID_TOKEN, {}, ["region"]);
    fs.files.set(
      `${HOME}/.oci/config`,
      (fs.files.get(`${HOME}/.oci/config`) ?? "").replace("region=us-ashburn-1\n", ""),
    );
    expect(
      message(await resolveOciCredentials(sources(fs, SECURITY_TOKEN, {}, { now: () => NOW }))),
    ).toContain(
      ": profile [ci] of ~/.oci/config has no region, and OCI_REGION is unset: oci-common needs one to load the profile. Looked at",
    );
    const withEnv = await resolveOciCredentials(
      sources(fs, SECURITY_TOKEN, { OCI_REGION: "us-ashburn-1" }, { now: () => NOW }),
    );
    expect(withEnv.ok).toBe(true);
  });

  it("signs with a session profile's token under ApiKey too, as the SDK's file provider does for a profile without user", async () => {
    const resolution = await resolveOciCredentials(
      sources(sessionFiles(), { configFileProfile: "ci" }, {}, { now: () => NOW }),
    );
    expect(resolution.ok && [resolution.credentials.auth, resolution.credentials.signer.kind]).toEqual([
      "ApiKey",
      "securityToken",
    ]);
  });

  it("expands ~/ in security_token_file", async () => {
    const fs = sessionFiles();
    await resolveOciCredentials(sources(fs, SECURITY_TOKEN, {}, { now: () => NOW }));
    expect(fs.reads).toContain(`${HOME}/.oci/sessions/ci/token`);
    expect(fs.reads.some((path) => path.includes("~"))).toBe(false);
  });
});

describe("resolveOciCredentials: principals", () => {
  it("InstancePrincipal needs a region, and names the API-key settings it ignores", async () => {
    expect(message(await resolveOciCredentials(sources(fakeFiles(), { auth: "InstancePrincipal" })))).toBe(
      "cannot resolve the OCI credentials for auth InstancePrincipal (oci:auth (stack config)): no region is set. Looked at: " +
        "oci:region (stack config), TF_VAR_region, OCI_REGION, the instance metadata service (when the step runs).",
    );
    const resolution = await resolveOciCredentials(
      sources(
        fakeFiles(),
        { auth: "InstancePrincipal", userOcid: deployer.user },
        { TF_VAR_region: "us-phoenix-1", OCI_PRIVATE_KEY_PATH: "/k.pem" },
      ),
    );
    expect(resolution.ok && resolution.credentials.signer).toEqual({
      kind: "instancePrincipal",
      region: "us-phoenix-1",
    });
    expect(resolution.ok && resolution.credentials.summary).toBe(
      'the instance principal of this compute instance (its certificate from the instance metadata service when the step runs; region "us-phoenix-1" from TF_VAR_region); ' +
        "ignored, as the provider ignores them: oci:userOcid (stack config), OCI_PRIVATE_KEY_PATH",
    );
  });

  const RP_ENV = {
    OCI_RESOURCE_PRINCIPAL_VERSION: "2.2",
    OCI_RESOURCE_PRINCIPAL_RPST: VALID_TOKEN,
    OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM: session.privateKeyPem,
    OCI_RESOURCE_PRINCIPAL_REGION: "us-ashburn-1",
  };

  it("ResourcePrincipal reads the version 2.2 variables, the token and key inline or as absolute paths", async () => {
    const inline = await resolveOciCredentials(
      sources(fakeFiles(), { auth: "ResourcePrincipal" }, RP_ENV, { now: () => NOW }),
    );
    expect(inline.ok && inline.credentials.signer).toEqual({
      kind: "resourcePrincipal",
      region: "us-ashburn-1",
    });
    const fs = fakeFiles({
      "/rp/rpst": VALID_TOKEN,
      "/rp/key.pem": session.encryptedPem,
      "/rp/pass": session.passphrase,
    });
    const paths = await resolveOciCredentials(
      sources(
        fs,
        { auth: "ResourcePrincipal" },
        {
          ...RP_ENV,
          OCI_RESOURCE_PRINCIPAL_RPST: "/rp/rpst",
          OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM: "/rp/key.pem",
          OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM_PASSPHRASE: "/rp/pass",
        },
        { now: () => NOW },
      ),
    );
    expect(paths.ok && paths.credentials.summary).toBe(
      'the resource principal of OCI_RESOURCE_PRINCIPAL_RPST and OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM (version 2.2, region "us-ashburn-1"), ' +
        "its token valid until 2026-03-01T13:00:00.000Z",
    );
  });

  it("ResourcePrincipal says everything that is missing or wrong in one message", async () => {
    expect(
      message(await resolveOciCredentials(sources(fakeFiles(), {}, { OCI_AUTH: "ResourcePrincipal" }))),
    ).toBe(
      "cannot resolve the OCI credentials for auth ResourcePrincipal (OCI_AUTH): OCI_RESOURCE_PRINCIPAL_VERSION is unset; " +
        "OCI_RESOURCE_PRINCIPAL_RPST is unset; OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM is unset; OCI_RESOURCE_PRINCIPAL_REGION is unset. " +
        "Looked at: OCI_RESOURCE_PRINCIPAL_VERSION, OCI_RESOURCE_PRINCIPAL_RPST, OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM, " +
        "OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM_PASSPHRASE, OCI_RESOURCE_PRINCIPAL_REGION.",
    );
    const wrong = await resolveOciCredentials(
      sources(
        fakeFiles(),
        { auth: "ResourcePrincipal" },
        {
          ...RP_ENV,
          OCI_RESOURCE_PRINCIPAL_VERSION: "2.1",
          OCI_RESOURCE_PRINCIPAL_RPST: EXPIRED_TOKEN,
          OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM: "/rp/missing.pem",
          OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM_PASSPHRASE: "inline-passphrase",
        },
        { now: () => NOW },
      ),
    );
    expect(message(wrong)).toBe(
      "cannot resolve the OCI credentials for auth ResourcePrincipal (oci:auth (stack config)): " +
        'OCI_RESOURCE_PRINCIPAL_VERSION is "2.1", and oci-common supports only "2.2"; ' +
        "OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM names /rp/missing.pem: no such file; " +
        "OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM is a path, so OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM_PASSPHRASE must be one too (oci-common); " +
        "the token of OCI_RESOURCE_PRINCIPAL_RPST expired at 2026-03-01T11:59:00.000Z. " +
        "Looked at: OCI_RESOURCE_PRINCIPAL_VERSION, OCI_RESOURCE_PRINCIPAL_RPST, OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM, " +
        "OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM_PASSPHRASE, OCI_RESOURCE_PRINCIPAL_REGION.",
    );
  });

  it("OKEWorkloadIdentity needs the proxymux variables and the pod's service-account files", async () => {
    expect(message(await resolveOciCredentials(sources(fakeFiles(), { auth: "OKEWorkloadIdentity" })))).toBe(
      "cannot resolve the OCI credentials for auth OKEWorkloadIdentity (oci:auth (stack config)): KUBERNETES_SERVICE_HOST is unset; " +
        "KUBERNETES_SERVICE_PORT_PROXYMUX is unset; /var/run/secrets/kubernetes.io/serviceaccount/ca.crt: no such file; " +
        "/var/run/secrets/kubernetes.io/serviceaccount/token: no such file. Looked at: KUBERNETES_SERVICE_HOST, " +
        "KUBERNETES_SERVICE_PORT_PROXYMUX, /var/run/secrets/kubernetes.io/serviceaccount/ca.crt, /var/run/secrets/kubernetes.io/serviceaccount/token.",
    );
    const pod = fakeFiles({
      "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt": "-----BEGIN CERTIFICATE-----",
      "/var/run/secrets/kubernetes.io/serviceaccount/token": VALID_TOKEN,
    });
    const resolution = await resolveOciCredentials(
      sources(
        pod,
        { auth: "OKEWorkloadIdentity" },
        { KUBERNETES_SERVICE_HOST: "10.96.0.1", KUBERNETES_SERVICE_PORT_PROXYMUX: "12250" },
      ),
    );
    expect(resolution.ok && resolution.credentials.signer).toEqual({ kind: "okeWorkloadIdentity" });
  });
});

describe("an explicit provider's settings", () => {
  it("are named as the provider's arguments, and still fall back to the environment", async () => {
    const resolution = await resolveOciCredentials(
      sources(
        fakeFiles(),
        { tenancyOcid: deployer.tenancy },
        { TF_VAR_user_ocid: deployer.user },
        {
          origin: { kind: "provider", name: "acme-frankfurt" },
        },
      ),
    );
    expect(message(resolution)).toContain(
      '(key id: fingerprint of provider "acme-frankfurt", TF_VAR_fingerprint, OCI_FINGERPRINT unset; ' +
        'private key: privateKey of provider "acme-frankfurt", TF_VAR_private_key, OCI_PRIVATE_KEY, ' +
        'privateKeyPath of provider "acme-frankfurt", TF_VAR_private_key_path, OCI_PRIVATE_KEY_PATH unset)',
    );
  });
});

describe("checkCredentialsResolvable", () => {
  it("answers ok with what would sign, or the resolution's one message", async () => {
    const fs = fakeFiles({
      [`${HOME}/.oci/config`]: profileText("DEFAULT", deployer, "~/.oci/deployer.pem"),
      [`${HOME}/.oci/deployer.pem`]: deployer.privateKeyPem,
    });
    expect(await checkCredentialsResolvable(sources(fs))).toEqual({
      ok: true,
      summary:
        `the API key "${deployer.fingerprint}" of user "${deployer.user}" in tenancy "${deployer.tenancy}" ` +
        "(key id from ~/.oci/config [DEFAULT]; private key from the key_file ~/.oci/deployer.pem of ~/.oci/config [DEFAULT])",
    });
    expect(await checkCredentialsResolvable(sources(fakeFiles()))).toEqual({
      ok: false,
      message:
        "cannot resolve the OCI credentials for auth ApiKey (the default): found no key id (a tenancy, user and fingerprint in one place) " +
        "and no usable private key. Looked at, in the OCI provider's order: the provider settings (key id: oci:tenancyOcid (stack config), " +
        "TF_VAR_tenancy_ocid, OCI_TENANCY_OCID, oci:userOcid (stack config), TF_VAR_user_ocid, OCI_USER_OCID, oci:fingerprint (stack config), " +
        "TF_VAR_fingerprint, OCI_FINGERPRINT unset; private key: oci:privateKey (stack config), TF_VAR_private_key, OCI_PRIVATE_KEY, " +
        "oci:privateKeyPath (stack config), TF_VAR_private_key_path, OCI_PRIVATE_KEY_PATH unset); ~/.oci/config [DEFAULT] (no such file); " +
        "~/.oraclebmc/config [DEFAULT] (no such file).",
    });
  });
});
