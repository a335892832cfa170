import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";

import { afterAll, beforeEach, describe, expect, it, onTestFinished, vi } from "vitest";

import { deactivateApp, DeactivationError, type RetryClock } from "../../../components/identityDomain";
import { newApiKey } from "../../tools/emulator/ociSigning";
import { useEmulator } from "../../support/emulator";

const key = newApiKey();
const env = useEmulator({ adminPublicKeyPem: key.publicKeyPem });

const settings = {
  tenancyOcid: key.tenancy,
  userOcid: key.user,
  fingerprint: key.fingerprint,
  privateKey: key.privateKeyPem,
};
/** An empty home folder: nothing but the settings given can be found. */
const home = mkdtempSync(join(tmpdir(), "deactivate-home-"));
afterAll(() => rmSync(home, { recursive: true, force: true }));

/** A clock whose sleeps only advance time: retries run without waiting. */
function fakeClock(): RetryClock & { slept: number[] } {
  let now = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: (ms) => {
      slept.push(ms);
      now += ms;
      return Promise.resolve();
    },
    random: () => 0.5,
  };
}

function input(appId: string, overrides: Partial<Parameters<typeof deactivateApp>[0]> = {}) {
  return {
    idcsEndpoint: env.emu.idcsUrl,
    appId,
    signWith: { settings, env: {}, homeDir: home, cwd: home },
    caFile: env.emu.caFile ?? undefined,
    ...overrides,
  };
}

const statusChanges = () =>
  env.emu.control
    .requests()
    .filter((r) => r.method === "PUT" && r.path.startsWith("/admin/v1/AppStatusChanger/"));

beforeEach(() => {
  env.emu.control.clearFaults();
  env.emu.control.clearRequests();
});

describe("deactivateApp", () => {
  it("deactivates an active app with one signed request, after which the domain lets it be deleted", async () => {
    const client = await env.createClient({ roles: ["ServiceUser"] });
    const refused = await env.admin("DELETE", `/admin/v1/Apps/${client.appId}?forceDelete=true`);
    expect(refused.status).toBe(400);

    await expect(deactivateApp(input(client.appId), fakeClock())).resolves.toBe("deactivated");
    expect(statusChanges()).toHaveLength(1);
    expect(env.emu.control.state().apps.find((app) => app.id === client.appId)?.active).toBe(false);
    expect((await env.admin("DELETE", `/admin/v1/Apps/${client.appId}`)).status).toBe(204);
  });

  it("treats an app that is already gone as done", async () => {
    await expect(deactivateApp(input("0123456789abcdef0123456789abcdef"), fakeClock())).resolves.toBe(
      "app_gone",
    );
  });

  it("retries 503 and 429 (honouring Retry-After), then succeeds", async () => {
    const client = await env.createClient();
    env.emu.control.injectFault({ path: "/admin/v1/AppStatusChanger", kind: "status", status: 503 });
    env.emu.control.injectFault({
      path: "/admin/v1/AppStatusChanger",
      kind: "status",
      status: 429,
      retryAfterSeconds: 3,
    });
    const clock = fakeClock();
    await expect(deactivateApp(input(client.appId), clock)).resolves.toBe("deactivated");
    expect(statusChanges().map((r) => r.status)).toEqual([503, 429, 200]);
    expect(clock.slept).toEqual([125, 3000]);
  });

  it("does not retry a refused key and says what to do, without key material", async () => {
    const client = await env.createClient();
    const stranger = newApiKey("ocid1.user.oc1..stranger");
    const error = await deactivateApp(
      input(client.appId, {
        signWith: {
          settings: { ...settings, userOcid: stranger.user, privateKey: stranger.privateKeyPem },
          env: {},
          homeDir: home,
        },
      }),
      fakeClock(),
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DeactivationError);
    expect((error as Error).message).toBe(
      `could not deactivate app ${client.appId} before deleting it (1 attempt(s)): PUT ${env.emu.idcsUrl}/admin/v1/AppStatusChanger/${client.appId} failed: unexpected HTTP status 401. Fix: the identity domain refused the API key "${key.fingerprint}" of user "ocid1.user.oc1..stranger" in tenancy "${key.tenancy}" (key id from oci:tenancyOcid (stack config), oci:userOcid (stack config), oci:fingerprint (stack config); private key from the key in oci:privateKey (stack config)): sign in as an identity domain administrator (as the OCI provider does), or deactivate it in the console and run destroy again`,
    );
    expect(statusChanges()).toHaveLength(1);
    expect(inspect(error)).not.toMatch(/PRIVATE KEY|Signature|keyId/);
  });

  it("resolves the credentials when it runs, and says where it looked when they cannot be, before any request", async () => {
    const client = await env.createClient();
    const error = await deactivateApp(
      input(client.appId, { signWith: { settings: {}, env: {}, homeDir: home, cwd: home } }),
      fakeClock(),
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DeactivationError);
    expect((error as Error).message).toBe(
      `could not deactivate app ${client.appId} before deleting it: cannot resolve the OCI credentials for auth ApiKey (the default): found no key id (a tenancy, user and fingerprint in one place) and no usable private key. Looked at, in the OCI provider's order: the provider settings (key id: oci:tenancyOcid (stack config), TF_VAR_tenancy_ocid, OCI_TENANCY_OCID, oci:userOcid (stack config), TF_VAR_user_ocid, OCI_USER_OCID, oci:fingerprint (stack config), TF_VAR_fingerprint, OCI_FINGERPRINT unset; private key: oci:privateKey (stack config), TF_VAR_private_key, OCI_PRIVATE_KEY, oci:privateKeyPath (stack config), TF_VAR_private_key_path, OCI_PRIVATE_KEY_PATH unset); ~/.oci/config [DEFAULT] (no such file); ~/.oraclebmc/config [DEFAULT] (no such file). Fix: configure them where the OCI provider looks (they are read when the destroy runs), or deactivate it in the console and run destroy again`,
    );
    expect(statusChanges()).toEqual([]);
  });

  it("reads a CA file given as ~/… from the home folder of the process it runs in", async () => {
    const client = await env.createClient();
    writeFileSync(join(home, "ca.pem"), readFileSync(env.emu.caFile ?? "", "utf8"));
    vi.stubEnv("HOME", home);
    onTestFinished(() => {
      vi.unstubAllEnvs();
    });
    await expect(deactivateApp(input(client.appId, { caFile: "~/ca.pem" }), fakeClock())).resolves.toBe(
      "deactivated",
    );
  });

  it("gives up on a persistent 500 once the budget is spent, and with budget 0 at once", async () => {
    const client = await env.createClient();
    env.emu.control.injectFault({
      path: "/admin/v1/AppStatusChanger",
      kind: "status",
      status: 500,
      times: Infinity,
    });
    await expect(deactivateApp(input(client.appId, { retryBudgetMs: 2_000 }), fakeClock())).rejects.toThrow(
      /\(\d+ attempt\(s\)\): .* unexpected HTTP status 500\. Fix: check that the identity domain is reachable/,
    );
    const attemptsWithBudget = statusChanges().length;
    expect(attemptsWithBudget).toBeGreaterThan(2);
    env.emu.control.clearRequests();
    await expect(deactivateApp(input(client.appId, { retryBudgetMs: 0 }), fakeClock())).rejects.toThrow(
      "(1 attempt(s))",
    );
    expect(statusChanges()).toHaveLength(1);
  });
});
