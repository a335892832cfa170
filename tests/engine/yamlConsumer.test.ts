/**
 * components/ consumed from another language through the real CLI: a Pulumi YAML program in a temporary directory
 * outside the checkout names the component package by path (`packages:` in its Pulumi.yaml), and the engine runs
 * the package's own provider plugin (`components/pulumi-resource-oic-client-provisioner`) to get its schema and to
 * construct the component. One client is deployed against the emulator with its access check, then destroyed.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

import type { EmulatorHandle } from "../../tools/emulator";
import { expectSuccess, PROJECT_ROOT } from "../../tools/engine/engineStack";
import { httpRequest } from "../support/emulator";
import { adminCounts } from "./emulatorRecords";
import { useEngine } from "./fixture";

const project = mkdtempSync(join(tmpdir(), "oic-yaml-consumer-"));
// `pulumi stack init` needs the project; the program itself is written once the emulator's addresses are known.
writeFileSync(join(project, "Pulumi.yaml"), "name: oic-yaml-consumer\nruntime: yaml\n");
afterAll(() => rmSync(project, { recursive: true, force: true }));

const env = useEngine({ project: { dir: project } });

/**
 * The consumer's whole program: the package by path, one client, and what it exports. The client's deactivation
 * step signs as the stack's default OCI provider does, with the stack's `oci:` keys, which it reads when it runs.
 */
function yamlProgram(emu: EmulatorHandle): string {
  return `name: oic-yaml-consumer
description: A Pulumi YAML program that uses the oic-client-provisioner component package.
runtime: yaml
packages:
  oic-client-provisioner: ${join(PROJECT_ROOT, "components")}
resources:
  reporting:
    type: oic-client-provisioner:index:OicConfidentialClient
    properties:
      idcsEndpoint: ${emu.idcsUrl}
      oicAppId: ${emu.oicAppId}
      designTimeUrl: ${emu.designTimeUrl}
      integrationInstance: ${emu.integrationInstance}
      displayName: yaml-reporting
      roles: [ServiceUser]
      scopes: [icApi]
      caFile: ${emu.caFile ?? ""}
outputs:
  clientId: \${reporting.facts.clientId}
  scope: \${reporting.facts.scope}
  tokenUrl: \${reporting.facts.tokenUrl}
  diagnosis: \${reporting.facts.accessCheck.diagnosis}
  connections: \${reporting.facts.accessCheck.connections}
  clientSecret: \${reporting.clientSecret}
`;
}

/**
 * The engine starts Node.js dynamic providers (the component's deactivation step and access check) in the
 * program's directory, where they resolve @pulumi/pulumi: pulumi/pulumi#5455. A YAML consumer therefore
 * installs @pulumi/pulumi beside its Pulumi.yaml; here the checkout's copy (the same version) is linked.
 */
function installPulumiBesideProgram(): void {
  mkdirSync(join(project, "node_modules", "@pulumi"), { recursive: true });
  symlinkSync(
    join(PROJECT_ROOT, "node_modules", "@pulumi", "pulumi"),
    join(project, "node_modules", "@pulumi", "pulumi"),
  );
}

describe("a Pulumi YAML program using the component package", () => {
  it("cannot run the component's dynamic resources without @pulumi/pulumi beside the program (pulumi/pulumi#5455)", async () => {
    writeFileSync(join(project, "Pulumi.yaml"), yamlProgram(env.emu));
    await env.stack.writeConfig({ oci: env.config([]).oci, program: {} });
    const preview = await env.stack.preview();
    expect(preview.code).not.toBe(0);
    expect(preview.output).toContain("Cannot find module '@pulumi/pulumi/cmd/dynamic-provider'");
    expect(adminCounts(env.emu)).toEqual({ apps: 0, grants: 0 });
  });

  it("deploys one client with its access check, and destroys it", async () => {
    installPulumiBesideProgram();
    const mark = env.emu.control.requests().length;
    const up = expectSuccess(await env.stack.up(), "pulumi up");
    expect(up.stdout).toMatch(/\+ {2}oic-client-provisioner:index:OicConfidentialClient reporting creating/);
    expect(up.stdout).toMatch(/\+ 6 created/);
    const outputs = await env.stack.outputs();
    const state = env.emu.control.state();
    expect(state.apps.map((app) => [app.displayName, app.name, app.active])).toEqual([
      ["yaml-reporting", outputs["clientId"], true],
    ]);
    expect(state.grants).toHaveLength(1);
    expect(outputs["diagnosis"]).toBe("ok");
    expect(outputs["connections"]).toBe(12);

    // The check ran: a token for the new client, then the Developer API's connections with it.
    const seen = env.emu.control
      .requests()
      .slice(mark)
      .filter((request) => !request.path.startsWith("/admin/v1/"))
      .map((request) => `${request.host} ${request.method} ${request.path} ${request.status}`);
    expect(seen).toEqual([
      "identity POST /oauth2/v1/token 200",
      "designTime GET /ic/api/integration/v1/connections 200",
    ]);

    // The exported secret is the domain's: it gets a token. It is never printed, and only ciphertext is stored.
    const secret = String(outputs["clientSecret"]);
    const token = await httpRequest(String(outputs["tokenUrl"]), {
      method: "POST",
      headers: {
        authorization: `Basic ${Buffer.from(`${String(outputs["clientId"])}:${secret}`).toString("base64")}`,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams({
        grant_type: "client_credentials",
        scope: String(outputs["scope"]),
      }).toString(),
      ca: readFileSync(env.emu.caFile ?? "", "utf8"),
    });
    expect(token.status).toBe(200);
    expect(up.output).toMatch(/clientSecret\s*:\s*\[secret\]/);
    expect(up.output).not.toContain(secret);
    const exported = await env.stack.exportState();
    expect(exported).not.toContain(secret);
    expect(exported).toMatch(/"ciphertext"/);

    const destroy = expectSuccess(await env.stack.destroy(), "pulumi destroy");
    expect(destroy.stdout).toMatch(/- 6 deleted/);
    expect(destroy.output).not.toContain(secret);
    expect(adminCounts(env.emu)).toEqual({ apps: 0, grants: 0 });
  });
});
