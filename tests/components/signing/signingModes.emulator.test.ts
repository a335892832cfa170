/**
 * Each auth mode, resolved as the deactivation step will resolve it when it runs, signs a request that the
 * emulator on loopback verifies: the API key's signature against the key it trusts, a security token's against the
 * session key in the token it minted. Files are real (a temporary home folder) and read with node:fs.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

import * as common from "oci-common";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";

import { createHttpClient, isHttpError } from "../../../components/http";
import {
  createSignedClient,
  signingProviderFor,
  type CredentialSources,
  type OciProviderSettings,
} from "../../../components/signing";
import { useEmulator, type EmulatorFixture } from "../../support/emulator";
import { newSessionKey, securityTokenProvider } from "../../tools/emulator/ociSigning";
import { labelledKey, profileText } from "./credentialFixtures";

const deployer = labelledKey("deployer");
const rotated = labelledKey("rotated");
const sessionKey = newSessionKey();

/** Trusts the deployer's API key, with its tenancy and user. */
const env = useEmulator({
  adminPublicKeyPem: deployer.publicKeyPem,
  adminKeyTenancyOcid: deployer.tenancy,
  adminKeyUserOcid: deployer.user,
});
/** Trusts the key the deployer rotated to (same user, new key and fingerprint). */
const afterRotation = useEmulator({
  http: true,
  adminPublicKeyPem: rotated.publicKeyPem,
  adminKeyTenancyOcid: deployer.tenancy,
  adminKeyUserOcid: deployer.user,
});

const homes: string[] = [];
afterAll(() => {
  for (const home of homes) rmSync(home, { recursive: true, force: true });
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

/** A fresh home folder holding these files (paths relative to it). */
function home(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "oci-home-"));
  homes.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text, { mode: 0o600 });
  }
  return dir;
}

function sourcesFor(
  settings: OciProviderSettings,
  homeDir: string,
  environment: CredentialSources["env"] = {},
): CredentialSources {
  return { settings, env: environment, homeDir, cwd: homeDir };
}

/** A signed client to `fixture`'s identity domain. */
function clientFor(fixture: EmulatorFixture, provider: common.AuthenticationDetailsProvider) {
  const { caFile } = fixture.emu;
  return createSignedClient(
    createHttpClient({
      caFile: caFile ?? undefined,
      allowPlainHttpOnLoopback: caFile === null,
      timeoutMs: 5_000,
    }),
    provider,
  );
}

/** What the step does: deactivate an app, signed; the emulator then has it inactive. */
async function deactivates(
  fixture: EmulatorFixture,
  provider: common.AuthenticationDetailsProvider,
): Promise<void> {
  const app = await fixture.createClient();
  const response = await clientFor(fixture, provider).request({
    method: "PUT",
    url: `${fixture.emu.idcsUrl}/admin/v1/AppStatusChanger/${app.appId}`,
    body: { active: false, schemas: ["urn:ietf:params:scim:schemas:oracle:idcs:AppStatusChanger"] },
  });
  expect(response.status).toBe(200);
  expect(fixture.emu.control.state().apps.find((one) => one.id === app.appId)?.active).toBe(false);
}

describe("ApiKey", () => {
  it("from TF_VAR_* alone, with no config file: the key path's ~ is the home folder", async () => {
    const dir = home({ "keys/deployer.pem": deployer.privateKeyPem });
    const { provider, credentials } = await signingProviderFor(
      sourcesFor({}, dir, {
        TF_VAR_tenancy_ocid: deployer.tenancy,
        TF_VAR_user_ocid: deployer.user,
        TF_VAR_fingerprint: deployer.fingerprint,
        TF_VAR_private_key_path: "~/keys/deployer.pem",
      }),
    );
    expect(credentials.summary).toContain(
      "(key id from TF_VAR_tenancy_ocid, TF_VAR_user_ocid, TF_VAR_fingerprint;",
    );
    await deactivates(env, provider);
  });

  it("from a profile of the config file, with an encrypted key and its pass_phrase", async () => {
    const dir = home({
      ".oci/config": profileText("DEPLOY", deployer, "~/.oci/deployer.pem", {
        pass_phrase: deployer.passphrase,
      }),
      ".oci/deployer.pem": deployer.encryptedPem,
    });
    const { provider } = await signingProviderFor(sourcesFor({ configFileProfile: "DEPLOY" }, dir));
    await deactivates(env, provider);
  });

  it("after a key rotation (a new key file, a new fingerprint), resolves and signs with the new key", async () => {
    const dir = home({
      ".oci/config": profileText("DEFAULT", deployer, "~/.oci/oci_api_key.pem"),
      ".oci/oci_api_key.pem": deployer.privateKeyPem,
    });
    const before = await signingProviderFor(sourcesFor({}, dir));
    expect(before.credentials.signer).toMatchObject({ fingerprint: deployer.fingerprint });

    // The deployer rotates: a new key file, and the profile names it and its fingerprint.
    writeFileSync(join(dir, ".oci/oci_api_key_2.pem"), rotated.privateKeyPem, { mode: 0o600 });
    writeFileSync(
      join(dir, ".oci/config"),
      profileText(
        "DEFAULT",
        { ...rotated, user: deployer.user, tenancy: deployer.tenancy },
        "~/.oci/oci_api_key_2.pem",
      ),
    );
    const after = await signingProviderFor(sourcesFor({}, dir));
    expect(after.credentials.signer).toMatchObject({
      fingerprint: rotated.fingerprint,
      keyFrom: "the key_file ~/.oci/oci_api_key_2.pem of ~/.oci/config [DEFAULT]",
    });
    // The domain now knows only the new key: what was resolved before the rotation is refused.
    const refused = await clientFor(afterRotation, before.provider)
      .request({ method: "GET", url: `${afterRotation.emu.idcsUrl}/admin/v1/Apps?count=1` })
      .catch((error: unknown) => error);
    expect(isHttpError(refused) && refused.status).toBe(401);
    await deactivates(afterRotation, after.provider);
  });
});

describe("SecurityToken (oci session authenticate)", () => {
  async function sessionHome(keyPem: string, extra: Record<string, string> = {}): Promise<string> {
    const token = await env.emu.control.mintSecurityToken({
      publicKeyPem: sessionKey.publicKeyPem,
      subject: "ocid1.user.oc1..aaaaaaaasessionuser",
    });
    const dir = home({
      ".oci/sessions/ci/token": token,
      ".oci/sessions/ci/oci_api_key.pem": keyPem,
    });
    writeFileSync(
      join(dir, ".oci/config"),
      [
        "[ci]",
        `fingerprint=${deployer.fingerprint}`,
        "key_file=~/.oci/sessions/ci/oci_api_key.pem",
        `tenancy=${deployer.tenancy}`,
        "region=us-ashburn-1",
        "security_token_file=~/.oci/sessions/ci/token",
        ...Object.entries(extra).map(([key, value]) => `${key}=${value}`),
        "",
      ].join("\n"),
    );
    // oci-common's SessionAuthDetailProvider reads the profile's files itself and expands ~ with os.homedir().
    vi.stubEnv("HOME", dir);
    return dir;
  }

  it("signs with ST$<token> and the session key through oci-common's SessionAuthDetailProvider", async () => {
    const dir = await sessionHome(sessionKey.privateKeyPem);
    const { provider, credentials } = await signingProviderFor(
      sourcesFor({ auth: "SecurityToken", region: "us-ashburn-1", configFileProfile: "ci" }, dir),
    );
    expect(provider).toBeInstanceOf(common.SessionAuthDetailProvider);
    expect(credentials.signer.kind).toBe("securityToken");
    expect(await provider.getKeyId()).toMatch(/^ST\$ey/);
    await deactivates(env, provider);
    const created = await clientFor(env, provider).request({
      method: "POST",
      url: `${env.emu.idcsUrl}/admin/v1/Apps`,
      body: {
        schemas: ["urn:ietf:params:scim:schemas:oracle:idcs:App"],
        displayName: "made-in-a-session",
        basedOnTemplate: { value: "CustomWebAppTemplateId" },
        isOAuthClient: true,
        clientType: "confidential",
        allowedGrants: ["client_credentials"],
      },
    });
    expect((JSON.parse(created.body) as { idcsCreatedBy: { display: string } }).idcsCreatedBy.display).toBe(
      "ocid1.user.oc1..aaaaaaaasessionuser",
    );
  });

  it("opens an encrypted session key with oci:privateKeyPassword", async () => {
    const { createPrivateKey } = await import("node:crypto");
    const encrypted = createPrivateKey(sessionKey.privateKeyPem)
      .export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase: "session-pass" })
      .toString();
    const dir = await sessionHome(encrypted);
    const { provider } = await signingProviderFor(
      sourcesFor(
        {
          auth: "SecurityToken",
          region: "us-ashburn-1",
          configFileProfile: "ci",
          privateKeyPassword: "session-pass",
        },
        dir,
      ),
    );
    await deactivates(env, provider);
  });
});

describe("ResourcePrincipal (OCI_RESOURCE_PRINCIPAL_VERSION 2.2)", () => {
  it.each(["inline values", "absolute paths"])(
    "signs with the RPST and its key through oci-common's builder, given as %s",
    async (form) => {
      const rpst = await env.emu.control.mintSecurityToken({
        publicKeyPem: sessionKey.publicKeyPem,
        kind: "resource",
        subject: "ocid1.fnfunc.oc1..aaaaaaaafunction",
      });
      const dir = home({ "rp/rpst": rpst, "rp/private.pem": sessionKey.privateKeyPem });
      const inline = form === "inline values";
      // oci-common's builder reads these from process.env, so they are set there.
      vi.stubEnv("OCI_RESOURCE_PRINCIPAL_VERSION", "2.2");
      vi.stubEnv("OCI_RESOURCE_PRINCIPAL_RPST", inline ? rpst : join(dir, "rp/rpst"));
      vi.stubEnv(
        "OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM",
        inline ? sessionKey.privateKeyPem : join(dir, "rp/private.pem"),
      );
      vi.stubEnv("OCI_RESOURCE_PRINCIPAL_REGION", "us-ashburn-1");
      const { provider } = await signingProviderFor(
        sourcesFor({ auth: "ResourcePrincipal" }, dir, process.env),
      );
      expect(provider).toBeInstanceOf(common.ResourcePrincipalAuthenticationDetailsProvider);
      await deactivates(env, provider);
    },
  );
});

/**
 * The instance principal and the OKE workload identity get their token from services that cannot be reached
 * here (the instance metadata endpoint 169.254.169.254 and OCI's federation endpoint; the OKE proxymux). The
 * boundary is oci-common's builder: these tests check that the resolver picks that builder and signs with what it
 * builds, here a provider holding a token the emulator minted, as the federation endpoint would issue one.
 */
describe("principals whose services are out of reach, stubbed at oci-common's builder", () => {
  async function federatedProvider(subject: string): Promise<common.AuthenticationDetailsProvider> {
    const token = await env.emu.control.mintSecurityToken({ publicKeyPem: sessionKey.publicKeyPem, subject });
    return securityTokenProvider(token, sessionKey);
  }

  it("InstancePrincipal: InstancePrincipalsAuthenticationDetailsProviderBuilder builds the signer", async () => {
    const stub = await federatedProvider("ocid1.instance.oc1..aaaaaaaainstance");
    const build = vi
      .spyOn(common.InstancePrincipalsAuthenticationDetailsProviderBuilder.prototype, "build")
      .mockResolvedValue(stub as never);
    const { provider } = await signingProviderFor(
      sourcesFor({ auth: "InstancePrincipal", region: "us-ashburn-1" }, tmpdir()),
    );
    expect(build).toHaveBeenCalledTimes(1);
    expect(provider).toBe(stub);
    await deactivates(env, provider);
  });

  it("OKEWorkloadIdentity: OkeWorkloadIdentityAuthenticationDetailsProvider's builder builds the signer", async () => {
    const stub = await federatedProvider("ocid1.cluster.oc1..aaaaaaaaworkload");
    const Builder =
      common.OkeWorkloadIdentityAuthenticationDetailsProvider
        .OkeWorkloadIdentityAuthenticationDetailsProviderBuilder;
    const build = vi.spyOn(Builder.prototype, "build").mockReturnValue(stub);
    const pod: Record<string, string> = {
      "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt": "-----BEGIN CERTIFICATE-----",
      "/var/run/secrets/kubernetes.io/serviceaccount/token": "service-account-token",
    };
    const { provider } = await signingProviderFor({
      settings: { auth: "OKEWorkloadIdentity" },
      env: { KUBERNETES_SERVICE_HOST: "10.96.0.1", KUBERNETES_SERVICE_PORT_PROXYMUX: "12250" },
      readFile: (path) =>
        path in pod ? Promise.resolve(pod[path] ?? "") : Promise.reject(new Error("ENOENT")),
    });
    expect(build).toHaveBeenCalledTimes(1);
    await deactivates(env, provider);
  });
});
