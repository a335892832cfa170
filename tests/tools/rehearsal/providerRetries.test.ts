/**
 * The emulated OCI provider retries as terraform-provider-oci v8.23.0 does (internal/tfresource/retry.go, the
 * default policy): 409, 5xx and network errors for 2 minutes, 429 for 10, at most 10 attempts, never a 4xx such
 * as 400 or 404, one opc-retry-token per call. Faults come from the emulator; time from a fake clock, so the
 * budgets are the real ones and nothing sleeps.
 */
import { beforeAll, beforeEach, describe, expect, it } from "vitest";

import { emulatedOciProvider } from "../../../tools/rehearsal/ociProvider/emulatedProvider";
import type { RetryBudgets } from "../../../tools/rehearsal/ociProvider/retryPolicy";
import type { SignedClient } from "../../../components/signing";
import { newApiKey, signedClient } from "../emulator/ociSigning";
import { useEmulator } from "../../support/emulator";
import { virtualClock } from "./virtualClock";

const key = newApiKey();
const env = useEmulator({ adminPublicKeyPem: key.publicKeyPem });
let signed: SignedClient;

beforeAll(() => {
  signed = signedClient(key, env.emu.caFile);
});

beforeEach(() => {
  env.emu.control.clearFaults();
  env.emu.control.clearRequests();
});

interface Sent {
  readonly method: string;
  readonly path: string;
  readonly token: string | undefined;
}

/**
 * A provider whose clock only moves when it waits (so every wait is exact), and whose every request is recorded
 * with its retry token.
 */
function providerWith(budgets: Partial<RetryBudgets> = {}, integrationEndpoint?: string) {
  const sent: Sent[] = [];
  const { clock, waits } = virtualClock();
  const client: SignedClient = {
    request(request) {
      sent.push({
        method: request.method,
        path: new URL(request.url).pathname,
        token: request.headers?.["opc-retry-token"],
      });
      return signed.request(request);
    },
  };
  const provider = emulatedOciProvider({
    client,
    integrationEndpoint: integrationEndpoint ?? env.emu.idcsUrl,
    retry: { budgets, clock },
  });
  return { provider, sent, waits };
}

let appCounter = 0;
function appInputs(fqs = env.emu.scopes.icApi) {
  appCounter += 1;
  return {
    idcsEndpoint: env.emu.idcsUrl,
    schemas: ["urn:ietf:params:scim:schemas:oracle:idcs:App"],
    basedOnTemplate: { value: "CustomWebAppTemplateId", wellKnownId: "CustomWebAppTemplateId" },
    displayName: `retry-app-${appCounter}`,
    isOauthClient: true,
    clientType: "confidential",
    allowedGrants: ["client_credentials"],
    allowedScopes: [{ fqs }],
    active: true,
    attributeSets: ["all"],
  };
}

function statuses(method: string, path: string): number[] {
  return env.emu.control
    .requests()
    .filter((r) => r.method === method && r.path.startsWith(path))
    .map((r) => r.status);
}

async function grantInputs(appId: string) {
  const roles = await env.admin(
    "GET",
    `/admin/v1/AppRoles?filter=${encodeURIComponent(`displayName eq "ServiceUser" and app.value eq "${env.emu.oicAppId}"`)}`,
  );
  return {
    idcsEndpoint: env.emu.idcsUrl,
    schemas: ["urn:ietf:params:scim:schemas:oracle:idcs:Grant"],
    grantMechanism: "ADMINISTRATOR_TO_APP",
    grantee: { type: "App", value: appId },
    app: { value: env.emu.oicAppId },
    entitlement: {
      attributeName: "appRoles",
      attributeValue: roles.json<{ Resources: { id: string }[] }>().Resources[0]?.id,
    },
  };
}

async function deactivate(appId: string): Promise<void> {
  await env.admin("PUT", `/admin/v1/AppStatusChanger/${appId}`, {
    active: false,
    schemas: ["urn:ietf:params:scim:schemas:oracle:idcs:AppStatusChanger"],
  });
}

describe("one failure on a write is retried, with the same opc-retry-token", () => {
  it.each([
    ["a 500", { kind: "status", status: 500 } as const],
    ["a 429", { kind: "status", status: 429, retryAfterSeconds: 3 } as const],
    ["a reset connection", { kind: "reset" } as const],
  ])("POST /admin/v1/Apps after %s creates exactly one app", async (_label, fault) => {
    const { provider, sent, waits } = providerWith();
    env.emu.control.injectFault({ method: "POST", path: "/admin/v1/Apps", ...fault });
    const inputs = appInputs();
    const created = await provider.createApp(inputs);

    expect(statuses("POST", "/admin/v1/Apps")).toEqual([fault.kind === "reset" ? 0 : fault.status, 201]);
    const posts = sent.filter((r) => r.method === "POST");
    expect(posts).toHaveLength(2);
    expect(posts[0]?.token).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(posts[1]?.token).toBe(posts[0]?.token);
    // The 429's Retry-After replaces the computed wait; otherwise 1 s + jitter within 2 × 1² s.
    expect(waits).toEqual([fault.kind === "status" && fault.status === 429 ? 3000 : 1500]);
    expect(env.emu.control.state().apps.filter((app) => app.displayName === inputs.displayName)).toEqual([
      expect.objectContaining({ id: created.id, active: true }),
    ]);
    await deactivate(created.id);
    await provider.deleteApp(created.id, created.state);
  });

  it("POST /admin/v1/Grants after a 503 creates the grant", async () => {
    const { provider, sent } = providerWith();
    const app = await provider.createApp(appInputs());
    env.emu.control.injectFault({ method: "POST", path: "/admin/v1/Grants", kind: "status", status: 503 });
    const grant = await provider.createGrant(await grantInputs(app.id));

    expect(statuses("POST", "/admin/v1/Grants")).toEqual([503, 201]);
    const posts = sent.filter((r) => r.path === "/admin/v1/Grants");
    expect(posts[1]?.token).toBe(posts[0]?.token);
    // Another call, another token.
    expect(posts[0]?.token).not.toBe(sent[0]?.token);
    expect(env.emu.control.state().grants.map((g) => g.id)).toContain(grant.id);

    env.emu.control.injectFault({ method: "DELETE", path: "/admin/v1/Grants/", kind: "status", status: 500 });
    await provider.deleteGrant(grant.id, grant.state);
    await deactivate(app.id);
    env.emu.control.injectFault({ method: "DELETE", path: "/admin/v1/Apps/", kind: "status", status: 500 });
    await provider.deleteApp(app.id, app.state);

    expect(statuses("DELETE", "/admin/v1/Grants/")).toEqual([500, 204]);
    expect(statuses("DELETE", "/admin/v1/Apps/")).toEqual([500, 204]);
    expect(env.emu.control.state().apps.map((a) => a.id)).not.toContain(app.id);
    const deletes = sent.filter((r) => r.method === "DELETE");
    expect(deletes[1]?.token).toBe(deletes[0]?.token);
    expect(deletes[3]?.token).toBe(deletes[2]?.token);
    expect(deletes[2]?.token).not.toBe(deletes[0]?.token);
  });

  it("reads are retried too, and the integration-instance read carries no retry token", async () => {
    const { provider, sent } = providerWith();
    env.emu.control.injectFault({ path: "/admin/v1/AppRoles", kind: "status", status: 429 });
    env.emu.control.injectFault({ path: "/20190131/integrationInstances/", kind: "status", status: 503 });
    const roles = await provider.getAppRoles({
      idcsEndpoint: env.emu.idcsUrl,
      appRoleFilter: `displayName eq "ServiceUser" and app.value eq "${env.emu.oicAppId}"`,
    });
    const instance = await provider.getIntegrationInstance({
      integrationInstanceId: env.emu.integrationInstanceId,
    });

    expect(roles["appRoles"]).toHaveLength(1);
    expect(instance["id"]).toBe(env.emu.integrationInstanceId);
    expect(statuses("GET", "/admin/v1/AppRoles")).toEqual([429, 200]);
    expect(statuses("GET", "/20190131/integrationInstances/")).toEqual([503, 200]);
    expect(sent.filter((r) => r.path.startsWith("/20190131/")).map((r) => r.token)).toEqual([
      undefined,
      undefined,
    ]);
  });
});

describe("what is never retried, and the budgets", () => {
  it("a 400 fails at the first attempt", async () => {
    const { provider, waits } = providerWith();
    await expect(provider.createApp(appInputs(`${env.emu.audience}/wrong/`))).rejects.toThrow(
      new RegExp(
        `^CreateApp \\(POST ${env.emu.idcsUrl.replace(/\./g, "\\.")}/admin/v1/Apps\\): Error returned by IdentityDomains Service\\. Http Status Code: 400\\. Error Code: BadErrorResponse\\. Detail: [^()]+$`,
      ),
    );
    expect(statuses("POST", "/admin/v1/Apps")).toEqual([400]);
    expect(waits).toEqual([]);
  });

  it("a 404 on a data source's read is an empty result at the first attempt (handleMissingResourceError)", async () => {
    const { provider, waits } = providerWith();
    const missing = "0123456789abcdef0123456789abcdef";
    const args = { idcsEndpoint: env.emu.idcsUrl, appId: missing, attributeSets: ["all"] };
    await expect(provider.getApp(args)).resolves.toEqual({ ...args, id: "" });
    expect(statuses("GET", "/admin/v1/Apps/")).toEqual([404]);
    expect(waits).toEqual([]);
  });

  it("a refused connection is not a network error for the SDK: no retry", async () => {
    const { provider, waits } = providerWith({}, "https://127.0.0.1:1");
    await expect(
      provider.getIntegrationInstance({ integrationInstanceId: env.emu.integrationInstanceId }),
    ).rejects.toThrow(
      `GetIntegrationInstance (GET https://127.0.0.1:1/20190131/integrationInstances/${env.emu.integrationInstanceId}): network error (ECONNREFUSED)`,
    );
    expect(waits).toEqual([]);
  });

  it("a permanent 503 is retried for 2 minutes", async () => {
    const { provider, waits } = providerWith();
    env.emu.control.injectFault({ path: "/admin/v1/AppRoles", kind: "status", status: 503, times: Infinity });
    await expect(
      provider.getAppRoles({ idcsEndpoint: env.emu.idcsUrl, appRoleFilter: 'displayName eq "ServiceUser"' }),
    ).rejects.toThrow(
      `ListAppRoles (GET ${env.emu.idcsUrl}/admin/v1/AppRoles): Error returned by IdentityDomains Service. Http Status Code: 503. Error Code: BadErrorResponse. Detail: Service unavailable (injected by the emulator). (after 8 attempts)`,
    );
    expect(statuses("GET", "/admin/v1/AppRoles")).toHaveLength(8);
    // random 0.5: 1 s + 0.5 × (2n² − 1) s after attempt n; the 7th would end at 143.5 s, so it is shortened to
    // land 1 s + 0.5 × 5 % of the budget after the 2 minutes; the 8th attempt then finds the budget spent.
    expect(waits).toEqual([1500, 4500, 9500, 16500, 25500, 36500, 30000]);
    expect(waits.reduce((sum, wait) => sum + wait, 0)).toBe(124_000);
  });

  it("a permanent 429 stops at the 10th attempt, its Retry-After setting each wait", async () => {
    const { provider, waits } = providerWith();
    env.emu.control.injectFault({ path: "/admin/v1/AppRoles", kind: "status", status: 429, times: Infinity });
    await expect(
      provider.getAppRoles({ idcsEndpoint: env.emu.idcsUrl, appRoleFilter: 'displayName eq "ServiceUser"' }),
    ).rejects.toThrow(
      `ListAppRoles (GET ${env.emu.idcsUrl}/admin/v1/AppRoles): Error returned by IdentityDomains Service. Http Status Code: 429. Error Code: BadErrorResponse. Detail: Too many requests (injected by the emulator). (after 10 attempts)`,
    );
    expect(statuses("GET", "/admin/v1/AppRoles")).toHaveLength(10);
    expect(waits).toEqual(Array.from({ length: 9 }, () => 1000));
  });

  it("a 500 is retried until its 2-minute budget is spent; a wait that would overshoot is shortened", async () => {
    const { provider, waits } = providerWith({ shortMs: 5_000 });
    env.emu.control.injectFault({ path: "/admin/v1/Apps", kind: "status", status: 500, times: Infinity });
    await expect(provider.createApp(appInputs())).rejects.toThrow(
      `CreateApp (POST ${env.emu.idcsUrl}/admin/v1/Apps): Error returned by IdentityDomains Service. Http Status Code: 500. Error Code: BadErrorResponse. Detail: Internal server error (injected by the emulator). (after 3 attempts)`,
    );
    // random 0.5: 1 s + 0.5 × (2 s − 1 s), then min(1 s + 0.5 × 7 s, 5 s − 1.5 s + 0.5 × 0.25 s + 1 s).
    expect(waits).toEqual([1500, 4500]);
  });

  it("a 429 has the long budget and its Retry-After sets the wait", async () => {
    const { provider, waits } = providerWith({ shortMs: 1_000, maxAttempts: 4 });
    env.emu.control.injectFault({
      path: "/admin/v1/Grants",
      kind: "status",
      status: 429,
      retryAfterSeconds: 2,
      times: Infinity,
    });
    await expect(provider.createGrant(await grantInputs("ffffffffffffffffffffffffffffffff"))).rejects.toThrow(
      / Http Status Code: 429\. .* \(after 4 attempts\)$/,
    );
    expect(waits).toEqual([2000, 2000, 2000]);
  });

  it("a reset connection on every attempt fails naming the call", async () => {
    const { provider } = providerWith({ maxAttempts: 2 });
    env.emu.control.injectFault({ path: "/admin/v1/AppRoles", kind: "reset", times: Infinity });
    await expect(
      provider.getAppRoles({ idcsEndpoint: env.emu.idcsUrl, appRoleFilter: 'displayName eq "ServiceUser"' }),
    ).rejects.toThrow(
      `ListAppRoles (GET ${env.emu.idcsUrl}/admin/v1/AppRoles): the connection was reset (ECONNRESET) (after 2 attempts)`,
    );
  });
});

describe("an interrupted call", () => {
  it("stops retrying when its signal aborts: no further attempt", async () => {
    const interrupt = new AbortController();
    const { clock } = virtualClock();
    const provider = emulatedOciProvider({
      client: signed,
      integrationEndpoint: env.emu.idcsUrl,
      retry: {
        clock: {
          ...clock,
          sleep: (ms, signal) => {
            interrupt.abort("SIGINT");
            return clock.sleep(ms, signal);
          },
        },
        signal: interrupt.signal,
      },
    });
    env.emu.control.injectFault({ path: "/admin/v1/AppRoles", kind: "status", status: 503, times: Infinity });
    await expect(
      provider.getAppRoles({ idcsEndpoint: env.emu.idcsUrl, appRoleFilter: 'displayName eq "ServiceUser"' }),
    ).rejects.toThrow(`ListAppRoles (GET ${env.emu.idcsUrl}/admin/v1/AppRoles): interrupted (SIGINT)`);
    expect(statuses("GET", "/admin/v1/AppRoles")).toEqual([503]);
  });
});

describe("a truncated or malformed answer names the request that got it", () => {
  it.each(["truncated-json", "malformed-json"] as const)(
    "%s on a create, a read and a list",
    async (kind) => {
      const { provider } = providerWith();
      const shape = (operation: string, method: string, path: string) =>
        new RegExp(
          `^${operation} \\(${method} ${env.emu.idcsUrl.replace(/\./g, "\\.")}${path}\\): the answer \\(HTTP 200, \\d+ bytes\\) is not a JSON object; it may be truncated or malformed$`,
        );

      env.emu.control.injectFault({ method: "POST", path: "/admin/v1/Apps", kind });
      const inputs = appInputs();
      await expect(provider.createApp(inputs)).rejects.toThrow(shape("CreateApp", "POST", "/admin/v1/Apps"));
      // Not retried (the SDK does not retry a 2xx it cannot read): the app exists, as it would in a tenancy.
      expect(statuses("POST", "/admin/v1/Apps")).toEqual([200]);
      const leaked = env.emu.control.state().apps.find((app) => app.displayName === inputs.displayName);
      expect(leaked).toBeDefined();

      env.emu.control.injectFault({ method: "GET", path: "/admin/v1/Apps/", kind });
      await expect(
        provider.getApp({ idcsEndpoint: env.emu.idcsUrl, appId: env.emu.oicAppId, attributeSets: ["all"] }),
      ).rejects.toThrow(shape("GetApp", "GET", `/admin/v1/Apps/${env.emu.oicAppId}`));

      env.emu.control.injectFault({ method: "GET", path: "/admin/v1/AppRoles", kind });
      await expect(
        provider.getAppRoles({
          idcsEndpoint: env.emu.idcsUrl,
          appRoleFilter: 'displayName eq "ServiceUser"',
        }),
      ).rejects.toThrow(shape("ListAppRoles", "GET", "/admin/v1/AppRoles"));

      if (leaked !== undefined) {
        await deactivate(leaked.id);
        await env.admin("DELETE", `/admin/v1/Apps/${leaked.id}`);
      }
    },
  );
});
