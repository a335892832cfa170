import { inspect } from "node:util";

import { beforeEach, describe, expect, it } from "vitest";

import { deactivateApp, DeactivationError, type RetryClock } from "../../../components/identityDomain";
import { newApiKey } from "../../tools/emulator/ociSigning";
import { useEmulator } from "../../support/emulator";

const key = newApiKey();
const env = useEmulator({ adminPublicKeyPem: key.publicKeyPem });

const credentials = {
  tenancyOcid: key.tenancy,
  userOcid: key.user,
  fingerprint: key.fingerprint,
  privateKey: key.privateKeyPem,
};

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
    credentials,
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
        credentials: { ...credentials, userOcid: stranger.user, privateKey: stranger.privateKeyPem },
      }),
      fakeClock(),
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DeactivationError);
    expect((error as Error).message).toBe(
      `could not deactivate app ${client.appId} before deleting it (1 attempt(s)): PUT ${env.emu.idcsUrl}/admin/v1/AppStatusChanger/${client.appId} failed: unexpected HTTP status 401. Fix: the identity domain refused the API key ${key.fingerprint} of user ocid1.user.oc1..stranger with an inline private key: use the key of an identity domain administrator (the one the OCI provider uses), or deactivate it in the console and run destroy again`,
    );
    expect(statusChanges()).toHaveLength(1);
    expect(inspect(error)).not.toMatch(/PRIVATE KEY|Signature|keyId/);
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
