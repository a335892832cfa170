/**
 * Issue 11 with the real engine: the deactivation step keeps no credentials and resolves them when it runs, as the
 * OCI provider does. An `up` with credentials only in `TF_VAR_*` and an empty home folder, then a plain
 * `pulumi destroy` from another working directory, on "another runner" (another home folder) after a key rotation;
 * the same with a security token of `oci session authenticate`; the state export holds no key and no path of the
 * machines that ran it; and with nothing resolvable, `up` stops before anything is created.
 *
 * The emulator's CA is trusted the way a corporate CA would be: `verification.caFile: ~/ca.pem` in each home
 * folder (written so, kept so, read when each step runs), and `SSL_CERT_FILE` for the OCI provider's TLS.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { expectSuccess, PROJECT_ROOT, type StackConfig } from "../../tools/engine/engineStack";
import { newDeployerKey } from "../../tools/rehearsal/deployerKey";
import { newSessionKey } from "../tools/emulator/ociSigning";
import { adminCounts, pemBody, signedCall } from "./emulatorRecords";
import { useEngine, type ClientConfig } from "./fixture";

/** The key the deployer rotates to: the same user and tenancy as the fixture's key, a new key pair. */
const rotated = newDeployerKey();

const env = useEngine({
  emulator: {
    trustedApiKeys: [{ publicKeyPem: rotated.publicKeyPem }],
  },
});

const REPORTING: ClientConfig = { name: "reporting", roles: ["ServiceUser"], scopes: ["icApi"] };
const DEACTIVATION = "pulumi-nodejs:dynamic/oic-client-provisioner:AppDeactivation";

// Nothing of this process's environment may stand in for what a test sets: each command gets what it says.
for (const name of Object.keys(process.env)) {
  if (/^(TF_VAR_|OCI_)/.test(name)) delete process.env[name];
}

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A fresh folder with these files (paths relative to it). */
function folder(prefix: string, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text, { mode: 0o600 });
  }
  return dir;
}

/** A runner's home folder: the emulator's CA at ~/ca.pem and these files; no ~/.oci/config unless given. */
function homeWith(files: Record<string, string>): string {
  return folder("oic-home-", { "ca.pem": readFileSync(env.emu.caFile ?? "", "utf8"), ...files });
}

/**
 * Another working directory with the project in it, as another checkout would be: Pulumi.yaml, and the
 * node_modules where the dynamic provider host finds @pulumi/pulumi (pulumi/pulumi#5455).
 */
function otherCheckout(): string {
  const dir = folder("oic-checkout-");
  cpSync(join(PROJECT_ROOT, "Pulumi.yaml"), join(dir, "Pulumi.yaml"));
  mkdirSync(join(dir, "stacks"));
  symlinkSync(join(PROJECT_ROOT, "node_modules"), join(dir, "node_modules"));
  return dir;
}

/** The stack config with no `oci:` key at all and the CA as `~/ca.pem`: everything else comes from the runner. */
function configWithoutOciKeys(): StackConfig {
  const config = env.config([REPORTING]);
  return { ...config, oci: {}, program: { ...config.program, verification: { caFile: "~/ca.pem" } } };
}

/** Each AppStatusChanger call and each app delete since `mark`: method, status and who signed it. */
function signedSince(mark: number): string[] {
  return env.emu.control
    .requests()
    .slice(mark)
    .filter(
      (request) =>
        request.path.startsWith("/admin/v1/AppStatusChanger/") ||
        (request.method === "DELETE" && request.path.startsWith("/admin/v1/Apps/")),
    )
    .map(signedCall);
}

interface ExportedResource {
  readonly type: string;
  readonly inputs?: Record<string, unknown>;
  readonly outputs?: Record<string, unknown>;
}

function resourcesOf(exported: string): ExportedResource[] {
  return (JSON.parse(exported) as { deployment: { resources: ExportedResource[] } }).deployment.resources;
}

function withoutProvider(values: Record<string, unknown> | undefined): Record<string, unknown> {
  const { __provider: _code, ...rest } = values ?? {};
  return rest;
}

const deployer = () => env.key.credentials;
const keyIdOf = (fingerprint: string) => `${deployer().tenancyOcid}/${deployer().userOcid}/${fingerprint}`;

describe("destroy with credentials resolved when it runs, none kept", () => {
  beforeAll(() => {
    // A home folder with the CA alone: nothing the test's own home holds may help a command.
    env.stack.setEnv({ HOME: homeWith({}) });
  });

  it("stops `up` before anything is created when the step could not sign, naming where it looked", async () => {
    await env.stack.writeConfig(configWithoutOciKeys());
    const mark = env.emu.control.requests().length;
    const up = await env.stack.up();
    expect(up.code).not.toBe(0);
    expect(up.output).toContain('The configuration of stack "');
    expect(up.output).toContain(
      "oic-client-provisioner:destroy.deactivateBeforeDelete: the step that deactivates each app before its delete, signing as the OCI provider does, could not sign now, so `pulumi destroy` could not either: cannot resolve the OCI credentials for auth ApiKey (the default)",
    );
    expect(up.output).toContain("TF_VAR_tenancy_ocid");
    expect(up.output).toContain("~/.oci/config [DEFAULT] (no such file)");
    // Not one write reached the identity domain.
    expect(
      env.emu.control
        .requests()
        .slice(mark)
        .filter((request) => request.method !== "GET"),
    ).toEqual([]);
    expect(adminCounts(env.emu)).toEqual({ apps: 0, grants: 0 });
  });

  let exported = "";
  const firstHome = { dir: "" };

  it("deploys with the API key only in TF_VAR_* (no oci: key, no ~/.oci/config)", async () => {
    firstHome.dir = homeWith({ "keys/deployer.pem": deployer().privateKey });
    const up = await env.stack.pulumi(["up", "--yes", "--skip-preview"], {
      HOME: firstHome.dir,
      TF_VAR_tenancy_ocid: deployer().tenancyOcid,
      TF_VAR_user_ocid: deployer().userOcid,
      TF_VAR_fingerprint: deployer().fingerprint,
      TF_VAR_private_key_path: "~/keys/deployer.pem",
      TF_VAR_region: "us-ashburn-1",
    });
    expectSuccess(up, "pulumi up with TF_VAR_*");
    expect(adminCounts(env.emu)).toEqual({ apps: 1, grants: 1 });
    exported = await env.stack.exportState();
  });

  it("keeps no private key and no path of the machine in the state: the step's inputs are which provider, as written", () => {
    expect(exported).not.toBe("");
    expect(exported).not.toContain(pemBody(deployer().privateKey));
    expect(exported).not.toContain("PRIVATE KEY");
    expect(exported).not.toContain(firstHome.dir);
    expect(exported).not.toContain(join(firstHome.dir, "keys", "deployer.pem"));
    expect(exported).not.toContain(env.emu.caFile ?? "no CA file");
    // The only absolute paths are where the dynamic providers' code loads its modules from, this checkout's
    // components/ (a destroy from another checkout finds them in its own: components/providerModules.ts).
    const absolute = new Set(exported.match(/(?<=")\/[^"\\]+/g) ?? []);
    expect([...absolute].sort()).toEqual(
      ["identityDomain", "signing", "verifier"].map((folder) =>
        join(PROJECT_ROOT, "components", folder, "index.ts"),
      ),
    );
    const steps = resourcesOf(exported).filter((resource) => resource.type === DEACTIVATION);
    expect(steps).toHaveLength(1);
    const expected = {
      idcsEndpoint: env.emu.idcsUrl,
      appId: env.emu.control.state().apps[0]?.id,
      caFile: "~/ca.pem",
      allowPlainHttpOnLoopback: false,
      retryBudgetSeconds: 60,
    };
    expect(withoutProvider(steps[0]?.inputs)).toEqual(expected);
    expect(withoutProvider(steps[0]?.outputs)).toEqual(expected);
  });

  it("destroys from another checkout on another runner after a key rotation, with TF_VAR_* naming the new key", async () => {
    // The old key is gone; the new one is in another home folder, in another directory.
    rmSync(join(firstHome.dir, "keys"), { recursive: true, force: true });
    const runnerHome = homeWith({ ".oci/rotated.pem": rotated.credentials.privateKey });
    const mark = env.emu.control.requests().length;
    const destroy = await env.stack.pulumi(
      ["destroy", "--yes", "--skip-preview"],
      {
        HOME: runnerHome,
        TF_VAR_tenancy_ocid: deployer().tenancyOcid,
        TF_VAR_user_ocid: deployer().userOcid,
        TF_VAR_fingerprint: rotated.credentials.fingerprint,
        TF_VAR_private_key_path: "~/.oci/rotated.pem",
        TF_VAR_region: "us-ashburn-1",
      },
      otherCheckout(),
    );
    expectSuccess(destroy, "pulumi destroy elsewhere after the rotation");
    expect(adminCounts(env.emu)).toEqual({ apps: 0, grants: 0 });
    // The step and the provider both signed with the rotated key, resolved at the destroy.
    expect(signedSince(mark)).toEqual([
      `PUT AppStatusChanger 200 ${keyIdOf(rotated.credentials.fingerprint)}`,
      `DELETE Apps 204 ${keyIdOf(rotated.credentials.fingerprint)}`,
    ]);
  });

  it("a key rotated in the oci: keys needs an `up` first, as the OCI provider itself does; then a plain destroy", async () => {
    const runnerHome = homeWith({ "keys/old.pem": deployer().privateKey });
    const ociKeys = (fingerprint: string, path: string) => ({
      tenancyOcid: deployer().tenancyOcid,
      userOcid: deployer().userOcid,
      fingerprint,
      privateKeyPath: path,
      region: "us-ashburn-1",
    });
    const home = { HOME: runnerHome };
    await env.stack.writeConfig({
      ...configWithoutOciKeys(),
      oci: ociKeys(deployer().fingerprint, "~/keys/old.pem"),
    });
    expectSuccess(await env.stack.pulumi(["up", "--yes", "--skip-preview"], home), "pulumi up");

    // The stack now names the rotated key, and the old key file is gone.
    rmSync(join(runnerHome, "keys/old.pem"));
    writeFileSync(join(runnerHome, "keys/new.pem"), rotated.credentials.privateKey, { mode: 0o600 });
    await env.stack.writeConfig({
      ...configWithoutOciKeys(),
      oci: ociKeys(rotated.credentials.fingerprint, "~/keys/new.pem"),
    });
    const mark = env.emu.control.requests().length;
    // The engine configures the OCI provider with the oci: keys of the last `up`, with or without the program.
    for (const flags of [[], ["--run-program"]]) {
      const destroy = await env.stack.pulumi(["destroy", "--yes", "--skip-preview", ...flags], home);
      expect(destroy.code, flags.join(" ")).not.toBe(0);
      expect(destroy.output).toContain(
        "the key file ~/keys/old.pem (oci:privateKeyPath (stack config)): no such file",
      );
    }
    expect(
      env.emu.control
        .requests()
        .slice(mark)
        .filter((request) => request.method !== "GET"),
    ).toEqual([]);
    expect(adminCounts(env.emu)).toEqual({ apps: 1, grants: 1 });

    expectSuccess(
      await env.stack.pulumi(["up", "--yes", "--skip-preview"], home),
      "pulumi up with the new key",
    );
    const destroyed = env.emu.control.requests().length;
    expectSuccess(await env.stack.pulumi(["destroy", "--yes", "--skip-preview"], home), "pulumi destroy");
    expect(adminCounts(env.emu)).toEqual({ apps: 0, grants: 0 });
    expect(signedSince(destroyed)).toEqual([
      `PUT AppStatusChanger 200 ${keyIdOf(rotated.credentials.fingerprint)}`,
      `DELETE Apps 204 ${keyIdOf(rotated.credentials.fingerprint)}`,
    ]);
  });

  it("does the same with a security token of oci session authenticate, refreshed on another runner", async () => {
    const session = async (subject: string) => {
      const key = newSessionKey();
      const token = await env.emu.control.mintSecurityToken({ publicKeyPem: key.publicKeyPem, subject });
      return homeWith({
        ".oci/sessions/ci/token": token,
        ".oci/sessions/ci/oci_api_key.pem": key.privateKeyPem,
        ".oci/config": [
          "[ci]",
          `fingerprint=${deployer().fingerprint}`,
          "key_file=~/.oci/sessions/ci/oci_api_key.pem",
          `tenancy=${deployer().tenancyOcid}`,
          "region=us-ashburn-1",
          "security_token_file=~/.oci/sessions/ci/token",
          "",
        ].join("\n"),
      });
    };
    const variables = {
      TF_VAR_auth: "SecurityToken",
      TF_VAR_config_file_profile: "ci",
      TF_VAR_region: "us-ashburn-1",
    };
    const deployHome = await session("ocid1.user.oc1..aaaaaaaadeployer");
    let mark = env.emu.control.requests().length;
    expectSuccess(
      await env.stack.pulumi(["up", "--yes", "--skip-preview"], { HOME: deployHome, ...variables }),
      "pulumi up with a security token",
    );
    expect(adminCounts(env.emu)).toEqual({ apps: 1, grants: 1 });
    expect(
      env.emu.control
        .requests()
        .slice(mark)
        .filter((request) => request.method === "POST" && request.path === "/admin/v1/Apps")
        .map((request) => request.signedBy),
    ).toEqual(["securityToken:ocid1.user.oc1..aaaaaaaadeployer"]);
    const state = await env.stack.exportState();
    expect(state).not.toContain(deployHome);
    expect(state).not.toContain("ST$");

    // Another runner's session: a new token and session key; the first session's files are gone.
    rmSync(join(deployHome, ".oci"), { recursive: true, force: true });
    const runnerHome = await session("ocid1.user.oc1..aaaaaaaarunner");
    mark = env.emu.control.requests().length;
    expectSuccess(
      await env.stack.pulumi(
        ["destroy", "--yes", "--skip-preview"],
        { HOME: runnerHome, ...variables },
        otherCheckout(),
      ),
      "pulumi destroy with another session",
    );
    expect(adminCounts(env.emu)).toEqual({ apps: 0, grants: 0 });
    expect(signedSince(mark)).toEqual([
      "PUT AppStatusChanger 200 securityToken:ocid1.user.oc1..aaaaaaaarunner",
      "DELETE Apps 204 securityToken:ocid1.user.oc1..aaaaaaaarunner",
    ]);
  });
});
