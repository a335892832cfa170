import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import * as pulumi from "@pulumi/pulumi";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { installRecordingMonitor, RecordingMonitor } from "../../tools/rehearsal/engine/recordingMonitor";
import type { DeployedResource } from "../../tools/rehearsal/engine/resourceGraph";
import { inputsFromStack, stackOutputsSchema } from "../../cli/stackOutputs";
import type { ClientFacts } from "../../components/clientFacts";
import { newApiKey } from "../tools/emulator/ociSigning";
import { beforeAll, beforeEach, describe, expect, it, onTestFinished, vi } from "vitest";
import {
  AUDIENCE,
  DESIGN_TIME_URL,
  DOMAIN,
  FQS,
  INSTANCE_NAME,
  INSTANCE_OCID,
  OIC_APP_ID,
  TOKENS,
  deploys,
  invokeLog,
  invokes,
  mockApp,
  mockGrantId,
  mockCheckFacts,
  mocks,
  registrations,
  rejectionsDuring,
  resetMocks,
  valueOf,
} from "./oicMocks";

const NS = "oic-client-provisioner";
const COMPONENT = "oic-client-provisioner:index:OicConfidentialClient";

beforeAll(async () => {
  await pulumi.runtime.setMocks(mocks, "oic-client-provisioner", "prod");
});

beforeEach(() => {
  resetMocks();
  // index.ts runs once per import: each test imports it afresh, after setting the stack's config.
  vi.resetModules();
});

/** The deployer's API key, in the stack's oci: keys: the deactivation step's credentials resolve from them. */
const deployer = newApiKey();
const DEPLOYER_KEYS = {
  "oci:tenancyOcid": deployer.tenancy,
  "oci:userOcid": deployer.user,
  "oci:fingerprint": deployer.fingerprint,
  "oci:privateKey": deployer.privateKeyPem,
};

/** As the Pulumi CLI hands config to a program: strings as they are, structured values as JSON. */
function setStackConfig(values: Record<string, unknown>, oci: Record<string, string> = DEPLOYER_KEYS): void {
  pulumi.runtime.setAllConfig(
    {
      "oci:region": "us-ashburn-1",
      ...oci,
      ...Object.fromEntries(
        Object.entries(values).map(([key, value]) => [
          `${NS}:${key}`,
          typeof value === "string" ? value : JSON.stringify(value),
        ]),
      ),
    },
    ["oci:privateKey"],
  );
}

const prodStack = {
  identityDomain: { endpoint: `${DOMAIN}:443` },
  integrationInstance: { id: INSTANCE_OCID },
  clients: [
    { name: "reporting", roles: ["ServiceUser"], description: "Nightly connection report." },
    { name: "invoker", roles: ["ServiceInvoker"], probe: "token", scopes: ["consumerAll"] },
  ],
};

interface ProgramExports {
  readonly identityDomainEndpoint: string;
  readonly oicInstance: pulumi.Output<Record<string, unknown>>;
  readonly clients: Record<string, pulumi.Output<ClientFacts>>;
  readonly clientSecrets: pulumi.Output<Record<string, string>>;
}

async function runProgram(): Promise<ProgramExports> {
  return (await import("../../index.js")) as unknown as ProgramExports;
}

/** Runs index.ts and waits until every client is declared; fails at once if the deployment fails. */
async function deployProgram(): Promise<ProgramExports> {
  let program: ProgramExports | undefined;
  await deploys(async () => {
    program = await runProgram();
    await valueOf(program.oicInstance);
    await Promise.all([...Object.values(program.clients).map(valueOf), valueOf(program.clientSecrets)]);
  });
  if (program === undefined) throw new Error("index.ts did not load");
  return program;
}

describe("index.ts: stack outputs for a full stack config", () => {
  it("exports, per client, what a consumer needs, with only the secret as a secret", async () => {
    setStackConfig(prodStack);
    const program = await deployProgram();

    expect(program.identityDomainEndpoint).toBe(DOMAIN);
    expect(await valueOf(program.oicInstance)).toEqual({
      instanceId: INSTANCE_OCID,
      displayName: "oicdev",
      oicAppId: OIC_APP_ID,
      audience: AUDIENCE,
      designTimeUrl: DESIGN_TIME_URL,
      runtimeUrl: `https://${INSTANCE_NAME}.integration.us-ashburn-1.ocp.oraclecloud.com`,
      integrationInstance: INSTANCE_NAME,
    });
    expect(Object.keys(program.clients)).toEqual(["reporting", "invoker"]);

    // Each client's facts: nothing secret in them, so a consumer without secret access reads them.
    const reporting = program.clients["reporting"]!;
    expect(await pulumi.isSecret(reporting)).toBe(false);
    expect(await valueOf(reporting)).toEqual({
      displayName: "prod-reporting",
      clientId: mockApp.clientId("reporting-app"),
      appId: mockApp.id("reporting-app"),
      tokenUrl: `${DOMAIN}/oauth2/v1/token`,
      scope: FQS.icApi,
      allowedScopes: [FQS.consumerAll, FQS.icApi],
      audience: AUDIENCE,
      roles: ["ServiceUser"],
      probe: "connections",
      grantIds: [mockGrantId("reporting-grant-ServiceUser")],
      designTimeUrl: DESIGN_TIME_URL,
      integrationInstance: INSTANCE_NAME,
      accessCheck: mockCheckFacts,
    });
    const invoker = program.clients["invoker"]!;
    expect(await pulumi.isSecret(invoker)).toBe(false);
    expect(await valueOf(invoker)).toMatchObject({
      scope: FQS.consumerAll,
      allowedScopes: [FQS.consumerAll],
      probe: "token",
    });

    // The secrets, apart and as one secret.
    expect(await pulumi.isSecret(program.clientSecrets)).toBe(true);
    expect(await valueOf(program.clientSecrets)).toEqual({
      reporting: mockApp.clientSecret("reporting-app"),
      invoker: mockApp.clientSecret("invoker-app"),
    });

    // What oic-verify --stack reads: the same shape, from the same definition.
    const outputs = stackOutputsSchema.parse({
      identityDomainEndpoint: program.identityDomainEndpoint,
      clients: { reporting: await valueOf(reporting), invoker: await valueOf(invoker) },
      clientSecrets: await valueOf(program.clientSecrets),
    });
    expect(
      inputsFromStack(outputs).map(({ name, input }) => [name, input.clientSecret, input.scope]),
    ).toEqual([
      ["reporting", mockApp.clientSecret("reporting-app"), FQS.icApi],
      ["invoker", mockApp.clientSecret("invoker-app"), FQS.consumerAll],
    ]);

    const plain = JSON.stringify([
      await valueOf(reporting),
      await valueOf(invoker),
      await valueOf(program.oicInstance),
    ]);
    for (const name of ["reporting-app", "invoker-app"])
      expect(plain).not.toContain(mockApp.clientSecret(name));
  });

  it("declares one component, one app and one grant per role for each client, and reads the instance once", async () => {
    setStackConfig(prodStack);
    await deployProgram();
    const count = (type: string) => registrations.filter((r) => r.type === type).length;
    expect([COMPONENT, TOKENS.app, TOKENS.grant, TOKENS.deactivation, TOKENS.accessCheck].map(count)).toEqual(
      [2, 2, 2, 2, 2],
    );
    expect(registrations).toHaveLength(10);
    expect(
      invokeLog.filter((call) => call.token === TOKENS.getIntegrationInstance).map((c) => c.inputs),
    ).toEqual([{ integrationInstanceId: INSTANCE_OCID }]);
    const descriptions = registrations
      .filter((r) => r.type === TOKENS.app)
      .map((r) => [r.name, r.inputs["description"]])
      .sort();
    expect(descriptions).toEqual([
      [
        "invoker-app",
        'Confidential client "invoker" for Oracle Integration, stack prod; managed by Pulumi (oic-client-provisioner).',
      ],
      ["reporting-app", "Nightly connection report."],
    ]);
  });

  it("checks each client after its own grants only, with the stack's verification settings; one failing check stops no other client's", async () => {
    const caDir = mkdtempSync(join(tmpdir(), "ca-"));
    onTestFinished(() => rmSync(caDir, { recursive: true, force: true }));
    const caFile = join(caDir, "ca.pem");
    writeFileSync(caFile, "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n");
    // The first client's check fails, as a check of a client without its role would.
    let one: Record<string, unknown> = {};
    const failingCheck: pulumi.runtime.Mocks = {
      newResource(args) {
        if (args.name !== "one-access-check") return mocks.newResource(args);
        one = args.inputs as Record<string, unknown>;
        throw new Error("access check of client one failed [role_missing]");
      },
      call: (args) => mocks.call(args),
    };
    // The rehearsal's monitor: the same mocks, plus the dependencies the engine would be told about.
    const monitor = new RecordingMonitor(failingCheck);
    await installRecordingMonitor(monitor, "oic-client-provisioner", "prod");
    setStackConfig({
      ...prodStack,
      clients: [
        { name: "one", roles: ["ServiceUser", "ServiceViewer"] },
        { name: "two", roles: ["ServiceInvoker"], probe: "token" },
        { name: "three", roles: ["ServiceUser"], probe: "none" },
        { name: "four", roles: ["ServiceDeveloper"] },
        { name: "five", roles: ["ServiceUser"] },
      ],
      verification: { concurrency: 2, retryBudgetSeconds: 30, caFile },
    });
    let program: ProgramExports | undefined;
    // Ends at the failure: the failed client's facts never resolve.
    const failures = await rejectionsDuring(async () => {
      program = await runProgram();
      await valueOf(program.clients["one"]!);
    });
    // The other clients' facts resolve, their checks included: nothing waits for the failed one.
    const others = await Promise.all(["two", "four", "five"].map((name) => valueOf(program!.clients[name]!)));
    expect(others.map((facts) => facts.accessCheck?.diagnosis)).toEqual(["ok", "ok", "ok"]);
    expect(failures.map((error) => String(error))).toContainEqual(
      expect.stringContaining("access check of client one failed [role_missing]"),
    );
    // "three" has probe none: no check. The others are checked although "one" failed: no check waits for
    // another client's (the bound on how many run at once is the provider's: accessCheck.emulator.test.ts).
    const checks = monitor.deployed.filter((resource) => resource.type === TOKENS.accessCheck);
    expect(checks.map((check) => check.name).sort()).toEqual(
      ["five-access-check", "four-access-check", "two-access-check"].sort(),
    );
    const waitsFor = (resource: DeployedResource) =>
      resource.dependencies
        .map((urn) => urn.split("::").pop() ?? "")
        .filter((name) => name.includes("-grant-") || name.endsWith("-access-check"))
        .sort();
    expect(Object.fromEntries(checks.map((check) => [check.name, waitsFor(check)]))).toEqual({
      "two-access-check": ["two-grant-ServiceInvoker"],
      "four-access-check": ["four-grant-ServiceDeveloper"],
      "five-access-check": ["five-grant-ServiceUser"],
    });
    expect({ ...one, __provider: typeof one["__provider"], trigger: typeof one["trigger"] }).toEqual({
      __provider: "string",
      tokenUrl: `${DOMAIN}/oauth2/v1/token`,
      clientId: mockApp.clientId("one-app"),
      clientSecret: { [specialSigKey]: specialSecretSig, value: mockApp.clientSecret("one-app") },
      scope: FQS.icApi,
      designTimeUrl: DESIGN_TIME_URL,
      integrationInstance: INSTANCE_NAME,
      probe: "connections",
      roles: ["ServiceUser", "ServiceViewer"],
      retryBudgetSeconds: 30,
      timeoutSeconds: 10,
      caFile,
      allowPlainHttpOnLoopback: false,
      concurrency: 2,
      trigger: "string",
    });
    expect(one["trigger"]).toMatch(/^[0-9a-f]{64}$/);
  });

  it("uses explicit facts without reading any integration instance", async () => {
    setStackConfig({
      ...prodStack,
      integrationInstance: { idcsAppId: OIC_APP_ID, designTimeUrl: DESIGN_TIME_URL, name: "oicprod-custom" },
      displayNamePrefix: "oic-",
      clients: [{ name: "reporting", roles: ["ServiceUser"] }],
    });
    const program = await deployProgram();
    expect(await valueOf(program.oicInstance)).toEqual({
      oicAppId: OIC_APP_ID,
      designTimeUrl: DESIGN_TIME_URL,
      integrationInstance: "oicprod-custom",
    });
    const reporting = await valueOf(program.clients["reporting"]!);
    expect(reporting.integrationInstance).toBe("oicprod-custom");
    expect(reporting.displayName).toBe("oic-reporting");
    // The audience comes from the OIC app itself.
    expect(reporting.audience).toBe(AUDIENCE);
    expect(invokeLog.map((call) => call.token)).not.toContain(TOKENS.getIntegrationInstance);
  });

  it("fails on a bad config before declaring anything", async () => {
    setStackConfig({ ...prodStack, clients: [{ name: "invoker", roles: ["ServiceInvoker"] }] });
    await expect(runProgram()).rejects.toThrow(
      `${NS}:clients[0].roles: ["ServiceInvoker"] cannot pass the "connections" probe`,
    );
    expect(registrations).toEqual([]);
    expect(invokeLog).toEqual([]);
  });

  it("declares nothing when the destroy step could not sign, naming where it looked", async () => {
    const home = mkdtempSync(join(tmpdir(), "empty-home-"));
    onTestFinished(() => rmSync(home, { recursive: true, force: true }));
    vi.stubEnv("HOME", home);
    for (const name of Object.keys(process.env).filter((key) => /^(TF_VAR_|OCI_)/.test(key)))
      vi.stubEnv(name, undefined);
    onTestFinished(() => {
      vi.unstubAllEnvs();
    });
    setStackConfig(prodStack, { "oci:fingerprint": deployer.fingerprint });
    let program: ProgramExports | undefined;
    const seen = await rejectionsDuring(async () => {
      program = await runProgram();
      await Promise.all(Object.values(program.clients).map(valueOf));
    });
    const errors = [...new Set(seen)];
    expect(errors).toHaveLength(1);
    expect(pulumi.RunError.isInstance(errors[0])).toBe(true);
    const message = (errors[0] as Error).message.replace(/^(error serializing property "\w+": )+/, "");
    expect(message.split("\n")[0]).toBe(
      'The configuration of stack "prod" has 1 problem; nothing was deployed.',
    );
    expect(message).toContain(
      `  - ${NS}:destroy.deactivateBeforeDelete: the step that deactivates each app before its delete, signing as the OCI provider does, could not sign now, so \`pulumi destroy\` could not either: cannot resolve the OCI credentials for auth ApiKey (the default): found no key id`,
    );
    expect(message).toContain("oci:tenancyOcid (stack config), TF_VAR_tenancy_ocid, OCI_TENANCY_OCID");
    expect(message).toContain("~/.oci/config [DEFAULT] (no such file)");
    // No app, no grant, no step: nothing a destroy could not remove.
    expect(registrations.filter((r) => r.type !== COMPONENT)).toEqual([]);
  });

  it("fails with the setting to add when the instance lacks a fact", async () => {
    invokes.set(TOKENS.getIntegrationInstance, () => ({
      id: INSTANCE_OCID,
      idcsInfos: [{ idcsAppId: OIC_APP_ID, instancePrimaryAudienceUrl: AUDIENCE }],
      instanceDesignTimeUrl: DESIGN_TIME_URL,
      instanceUrl: "https://oic.example.com",
    }));
    setStackConfig(prodStack);
    let program: ProgramExports | undefined;
    const seen = await rejectionsDuring(async () => {
      program = await runProgram();
      await valueOf(program.oicInstance);
    });
    const errors = [...new Set(seen)];
    expect(errors).toHaveLength(1);
    expect(pulumi.RunError.isInstance(errors[0])).toBe(true);
    expect((errors[0] as Error).message.replace(/^(error serializing property "\w+": )+/, "")).toBe(
      'The service-instance name cannot be derived: the runtime URL "https://oic.example.com" is not in Oracle\'s ' +
        `shape https://<name>.integration.<region>.ocp.oraclecloud.com. Set ${NS}:integrationInstance.name to the ` +
        '"Service instance" value on the instance\'s About page.',
    );
    expect(registrations.filter((r) => r.type === TOKENS.app)).toEqual([]);
  });
});
