/**
 * The real engine deploys index.ts against the emulator over TLS: preview, up with three clients, an up and a
 * refresh that change nothing, updates in place and by replacement, and a destroy that leaves nothing behind.
 * Each step asserts what the identity domain saw and what the user and the state got.
 */
import { describe, expect, it } from "vitest";

import { expectSuccess } from "../../tools/engine/engineStack";
import type { ClientFacts } from "../../components/clientFacts";
import { useEngine, type ClientConfig } from "./fixture";
import { outputsWithoutSecrets, programOutputs } from "./outputs";

const env = useEngine();

const CLIENTS: readonly ClientConfig[] = [
  { name: "reporting", roles: ["ServiceUser"], scopes: ["icApi"] },
  { name: "orders", roles: ["ServiceInvoker"], scopes: ["consumerAll"], probe: "token" },
  { name: "ops", roles: ["ServiceUser", "ServiceInvoker"], scopes: ["icApi", "consumerAll"] },
];

async function clientOutputs(): Promise<Record<string, ClientFacts>> {
  return (await programOutputs(env.stack)).clients;
}

function requestsSince(mark: number): string[] {
  return env.emu.control
    .requests()
    .slice(mark)
    .filter((request) => request.host === "identity" && request.path.startsWith("/admin/v1/"))
    .map((request) => `${request.method} ${request.path.replace(/[0-9a-f]{32}/g, "{id}")} ${request.status}`);
}

describe("the real engine against the emulator", () => {
  it("previews three clients without calling the identity domain's write API", async () => {
    await env.stack.writeConfig(env.config(CLIENTS));
    const preview = expectSuccess(await env.stack.preview(), "pulumi preview");
    expect(preview.stdout).toMatch(/\+ 17 to create/);
    expect(env.emu.control.requests().filter((r) => r.method !== "GET")).toEqual([]);
  });

  it("deploys three working clients, with secrets only as ciphertext in the state and nowhere in the output", async () => {
    const up = expectSuccess(await env.stack.up(), "pulumi up");
    const { clients, clientSecrets } = await programOutputs(env.stack);
    const state = env.emu.control.state();
    expect(Object.keys(clients).sort()).toEqual(["ops", "orders", "reporting"]);
    for (const [name, client] of Object.entries(clients)) {
      const app = state.apps.find((candidate) => candidate.id === client.appId);
      // The client id is the app's name, not its id; the secret is the one the domain issued.
      expect(app?.name, name).toBe(client.clientId);
      expect(app?.active, name).toBe(true);
      expect(clientSecrets[name], name).toMatch(/^idcscs-/);
      expect(client.accessCheck?.diagnosis, name).toBe("ok");
    }
    // A reader who may not read secrets gets every client's facts, and the secrets as one "[secret]".
    const withoutSecrets = await outputsWithoutSecrets(env.stack);
    expect(withoutSecrets["clients"]).toEqual(clients);
    expect(withoutSecrets["clientSecrets"]).toBe("[secret]");
    expect(clients["reporting"]?.accessCheck?.connections).toBe(12);
    expect(clients["ops"]?.grantIds).toHaveLength(2);
    expect(state.grants).toHaveLength(4);

    const exported = await env.stack.exportState();
    for (const secret of Object.values(clientSecrets)) {
      expect(exported).not.toContain(secret);
      expect(up.output).not.toContain(secret);
    }
    expect(exported).not.toContain("PRIVATE KEY");
    expect(exported).toMatch(/"ciphertext"/);
  });

  it("finds nothing to change on a second up, and no drift on refresh", async () => {
    expectSuccess(await env.stack.up("--expect-no-changes"), "pulumi up --expect-no-changes");
    expectSuccess(
      await env.stack.pulumi(["refresh", "--yes", "--skip-preview", "--expect-no-changes"]),
      "pulumi refresh --expect-no-changes",
    );
  });

  it("updates a description with the provider's full PUT, adds a role with a new grant, removes a scope", async () => {
    const before = await clientOutputs();
    const mark = env.emu.control.requests().length;
    const changed: ClientConfig[] = [
      {
        ...CLIENTS[0]!,
        description: "Nightly report of OIC connections.",
        roles: ["ServiceUser", "ServiceViewer"],
      },
      CLIENTS[1]!,
      { ...CLIENTS[2]!, scopes: ["icApi"] },
    ];
    await env.stack.writeConfig(env.config(changed));
    expectSuccess(await env.stack.up(), "pulumi up (changes)");
    const after = await clientOutputs();

    // Updated in place: same apps, same credentials.
    for (const name of ["reporting", "ops"]) expect(after[name]?.appId).toBe(before[name]?.appId);
    expect(after["reporting"]?.grantIds).toHaveLength(2);
    expect(after["ops"]?.allowedScopes).toHaveLength(1);
    const seen = requestsSince(mark);
    expect(seen.filter((line) => line.startsWith("PUT /admin/v1/Apps/{id}"))).toEqual([
      "PUT /admin/v1/Apps/{id} 200",
      "PUT /admin/v1/Apps/{id} 200",
    ]);
    expect(seen.filter((line) => line.startsWith("POST /admin/v1/Grants"))).toEqual([
      "POST /admin/v1/Grants 201",
    ]);
    expectSuccess(await env.stack.up("--expect-no-changes"), "pulumi up after the changes");
  });

  it("renames a client: the new app is created before the old one goes, with no display-name collision", async () => {
    const before = await clientOutputs();
    const renamed: ClientConfig[] = [{ ...CLIENTS[1]!, name: "orders-v2" }];
    await env.stack.writeConfig(env.config(renamed));
    expectSuccess(await env.stack.up(), "pulumi up (rename)");
    const after = await clientOutputs();
    expect(Object.keys(after)).toEqual(["orders-v2"]);
    expect(after["orders-v2"]?.appId).not.toBe(before["orders"]?.appId);
    expect(after["orders-v2"]?.accessCheck?.diagnosis).toBe("ok");
    expect(env.emu.control.state().apps.map((app) => app.displayName)).toEqual([
      after["orders-v2"]?.displayName,
    ]);
  });

  it("destroys everything, deactivating each app before its delete", async () => {
    const mark = env.emu.control.requests().length;
    expectSuccess(await env.stack.destroy(), "pulumi destroy");
    expect(env.emu.control.state()).toEqual({ apps: [], grants: [] });
    const seen = requestsSince(mark);
    const deactivate = seen.indexOf("PUT /admin/v1/AppStatusChanger/{id} 200");
    const deleteApp = seen.indexOf("DELETE /admin/v1/Apps/{id} 204");
    expect(deactivate).toBeGreaterThanOrEqual(0);
    expect(deleteApp).toBeGreaterThan(deactivate);
  });
});
