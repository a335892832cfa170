/**
 * Issue 11 with the real engine: a program with an explicit OCI provider (another tenancy, as a multi-tenant
 * program has) gives the component that provider and its reference; the deactivation step then signs with that
 * provider's key, which it reads from the stack config key the reference names, and not with the stack's default
 * credentials. The program is Pulumi YAML outside the checkout that uses components/ as a package (as in
 * yamlConsumer.test.ts): the component gets the provider through `options.providers`, across the Construct call.
 * The emulator trusts both keys and logs which one signed each call.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

import type { EmulatorHandle } from "../../tools/emulator";
import { expectSuccess, PROJECT_ROOT } from "../../tools/engine/engineStack";
import { newDeployerKey } from "../../tools/rehearsal/deployerKey";
import { pemBody, signedCall } from "./emulatorRecords";
import { useEngine } from "./fixture";

const PROJECT = "oic-explicit-provider";
const KEY_CONFIG = `${PROJECT}:acmePrivateKey`;
const DEACTIVATION = "pulumi-nodejs:dynamic/oic-client-provisioner:AppDeactivation";

/** The other tenancy's deployer key, which only the explicit provider `acme` knows. */
const acme = newDeployerKey({
  tenancyOcid: "ocid1.tenancy.oc1..aaaaaaaaacmetenancy",
  userOcid: "ocid1.user.oc1..aaaaaaaaacmedeployer",
});

const project = mkdtempSync(join(tmpdir(), "oic-explicit-provider-"));
const home = mkdtempSync(join(tmpdir(), "oic-home-"));
writeFileSync(join(project, "Pulumi.yaml"), `name: ${PROJECT}\nruntime: yaml\n`);
afterAll(() => {
  rmSync(project, { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
});

const env = useEngine({
  project: { dir: project },
  emulator: {
    trustedApiKeys: [
      {
        publicKeyPem: acme.publicKeyPem,
        tenancyOcid: acme.credentials.tenancyOcid,
        userOcid: acme.credentials.userOcid,
      },
    ],
  },
});

/** The reference the component gets: the provider's name, its settings that are not secret, its key by config key. */
const reference = {
  name: "acme",
  tenancyOcid: acme.credentials.tenancyOcid,
  userOcid: acme.credentials.userOcid,
  fingerprint: acme.credentials.fingerprint,
  region: "us-ashburn-1",
  privateKeyConfigKey: KEY_CONFIG,
};

function yamlProgram(emu: EmulatorHandle): string {
  return `name: ${PROJECT}
runtime: yaml
packages:
  oic-client-provisioner: ${join(PROJECT_ROOT, "components")}
config:
  acmePrivateKey:
    type: string
    secret: true
resources:
  acme:
    type: pulumi:providers:oci
    properties:
      tenancyOcid: ${acme.credentials.tenancyOcid}
      userOcid: ${acme.credentials.userOcid}
      fingerprint: "${acme.credentials.fingerprint}"
      privateKey: \${acmePrivateKey}
      region: us-ashburn-1
  reporting:
    type: oic-client-provisioner:index:OicConfidentialClient
    properties:
      idcsEndpoint: ${emu.idcsUrl}
      oicAppId: ${emu.oicAppId}
      designTimeUrl: ${emu.designTimeUrl}
      integrationInstance: ${emu.integrationInstance}
      displayName: acme-reporting
      roles: [ServiceUser]
      scopes: [icApi]
      caFile: "~/ca.pem"
      ociProvider:
        name: ${reference.name}
        tenancyOcid: ${reference.tenancyOcid}
        userOcid: ${reference.userOcid}
        fingerprint: "${reference.fingerprint}"
        region: ${reference.region}
        privateKeyConfigKey: ${reference.privateKeyConfigKey}
    options:
      providers:
        - \${acme}
outputs:
  clientId: \${reporting.facts.clientId}
  diagnosis: \${reporting.facts.accessCheck.diagnosis}
`;
}

/** Each admin write since `mark`: method, resource, status and who signed it. */
function writesSince(mark: number): string[] {
  return env.emu.control
    .requests()
    .slice(mark)
    .filter((request) => request.path.startsWith("/admin/v1/") && request.method !== "GET")
    .map(signedCall);
}

describe("an explicit OCI provider's credentials sign the deactivation", () => {
  it("deploys with the provider `acme` and destroys with its key, not the stack's", async () => {
    // @pulumi/pulumi beside the program, for the dynamic providers' host (pulumi/pulumi#5455).
    mkdirSync(join(project, "node_modules", "@pulumi"), { recursive: true });
    symlinkSync(
      join(PROJECT_ROOT, "node_modules", "@pulumi", "pulumi"),
      join(project, "node_modules", "@pulumi", "pulumi"),
    );
    writeFileSync(join(home, "ca.pem"), readFileSync(env.emu.caFile ?? "", "utf8"));
    env.stack.setEnv({ HOME: home });
    writeFileSync(join(project, "Pulumi.yaml"), yamlProgram(env.emu));
    // The stack's default provider has the fixture's deployer key, which the emulator trusts too: the log shows
    // which one signed.
    await env.stack.writeConfig({
      oci: env.config([]).oci,
      program: {},
      secrets: { [KEY_CONFIG]: acme.credentials.privateKey },
    });
    const acmeKeyId = `${acme.credentials.tenancyOcid}/${acme.credentials.userOcid}/${acme.credentials.fingerprint}`;

    let mark = env.emu.control.requests().length;
    expectSuccess(await env.stack.up(), "pulumi up with an explicit provider");
    expect((await env.stack.outputs())["diagnosis"]).toBe("ok");
    expect(writesSince(mark)).toEqual([`POST Apps 201 ${acmeKeyId}`, `POST Grants 201 ${acmeKeyId}`]);

    // The state keeps the reference, and the key only as the ciphertext of the config and the provider's input.
    const exported = await env.stack.exportState();
    expect(exported).not.toContain(pemBody(acme.credentials.privateKey));
    const step = (
      JSON.parse(exported) as {
        deployment: { resources: { type: string; inputs?: Record<string, unknown> }[] };
      }
    ).deployment.resources.find((resource) => resource.type === DEACTIVATION);
    const { __provider: _code, ...inputs } = step?.inputs ?? {};
    expect(inputs).toEqual({
      idcsEndpoint: env.emu.idcsUrl,
      appId: env.emu.control.state().apps[0]?.id,
      ociProvider: reference,
      caFile: "~/ca.pem",
      allowPlainHttpOnLoopback: false,
      retryBudgetSeconds: 60,
    });

    mark = env.emu.control.requests().length;
    expectSuccess(await env.stack.destroy(), "pulumi destroy");
    expect(env.emu.control.state()).toEqual({ apps: [], grants: [] });
    expect(writesSince(mark)).toEqual([
      `DELETE Grants 204 ${acmeKeyId}`,
      `PUT AppStatusChanger 200 ${acmeKeyId}`,
      `DELETE Apps 204 ${acmeKeyId}`,
    ]);
  });
});
