import { join } from "node:path";

import { beforeEach, describe, expect, it, vi } from "vitest";

import { StackConfigError } from "../../../config/errors";
import { rehearse } from "../../../tools/rehearsal/run";
import { readStackFile, stackFilePath } from "../../../tools/rehearsal/stackFile";

const ROOT = join(__dirname, "..", "..", "..");
const NS = "oic-client-provisioner";

beforeEach(() => {
  vi.resetModules();
});

describe("the rehearsal's failing variants", () => {
  it("refuses a stack whose only role cannot pass the connections probe, before the emulator starts", async () => {
    const config = {
      ...readStackFile(stackFilePath(ROOT, "demo")),
      [`${NS}:clients`]: JSON.stringify([{ name: "orders", roles: ["ServiceInvoker"] }]),
    };
    let started = false;
    const rehearsal = rehearse({ projectRoot: ROOT, config, onStarted: () => (started = true) });
    // The stack is validated as written, as `pulumi up` would: the same message, and nothing started.
    await expect(rehearsal).rejects.toThrow(StackConfigError);
    await expect(rehearsal).rejects.toThrow(
      [
        'The configuration of stack "demo" has 1 problem; nothing was deployed.',
        `  - ${NS}:clients[0].roles: ["ServiceInvoker"] cannot pass the "connections" probe: GET /ic/api/integration/v1/connections needs one of ServiceAdministrator, ServiceDeveloper, ServiceUser, ServiceViewer. Add "ServiceUser" (the documented minimum for the Developer APIs), or set ${NS}:clients[0].probe to "token".`,
        "Fix them in stacks/Pulumi.demo.yaml; docs/configuration.md describes every key.",
      ].join("\n"),
    );
    expect(started).toBe(false);
  });

  it("without the deactivate-before-delete step, the identity domain refuses to delete the active apps", async () => {
    const rehearsal = await rehearse({ projectRoot: ROOT, deactivateBeforeDelete: false });
    expect(rehearsal.deployment.ok).toBe(true);
    expect(rehearsal.deployment.resources.filter((r) => r.type.endsWith(":AppDeactivation"))).toEqual([]);
    expect(rehearsal.destruction?.ok).toBe(false);
    expect(rehearsal.destruction?.error).toMatch(
      /^DeleteApp \(DELETE https:\/\/127\.0\.0\.1:\d+\/admin\/v1\/Apps\/[0-9a-f]{32}\): Error returned by IdentityDomains Service\. Http Status Code: 400\. Error Code: BadErrorResponse\. Detail: The App demo-\w+ is active and cannot be deleted\. Deactivate it first\.$/,
    );
    // Checks and grants went; the first app's delete was refused and the destroy stopped there.
    expect(rehearsal.destruction?.deleted.map((r) => r.name).filter((name) => name.endsWith("-app"))).toEqual(
      [],
    );
    expect(rehearsal.leftover?.grants).toEqual([]);
    expect(rehearsal.leftover?.apps.map((app) => [app.displayName, app.active]).sort()).toEqual([
      ["demo-ci", true],
      ["demo-orders", true],
      ["demo-reporting", true],
    ]);
    const deletes = rehearsal.emulator.control
      .requests()
      .filter((r) => r.method === "DELETE" && /^\/admin\/v1\/Apps\//.test(r.path));
    expect(deletes.map((r) => r.status)).toEqual([400]);
  });
});
