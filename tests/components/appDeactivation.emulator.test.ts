/**
 * AppDeactivation as the engine runs it: the resource's serialized `__provider` (captured through setMocks) in a
 * fresh Node process without any TypeScript loader, configured first with the stack config as the dynamic provider
 * host configures it, and with the environment and working directory of that process. `create` (an `up`) and
 * `delete` (a `destroy`) run in different processes, with different environments, working directories and key
 * files, as an `up` and a later destroy on another runner would. What the state would hold is the outputs.
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

import * as pulumi from "@pulumi/pulumi";
import { afterAll, describe, expect, it } from "vitest";

import type { AppDeactivationInputs } from "../../components/appDeactivationProvider";
import { useEmulator } from "../support/emulator";
import { newSessionKey } from "../tools/emulator/ociSigning";
import { labelledKey, profileText } from "./signing/credentialFixtures";
import { recordRegistrations } from "./registrationMocks";

const registrations = recordRegistrations();

const deployer = labelledKey("deployer");
const rotated = labelledKey("rotated");
const acme = labelledKey("acme");
const sessionKey = newSessionKey();

/** Trusts the deployer's key, the key it rotates to (same user) and another tenancy's deployer (acme). */
const env = useEmulator({
  adminPublicKeyPem: deployer.publicKeyPem,
  adminKeyTenancyOcid: deployer.tenancy,
  adminKeyUserOcid: deployer.user,
  trustedApiKeys: [
    { publicKeyPem: rotated.publicKeyPem, tenancyOcid: deployer.tenancy, userOcid: deployer.user },
    { publicKeyPem: acme.publicKeyPem, tenancyOcid: acme.tenancy, userOcid: acme.user },
  ],
});

const RUNNER = join(__dirname, "serializedProviderRunner.cjs");
const TYPE = "pulumi-nodejs:dynamic/oic-client-provisioner:AppDeactivation";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A fresh folder holding these files (paths relative to it): a home folder, or a working directory. */
function folder(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "deactivation-"));
  dirs.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text, { mode: 0o600 });
  }
  return dir;
}

/** A home folder with the emulator's CA at ~/ca.pem (the resource's caFile, as written) and these files. */
function home(files: Record<string, string> = {}): string {
  return folder({ "ca.pem": readFileSync(env.emu.caFile ?? "", "utf8"), ...files });
}

interface Run {
  /** The stack config the host hands `configure`. */
  readonly config?: Record<string, string>;
  /** The process's environment besides PATH and HOME. */
  readonly env?: Record<string, string>;
  readonly home: string;
  readonly cwd?: string;
}

type Result = { ok: boolean; value?: unknown; message?: string };

/** One provider method in a fresh `node` process, as the engine's dynamic provider host runs it. */
function runSerialized(text: string, method: string, args: unknown[], run: Run): Promise<Result> {
  const dir = folder();
  const file = join(dir, "provider.js");
  writeFileSync(file, text);
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      [RUNNER, file],
      {
        cwd: run.cwd ?? folder(),
        env: { PATH: process.env.PATH, HOME: run.home, ...run.env },
        timeout: 60_000,
      },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`runner failed: ${stderr}`));
        else resolve(JSON.parse(stdout.trim().split("\n").pop() ?? "") as Result);
      },
    );
    child.stdin?.end(JSON.stringify({ method, args, config: run.config ?? {} }));
  });
}

/** Declares the resource and returns its inputs as registered and its serialized provider. */
async function declared(
  args: Partial<AppDeactivationInputs> & { appId: string },
): Promise<{ inputs: Record<string, unknown>; text: string }> {
  const { AppDeactivation } = await import("../../components/appDeactivation.js");
  const resource = new AppDeactivation("reporting-deactivate-before-delete", {
    idcsEndpoint: env.emu.idcsUrl,
    caFile: "~/ca.pem",
    ...args,
  });
  await new Promise<void>((resolve) => pulumi.all([resource.urn]).apply(() => resolve()));
  const registration = registrations.find((r) => r.type === TYPE);
  if (registration === undefined) throw new Error("no AppDeactivation was registered");
  const { __provider: text, ...inputs } = registration.inputs;
  if (typeof text !== "string") throw new Error("no serialized provider in the inputs");
  return { inputs, text };
}

/** `up`: check, then create, in one process; the outputs are what the state keeps. */
async function up(text: string, inputs: Record<string, unknown>, run: Run): Promise<Record<string, unknown>> {
  const checked = await runSerialized(text, "check", [{}, inputs], run);
  expect(checked).toEqual({ ok: true, value: { inputs } });
  const created = await runSerialized(text, "create", [inputs], run);
  expect(created.ok, created.message).toBe(true);
  const { id, outs } = created.value as { id: string; outs: Record<string, unknown> };
  expect(id).toBe(`deactivate-${String(inputs["appId"])}`);
  return outs;
}

/** Who signed each AppStatusChanger call for the app, and the answer. */
function statusChanges(appId: string): string[] {
  return env.emu.control
    .requests()
    .filter((r) => r.path === `/admin/v1/AppStatusChanger/${appId}`)
    .map((r) => `${r.method} ${r.status} ${r.signedBy ?? "(unsigned)"}`);
}

/** The keyId of `key`, or of its fingerprint under another identity (a key rotated to by the same user). */
const keyIdOf = (key: { tenancy: string; user: string; fingerprint: string }, as = key) =>
  `${as.tenancy}/${as.user}/${key.fingerprint}`;

function isActive(appId: string): boolean | undefined {
  return env.emu.control.state().apps.find((app) => app.id === appId)?.active;
}

describe("AppDeactivation: nothing kept, everything resolved when it runs", () => {
  it("keeps only which provider to sign as and paths as written; its serialized code holds no key", async () => {
    const { inputs, text } = await declared({ appId: "0123456789abcdef0123456789abcdef" });
    expect(inputs).toEqual({
      idcsEndpoint: env.emu.idcsUrl,
      appId: "0123456789abcdef0123456789abcdef",
      caFile: "~/ca.pem",
      allowPlainHttpOnLoopback: false,
      retryBudgetSeconds: 60,
    });
    expect(text).toMatch(/^exports\.handler = __f0;/);
    expect(text).not.toMatch(/PRIVATE KEY|ocid1\.user|TF_VAR_tenancy/);
  });

  it("up with credentials only in TF_VAR_*, destroy from another directory after a key rotation", async () => {
    const client = await env.createClient();
    const { inputs, text } = await declared({ appId: client.appId });
    const firstHome = home({ "keys/deployer.pem": deployer.privateKeyPem });
    const variables = {
      TF_VAR_tenancy_ocid: deployer.tenancy,
      TF_VAR_user_ocid: deployer.user,
      TF_VAR_region: "us-ashburn-1",
    };
    const outs = await up(text, inputs, {
      home: firstHome,
      env: {
        ...variables,
        TF_VAR_fingerprint: deployer.fingerprint,
        TF_VAR_private_key_path: "~/keys/deployer.pem",
      },
    });
    // The state: the inputs, no credential, no path of the machine that ran `up`.
    expect(outs).toEqual(inputs);
    expect(JSON.stringify(outs)).not.toContain(firstHome);

    // The key is rotated: a new file, a new fingerprint; the old key is gone. Another runner, another checkout.
    rmSync(join(firstHome, "keys"), { recursive: true });
    const runnerHome = home({ ".oci/rotated.pem": rotated.privateKeyPem });
    const deleted = await runSerialized(text, "delete", ["id", outs], {
      home: runnerHome,
      cwd: folder(),
      env: {
        ...variables,
        TF_VAR_fingerprint: rotated.fingerprint,
        TF_VAR_private_key_path: "~/.oci/rotated.pem",
      },
    });
    expect(deleted).toEqual({ ok: true, value: null });
    expect(isActive(client.appId)).toBe(false);
    expect(statusChanges(client.appId)).toEqual([`PUT 200 ${keyIdOf(rotated, deployer)}`]);
  });

  it("the stack's oci: keys come from the config the host hands configure, the key inline and never kept", async () => {
    const client = await env.createClient();
    const { inputs, text } = await declared({ appId: client.appId });
    const config = {
      "oci:tenancyOcid": deployer.tenancy,
      "oci:userOcid": deployer.user,
      "oci:fingerprint": deployer.fingerprint,
      "oci:privateKey": deployer.privateKeyPem,
      "oci:region": "us-ashburn-1",
    };
    const outs = await up(text, inputs, { home: home(), config });
    expect(JSON.stringify(outs)).not.toMatch(/PRIVATE KEY|ocid1\.user/);
    const deleted = await runSerialized(text, "delete", ["id", outs], { home: home(), config });
    expect(deleted).toEqual({ ok: true, value: null });
    expect(statusChanges(client.appId)).toEqual([`PUT 200 ${keyIdOf(deployer)}`]);
  });

  it("a profile of ~/.oci/config named by oci:configFileProfile, its key_file under ~", async () => {
    const client = await env.createClient();
    const { inputs, text } = await declared({ appId: client.appId });
    const runnerHome = home({
      ".oci/config": profileText("CI", deployer, "~/.oci/ci.pem", { pass_phrase: deployer.passphrase }),
      ".oci/ci.pem": deployer.encryptedPem,
    });
    const run = { home: runnerHome, config: { "oci:configFileProfile": "CI" } };
    const outs = await up(text, inputs, run);
    expect(await runSerialized(text, "delete", ["id", outs], run)).toEqual({ ok: true, value: null });
    expect(statusChanges(client.appId)).toEqual([`PUT 200 ${keyIdOf(deployer)}`]);
  });

  it("SecurityToken: the session profile oci session authenticate wrote, its token and session key", async () => {
    const client = await env.createClient();
    const { inputs, text } = await declared({ appId: client.appId });
    const token = await env.emu.control.mintSecurityToken({
      publicKeyPem: sessionKey.publicKeyPem,
      subject: "ocid1.user.oc1..aaaaaaaasessionuser",
    });
    const runnerHome = home({
      ".oci/sessions/ci/token": token,
      ".oci/sessions/ci/oci_api_key.pem": sessionKey.privateKeyPem,
      ".oci/config": [
        "[ci]",
        `fingerprint=${deployer.fingerprint}`,
        "key_file=~/.oci/sessions/ci/oci_api_key.pem",
        `tenancy=${deployer.tenancy}`,
        "region=us-ashburn-1",
        "security_token_file=~/.oci/sessions/ci/token",
        "",
      ].join("\n"),
    });
    const run = {
      home: runnerHome,
      env: { TF_VAR_auth: "SecurityToken", TF_VAR_config_file_profile: "ci", TF_VAR_region: "us-ashburn-1" },
    };
    const outs = await up(text, inputs, run);
    expect(await runSerialized(text, "delete", ["id", outs], run)).toEqual({ ok: true, value: null });
    expect(statusChanges(client.appId)).toEqual([
      "PUT 200 securityToken:ocid1.user.oc1..aaaaaaaasessionuser",
    ]);
  });

  it("an explicit provider by reference signs with its key, read from the stack config key it names", async () => {
    const client = await env.createClient();
    const ociProvider = {
      name: "acme",
      tenancyOcid: acme.tenancy,
      userOcid: acme.user,
      fingerprint: acme.fingerprint,
      privateKeyConfigKey: "tenants:acmePrivateKey",
    };
    const { inputs, text } = await declared({ appId: client.appId, ociProvider });
    expect(inputs["ociProvider"]).toEqual(ociProvider);
    // The stack's own default provider signs with the deployer's key; the app is acme's.
    const config = {
      "oci:tenancyOcid": deployer.tenancy,
      "oci:userOcid": deployer.user,
      "oci:fingerprint": deployer.fingerprint,
      "oci:privateKey": deployer.privateKeyPem,
      "tenants:acmePrivateKey": acme.privateKeyPem,
    };
    const outs = await up(text, inputs, { home: home(), config });
    expect(JSON.stringify(outs)).not.toContain("PRIVATE KEY");
    expect(await runSerialized(text, "delete", ["id", outs], { home: home(), config })).toEqual({
      ok: true,
      value: null,
    });
    expect(statusChanges(client.appId)).toEqual([`PUT 200 ${keyIdOf(acme)}`]);

    // Without the key it names, the delete says which key is missing and sends nothing.
    const other = await env.createClient();
    const missing = await runSerialized(text, "delete", ["id", { ...outs, appId: other.appId }], {
      home: home(),
      config: { "oci:privateKey": deployer.privateKeyPem },
    });
    expect(missing).toEqual({
      ok: false,
      message: `could not deactivate app ${other.appId} before deleting it: the OCI provider "acme": privateKeyConfigKey names tenants:acmePrivateKey, which the stack config does not set (pulumi config set --secret tenants:acmePrivateKey). Fix: set it, or deactivate the app in the console and run destroy again`,
    });
    expect(statusChanges(other.appId)).toEqual([]);
  });

  it("fails the preview (check) before anything exists when nothing resolves, naming where it looked", async () => {
    const { inputs, text } = await declared({ appId: "0123456789abcdef0123456789abcdef" });
    const checked = await runSerialized(text, "check", [{}, { ...inputs, appId: UNKNOWN }], { home: home() });
    expect(checked.ok).toBe(true);
    const { failures } = checked.value as { failures: { property: string; reason: string }[] };
    expect(failures).toHaveLength(1);
    expect(failures[0]?.property).toBe("");
    expect(failures[0]?.reason).toMatch(
      /^the step that deactivates each app before its delete could not sign now, so a destroy could not either: cannot resolve the OCI credentials for auth ApiKey \(the default\): found no key id .* Looked at, in the OCI provider's order: the provider settings \(.*TF_VAR_tenancy_ocid.*\); ~\/\.oci\/config \[DEFAULT\] \(no such file\); ~\/\.oraclebmc\/config \[DEFAULT\] \(no such file\)\. Fix: make the credentials resolvable where the OCI provider looks, or turn the step off \(deactivateBeforeDelete: false\) and deactivate the app before destroying it\.$/,
    );
    // A reference that carries a secret is refused before anything resolves.
    const secret = await runSerialized(
      text,
      "check",
      [{}, { ...inputs, ociProvider: { name: "acme", privateKey: acme.privateKeyPem } }],
      { home: home() },
    );
    const { failures: refused } = secret.value as { failures: { property: string; reason: string }[] };
    expect(refused.map((failure) => failure.property)).toEqual(["ociProvider"]);
    expect(refused[0]?.reason).toContain(
      'the OCI provider "acme": privateKey is a secret and would be kept in the state',
    );
    expect(JSON.stringify(refused)).not.toContain("PRIVATE KEY");
  });
});

describe("AppDeactivation: diff", () => {
  const base: AppDeactivationInputs = {
    idcsEndpoint: "https://idcs-0123456789abcdef0123456789abcdef.identity.oraclecloud.com",
    appId: "0123456789abcdef0123456789abcdef",
    allowPlainHttpOnLoopback: false,
    retryBudgetSeconds: 60,
  };

  async function diff(olds: Record<string, unknown>, news: Partial<AppDeactivationInputs> = {}) {
    const { appDeactivationProvider } = await import("../../components/appDeactivationProvider.js");
    return appDeactivationProvider.diff?.(
      "id",
      { ...base, ...olds },
      {
        ...base,
        ...news,
      },
    );
  }

  it("updates a step whose state still holds the credentials of an earlier version, so that they go", async () => {
    expect(await diff({ credentials: { privateKey: "x" }, credentialsSource: "the API key" })).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
    expect(await diff({})).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
  });

  it("updates for another provider reference, and replaces for another app", async () => {
    expect(await diff({}, { ociProvider: { name: "acme" } })).toMatchObject({ changes: true, replaces: [] });
    expect(await diff({}, { appId: "fedcba9876543210fedcba9876543210" })).toMatchObject({
      changes: true,
      replaces: ["appId"],
    });
  });
});
