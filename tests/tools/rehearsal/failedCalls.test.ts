/**
 * A deployment whose data source call, or whose program code on an input, fails ends with one message naming
 * what failed, within the provider's retry budget, and cleans up: what was created is destroyed and the
 * emulator's temporary directory is removed. Before, the resources waiting on the failed value kept the
 * rehearsal waiting forever.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";

import { beforeEach, describe, expect, it, vi } from "vitest";

import type { FaultSpec } from "../../../tools/emulator";
import { rehearse, type Rehearsal } from "../../../tools/rehearsal/run";
import { readStackFile, stackFilePath } from "../../../tools/rehearsal/stackFile";
import { virtualClock } from "./virtualClock";

const ROOT = join(__dirname, "..", "..", "..");
const NS = "oic-client-provisioner";
const TOKENS = {
  getApp: "oci:Identity/getDomainsApp:getDomainsApp",
  getAppRoles: "oci:Identity/getDomainsAppRoles:getDomainsAppRoles",
  getIntegrationInstance: "oci:Integration/getIntegrationInstance:getIntegrationInstance",
};

beforeEach(() => {
  vi.resetModules();
});

interface Run {
  readonly rehearsal: Rehearsal;
  /** The data source calls that failed, as the monitor reported them to the progress display. */
  readonly failedCalls: Array<{ token: string; message: string }>;
  /** Virtual milliseconds the provider waited between attempts. */
  readonly waited: number;
}

async function rehearseWith(config: Record<string, string>, faults: readonly FaultSpec[] = []): Promise<Run> {
  const { clock, elapsed } = virtualClock();
  const failedCalls: Run["failedCalls"] = [];
  const rehearsal = await rehearse({
    projectRoot: ROOT,
    config: { ...readStackFile(stackFilePath(ROOT, "demo")), ...config },
    providerRetry: { clock },
    onStarted: (emulator) => {
      for (const fault of faults) emulator.control.injectFault(fault);
    },
    deployEvents: {
      onInvokeFail: (token, error) => failedCalls.push({ token, message: error.message }),
    },
  });
  return { rehearsal, failedCalls, waited: elapsed() };
}

/** The rehearsal ended, cleaned up after itself and left nothing in the domain. */
function expectCleanedUp(rehearsal: Rehearsal): void {
  expect(rehearsal.deployment.ok).toBe(false);
  expect(rehearsal.destruction?.ok).toBe(true);
  expect(rehearsal.leftover).toEqual({ apps: [], grants: [] });
  expect(rehearsal.emulator.caFile).not.toBeNull();
  expect(existsSync(dirname(rehearsal.emulator.caFile ?? ""))).toBe(false);
}

const PORT = "127\\.0\\.0\\.1:\\d+";

describe("a failed data source call ends the deployment with a message naming the call", () => {
  it("an explicit idcsAppId that is not the OIC app: the provider answers the 404 with an empty result, the program says why", async () => {
    const wrongApp = "0123456789abcdef0123456789abcdef";
    const { rehearsal, failedCalls, waited } = await rehearseWith({
      [`${NS}:integrationInstance`]: JSON.stringify({
        idcsAppId: wrongApp,
        designTimeUrl: "https://127.0.0.3:8443",
        name: "oicdev-emulator-ia",
      }),
    });
    // The role lookups of that app find no role: the program says so too, once per role.
    const noRole = (role: string) =>
      `Expected exactly 1 app role "${role}" in the OIC app ${wrongApp}, found 0. Check that ${wrongApp} is the integration instance's app (idcsInfos[0].idcsAppId) and that the role name is one Oracle Integration defines.`;
    expect([...rehearsal.deployment.errors].sort()).toEqual([
      noRole("ServiceDeveloper"),
      noRole("ServiceInvoker"),
      noRole("ServiceUser"),
      `The identity domain has no app ${wrongApp}: check that the OIC app id (the instance's idcsInfos[0].idcsAppId, 32 hex, under Oracle Cloud Services) belongs to this identity domain.`,
    ]);
    // terraform-provider-oci swallows a data source's 404 (handleMissingResourceError): no call fails, none is retried.
    expect(failedCalls).toEqual([]);
    expect(waited).toBe(0);
    expect(rehearsal.deployment.resources.filter((r) => r.custom)).toEqual([]);
    expectCleanedUp(rehearsal);
  });

  it("GET /admin/v1/AppRoles answering 429 every time: 10 attempts, then the message", async () => {
    const { rehearsal, failedCalls, waited } = await rehearseWith({}, [
      { path: "/admin/v1/AppRoles", kind: "status", status: 429, times: Infinity },
    ]);
    expect(rehearsal.deployment.errors).toEqual([
      expect.stringMatching(
        new RegExp(
          `^invocation of ${TOKENS.getAppRoles} returned an error: ListAppRoles \\(GET https://${PORT}/admin/v1/AppRoles\\): Error returned by IdentityDomains Service\\. Http Status Code: 429\\. Error Code: BadErrorResponse\\. Detail: Too many requests \\(injected by the emulator\\)\\. \\(after 10 attempts\\)$`,
        ),
      ),
    ]);
    expect(new Set(failedCalls.map((call) => call.token))).toEqual(new Set([TOKENS.getAppRoles]));
    // Retry-After: 1 s between the attempts of each of the four role lookups, all within the 10-minute budget.
    expect(waited).toBe(4 * 9 * 1000);
    // The apps were created before the lookups gave up; the cleanup destroyed them.
    expect(rehearsal.deployment.resources.filter((r) => r.type.endsWith(":DomainsApp"))).toHaveLength(3);
    expect(rehearsal.deployment.resources.filter((r) => r.type.endsWith(":DomainsGrant"))).toEqual([]);
    expectCleanedUp(rehearsal);
  });

  it("the integration-instance read answering 503 every time: 2 minutes of retries, then the message", async () => {
    const { rehearsal, failedCalls, waited } = await rehearseWith({}, [
      { path: "/20190131/integrationInstances/", kind: "status", status: 503, times: Infinity },
    ]);
    expect(rehearsal.deployment.errors).toEqual([
      expect.stringMatching(
        new RegExp(
          `^invocation of ${TOKENS.getIntegrationInstance} returned an error: GetIntegrationInstance \\(GET https://${PORT}/20190131/integrationInstances/ocid1\\.integrationinstance\\.[^)]+\\): Error returned by IntegrationInstance Service\\. Http Status Code: 503\\. Error Code: ServiceUnavailable\\. Message: Service unavailable \\(injected by the emulator\\)\\. \\(after 8 attempts\\)$`,
        ),
      ),
    ]);
    expect(failedCalls.map((call) => call.token)).toEqual([TOKENS.getIntegrationInstance]);
    expect(waited).toBe(124_000);
    expect(rehearsal.deployment.resources.filter((r) => r.custom)).toEqual([]);
    expectCleanedUp(rehearsal);
  });

  it("one 429 and one 503 heal by themselves: the deployment succeeds", async () => {
    const { rehearsal, failedCalls } = await rehearseWith({}, [
      { path: "/admin/v1/AppRoles", kind: "status", status: 429 },
      { path: "/20190131/integrationInstances/", kind: "status", status: 503 },
    ]);
    expect(rehearsal.deployment.errors).toEqual([]);
    expect(rehearsal.deployment.ok).toBe(true);
    expect(failedCalls).toEqual([]);
    expect(rehearsal.leftover).toEqual({ apps: [], grants: [] });
  });
});

describe("a failure in the program's own code on an input ends the deployment too", () => {
  const WRONG_AUDIENCE =
    "https://ffffffffffffffffffffffffffffffff.integration.us-ashburn-1.ocp.oraclecloud.com:443";

  it("an explicit audience that is not the OIC app's", async () => {
    const { rehearsal, failedCalls } = await rehearseWith({
      [`${NS}:integrationInstance`]: JSON.stringify({
        id: "ocid1.integrationinstance.oc1.iad.amaaaaaaemulatorinstance",
        audience: WRONG_AUDIENCE,
      }),
    });
    expect(failedCalls).toEqual([]);
    const { oicAppId, audience } = rehearsal.emulator;
    expect(rehearsal.deployment.errors).toEqual([
      `The OIC app ${oicAppId} publishes the audience "${audience}", but the integration instance's primary audience is "${WRONG_AUDIENCE}". Fully qualified scopes must match the instance's primary audience: check that ${oicAppId} is this instance's app (idcsInfos[0].idcsAppId), or correct the audience.`,
    ]);
    expect(rehearsal.deployment.resources.filter((r) => r.custom)).toEqual([]);
    expectCleanedUp(rehearsal);
  });
});
