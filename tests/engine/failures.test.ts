/**
 * What goes wrong, with the real engine: a config error stops before any request; faults that the provider's
 * retry policy heals (a 503 or 429 on a create, a 500 on a delete); a grant that propagates late (the access
 * check waits); and the identity domain refusing a destroy that does not deactivate first.
 */
import { describe, expect, it } from "vitest";

import { expectSuccess } from "../../tools/engine/engineStack";
import { useEngine, type ClientConfig } from "./fixture";
import { programOutputs } from "./outputs";

const env = useEngine();

const REPORTING: ClientConfig = { name: "reporting", roles: ["ServiceUser"], scopes: ["icApi"] };

function adminRequests(): string[] {
  return env.emu.control
    .requests()
    .filter((request) => request.host === "identity" && request.path.startsWith("/admin/v1/"))
    .map((request) => `${request.method} ${request.path.replace(/[0-9a-f]{32}/g, "{id}")} ${request.status}`);
}

describe("the real engine when things go wrong", () => {
  it("stops a config error at preview, naming the key and the fix, before any request reaches the domain", async () => {
    env.emu.control.clearRequests();
    await env.stack.writeConfig(
      env.config([{ name: "orders", roles: ["ServiceInvoker"], scopes: ["consumerAll"] }]),
    );
    const preview = await env.stack.preview();
    expect(preview.code).not.toBe(0);
    expect(preview.output).toContain(
      'oic-client-provisioner:clients[0].roles: ["ServiceInvoker"] cannot pass the "connections" probe',
    );
    expect(preview.output).toContain('set oic-client-provisioner:clients[0].probe to "token"');
    expect(env.emu.control.requests()).toEqual([]);
  });

  it("says the OIC app is missing when the provider answers its 404 with an empty result", async () => {
    const config = env.config([REPORTING]);
    const wrongApp = "0123456789abcdef0123456789abcdef";
    const instance = { ...(config.program["integrationInstance"] as object), idcsAppId: wrongApp };
    await env.stack.writeConfig({ ...config, program: { ...config.program, integrationInstance: instance } });
    const preview = await env.stack.preview();
    expect(preview.code).not.toBe(0);
    expect(preview.output).toContain(
      `The identity domain has no app ${wrongApp}: check that the OIC app id (the instance's idcsInfos[0].idcsAppId, 32 hex, under Oracle Cloud Services) belongs to this identity domain.`,
    );
  });

  it("survives a 503 on the app's create and a 429 on the grant's, retried as the provider's policy says", async () => {
    // Without the deactivation step from the start, for the next test.
    env.emu.control.clearRequests();
    env.emu.control.injectFault({ method: "POST", path: "/admin/v1/Apps", kind: "status", status: 503 });
    env.emu.control.injectFault({
      method: "POST",
      path: "/admin/v1/Grants",
      kind: "status",
      status: 429,
      retryAfterSeconds: 1,
    });
    await env.stack.writeConfig(env.config([REPORTING], { destroy: { deactivateBeforeDelete: false } }));
    expectSuccess(await env.stack.up(), "pulumi up with faults");
    const seen = adminRequests();
    expect(seen.filter((line) => line.startsWith("POST /admin/v1/Apps "))).toEqual([
      "POST /admin/v1/Apps 503",
      "POST /admin/v1/Apps 201",
    ]);
    expect(seen.filter((line) => line.startsWith("POST /admin/v1/Grants "))).toEqual([
      "POST /admin/v1/Grants 429",
      "POST /admin/v1/Grants 201",
    ]);
    expect(env.emu.control.state().apps).toHaveLength(1);
  });

  it("refuses to destroy an active app without the deactivation step, as the identity domain does", async () => {
    const destroy = await env.stack.destroy();
    expect(destroy.code).not.toBe(0);
    expect(destroy.output).toMatch(/DeleteApp[\s\S]*Http Status Code: 400/);
    expect(env.emu.control.state().apps).toHaveLength(1);
  });

  it("destroys through a 500 on the app's delete once the step is back", async () => {
    await env.stack.writeConfig(env.config([REPORTING]));
    expectSuccess(await env.stack.up(), "pulumi up (deactivation step back)");
    env.emu.control.clearRequests();
    env.emu.control.injectFault({ method: "DELETE", path: "/admin/v1/Apps/", kind: "status", status: 500 });
    expectSuccess(await env.stack.destroy(), "pulumi destroy with a 500");
    expect(adminRequests().filter((line) => line.startsWith("DELETE /admin/v1/Apps/"))).toEqual([
      "DELETE /admin/v1/Apps/{id} 500",
      "DELETE /admin/v1/Apps/{id} 204",
    ]);
    expect(env.emu.control.state()).toEqual({ apps: [], grants: [] });
  });

  it("waits for a grant that propagates late: the check retries until OIC accepts the token", async () => {
    env.emu.control.setPropagationDelays({ grantsMs: 3_000 });
    env.emu.control.clearRequests();
    await env.stack.writeConfig(env.config([REPORTING]));
    expectSuccess(await env.stack.up(), "pulumi up with a late grant");
    const { clients } = await programOutputs(env.stack);
    expect(clients["reporting"]?.accessCheck?.diagnosis).toBe("ok");
    const calls = env.emu.control
      .requests()
      .filter((request) => request.host === "designTime")
      .map((request) => request.status);
    expect(calls[0]).toBe(401);
    expect(calls[calls.length - 1]).toBe(200);
    env.emu.control.setPropagationDelays({ grantsMs: 0 });
    expectSuccess(await env.stack.destroy(), "pulumi destroy");
  });
});
