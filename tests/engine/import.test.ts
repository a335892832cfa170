/**
 * An app created outside Pulumi (through SCIM, as a console user would) is imported into the stack with
 * `pulumi import`, under its client's component, and the next `pulumi up` adopts it: the same app, no replacement,
 * its grant added and its access check passing.
 */
import { describe, expect, it } from "vitest";

import { emulatorAdmin } from "../support/emulator";
import { expectSuccess } from "../../tools/engine/engineStack";
import { useEngine, type ClientConfig } from "./fixture";
import { programOutputs } from "./outputs";

const env = useEngine();

const LEGACY: ClientConfig = { name: "legacy", roles: ["ServiceUser"], scopes: ["icApi"] };

describe("pulumi import of an app made outside Pulumi", () => {
  it("imports the app under its component and adopts it on the next up without replacing it", async () => {
    const displayName = `${env.stack.name}-legacy`;
    // The app a console user would have made by Oracle's recipe, before the team adopted Pulumi (its grant comes later).
    const made = await emulatorAdmin(env.emu).createClient({ displayName, roles: [], scopeKinds: ["icApi"] });
    const existing = { id: made.appId, name: made.clientId };
    await env.stack.writeConfig(env.config([LEGACY]));

    const project = "oic-client-provisioner";
    const component = `urn:pulumi:${env.stack.name}::${project}::${project}:index:OicConfidentialClient::legacy`;
    expectSuccess(await env.stack.up("--target", component), "pulumi up --target <component>");
    expectSuccess(
      await env.stack.pulumi([
        "import",
        "oci:Identity/domainsApp:DomainsApp",
        "legacy-app",
        `idcsEndpoint/${env.emu.idcsUrl}/apps/${existing.id}`,
        "--parent",
        `legacy=${component}`,
        "--generate-code=false",
        "--protect=false",
        "--yes",
      ]),
      "pulumi import",
    );

    const up = expectSuccess(await env.stack.up(), "pulumi up after the import");
    expect(up.stdout).not.toMatch(/replace/i);
    const { clients } = await programOutputs(env.stack);
    expect(clients["legacy"]?.appId).toBe(existing.id);
    expect(clients["legacy"]?.clientId).toBe(existing.name);
    expect(clients["legacy"]?.accessCheck?.diagnosis).toBe("ok");
    expect(env.emu.control.state().apps.map((app) => app.id)).toEqual([existing.id]);
    expectSuccess(await env.stack.destroy(), "pulumi destroy");
    expect(env.emu.control.state()).toEqual({ apps: [], grants: [] });
  });
});
