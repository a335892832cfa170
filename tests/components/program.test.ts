import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import * as pulumi from "@pulumi/pulumi";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { installRecordingMonitor, RecordingMonitor } from "../../tools/rehearsal/engine/recordingMonitor";
import type { DeployedResource } from "../../tools/rehearsal/engine/resourceGraph";
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

/** As the Pulumi CLI hands config to a program: strings as they are, structured values as JSON. */
function setStackConfig(values: Record<string, unknown>): void {
  pulumi.runtime.setAllConfig({
    "oci:region": "us-ashburn-1",
    ...Object.fromEntries(
      Object.entries(values).map(([key, value]) => [
        `${NS}:${key}`,
        typeof value === "string" ? value : JSON.stringify(value),
      ]),
    ),
  });
}

const prodStack = {
  identityDomain: { endpoint: `${DOMAIN}:443` },
  integrationInstance: { id: INSTANCE_OCID },
  clients: [
    { name: "reporting", roles: ["ServiceUser"], description: "Nightly connection report." },
    { name: "invoker", roles: ["ServiceInvoker"], probe: "token", scopes: ["consumerAll"] },
  ],
};

type ClientOutputs = Record<string, pulumi.Output<unknown>>;
interface ProgramExports {
  readonly identityDomainEndpoint: string;
  readonly oicInstance: pulumi.Output<Record<string, unknown>>;
  readonly clients: Record<string, ClientOutputs>;
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
    const clients = Object.values(program.clients);
    await Promise.all(clients.flatMap((client) => Object.values(client).map((output) => valueOf(output))));
  });
  if (program === undefined) throw new Error("index.ts did not load");
  return program;
}

async function resolveAll(
  outputs: ClientOutputs,
): Promise<Record<string, { value: unknown; secret: boolean }>> {
  const resolved: Record<string, { value: unknown; secret: boolean }> = {};
  for (const [key, output] of Object.entries(outputs)) {
    resolved[key] = { value: await valueOf(output), secret: await pulumi.isSecret(output) };
  }
  return resolved;
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

    const reporting = await resolveAll(program.clients["reporting"] ?? {});
    expect(reporting).toEqual({
      displayName: { value: "prod-reporting", secret: false },
      clientId: { value: mockApp.clientId("reporting-app"), secret: false },
      clientSecret: { value: mockApp.clientSecret("reporting-app"), secret: true },
      appId: { value: mockApp.id("reporting-app"), secret: false },
      tokenUrl: { value: `${DOMAIN}/oauth2/v1/token`, secret: false },
      scope: { value: FQS.icApi, secret: false },
      allowedScopes: { value: [FQS.consumerAll, FQS.icApi], secret: false },
      audience: { value: AUDIENCE, secret: false },
      roles: { value: ["ServiceUser"], secret: false },
      probe: { value: "connections", secret: false },
      grantIds: { value: [mockGrantId("reporting-grant-ServiceUser")], secret: false },
      designTimeUrl: { value: DESIGN_TIME_URL, secret: false },
      integrationInstance: { value: INSTANCE_NAME, secret: false },
      accessCheck: { value: mockCheckFacts, secret: false },
    });

    const invoker = await resolveAll(program.clients["invoker"] ?? {});
    expect(invoker["scope"]).toEqual({ value: FQS.consumerAll, secret: false });
    expect(invoker["allowedScopes"]).toEqual({ value: [FQS.consumerAll], secret: false });
    expect(invoker["probe"]).toEqual({ value: "token", secret: false });
    expect(invoker["clientSecret"]).toEqual({ value: mockApp.clientSecret("invoker-app"), secret: true });

    // Nothing but the two clientSecret outputs carries a secret.
    const plain = JSON.stringify([
      Object.entries(reporting).filter(([key]) => key !== "clientSecret"),
      Object.entries(invoker).filter(([key]) => key !== "clientSecret"),
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

  it("checks each client with its own credentials and probe, after its grants, at most `concurrency` at once", async () => {
    const caDir = mkdtempSync(join(tmpdir(), "ca-"));
    onTestFinished(() => rmSync(caDir, { recursive: true, force: true }));
    const caFile = join(caDir, "ca.pem");
    writeFileSync(caFile, "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n");
    // Each check "runs" for a while; any check the wiring lets start meanwhile starts within those turns (the
    // mocks answer everything else at once), so the largest number running together is the real bound.
    let running = 0;
    let mostAtOnce = 0;
    const together: string[][] = [];
    const runningNames = new Set<string>();
    const slowChecks: pulumi.runtime.Mocks = {
      async newResource(args) {
        if (args.type !== TOKENS.accessCheck) return mocks.newResource(args);
        running += 1;
        runningNames.add(args.name);
        mostAtOnce = Math.max(mostAtOnce, running);
        together.push([...runningNames].sort());
        for (let turn = 0; turn < 25; turn++) await new Promise((resolve) => setImmediate(resolve));
        running -= 1;
        runningNames.delete(args.name);
        return mocks.newResource(args);
      },
      call: (args) => mocks.call(args),
    };
    // The rehearsal's monitor: the same mocks, plus the dependencies the engine would be told about.
    const monitor = new RecordingMonitor(slowChecks);
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
    await deployProgram();
    // "three" has probe none: no check. Each check waits for its own grants and for the check two places
    // before it, so two run at once and never three.
    const checks = monitor.deployed.filter((resource) => resource.type === TOKENS.accessCheck);
    expect(checks.map((check) => check.name).sort()).toEqual(
      ["five-access-check", "four-access-check", "one-access-check", "two-access-check"].sort(),
    );
    expect(mostAtOnce).toBe(2);
    expect(together).toContainEqual(["one-access-check", "two-access-check"]);
    const waitsFor = (resource: DeployedResource) =>
      resource.dependencies
        .map((urn) => urn.split("::").pop() ?? "")
        .filter((name) => name.includes("-grant-") || name.endsWith("-access-check"))
        .sort();
    expect(Object.fromEntries(checks.map((check) => [check.name, waitsFor(check)]))).toEqual({
      "one-access-check": ["one-grant-ServiceUser", "one-grant-ServiceViewer"],
      "two-access-check": ["two-grant-ServiceInvoker"],
      "four-access-check": ["four-grant-ServiceDeveloper", "one-access-check"],
      "five-access-check": ["five-grant-ServiceUser", "two-access-check"],
    });
    const one = registrations.find((r) => r.name === "one-access-check")?.inputs ?? {};
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
    const reporting = program.clients["reporting"] ?? {};
    expect(await valueOf(reporting["integrationInstance"]!)).toBe("oicprod-custom");
    expect(await valueOf(reporting["displayName"]!)).toBe("oic-reporting");
    // The audience comes from the OIC app itself.
    expect(await valueOf(reporting["audience"]!)).toBe(AUDIENCE);
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
