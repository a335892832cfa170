/**
 * OicAccessCheck against the emulator: the provider's methods called directly, then the provider exactly as
 * the engine gets it (the resource's serialized `__provider`, captured through setMocks) run by a plain Node
 * process without any TypeScript loader, as Pulumi's dynamic-provider host runs it.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";

import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it, vi } from "vitest";

import type { AccessCheckInputs, AccessCheckOutputs } from "../../components/accessCheckProvider";
import { maxInFlight } from "../../tools/faults/inFlight";
import { clientCheckInput, useEmulator, type CreatedClient } from "../support/emulator";
import { INVOKER_ONLY_HINT } from "./verifier/fakes";
import { recordRegistrations } from "./registrationMocks";

const registrations = recordRegistrations();

const env = useEmulator();
const RUNNER = join(__dirname, "serializedProviderRunner.cjs");
const requireFromString = createRequire(require.resolve("@pulumi/pulumi/package.json"))(
  "require-from-string",
) as (code: string, filename: string) => { handler(): pulumi.dynamic.ResourceProvider };
const TYPE = "pulumi-nodejs:dynamic/oic-client-provisioner:OicAccessCheck";
const FINGERPRINT = /^hmac-sha256:[0-9a-f]{32}:[0-9a-f]{64}$/;
/** How Pulumi's RPC layer marks a secret value (`4dabf18193072939515e22adb298388d` is its secret signature). */
const secretValue = (value: string) => ({
  "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
  value,
});

/** The check's own requests in the log, once `count` have arrived (the log records on response close). */
async function checkRequests(count: number): Promise<string[]> {
  let paths: string[] = [];
  await vi.waitFor(
    () => {
      paths = env.emu.control
        .requests()
        .filter((r) => !r.path.startsWith("/admin/"))
        .map((r) => r.path);
      expect(paths.length).toBeGreaterThanOrEqual(count);
    },
    { timeout: 2_000, interval: 5 },
  );
  return paths;
}

// The code under test, imported after the mocks are set.
const loadComponent = () => import("../../components/accessCheck.js");
const loadProvider = async () =>
  (await import("../../components/accessCheckProvider.js")).accessCheckProvider;

function inputsFor(client: CreatedClient, overrides: Partial<AccessCheckInputs> = {}): AccessCheckInputs {
  return {
    ...clientCheckInput(env.emu, client),
    probe: "connections",
    retryBudgetSeconds: 0,
    timeoutSeconds: 10,
    caFile: env.emu.caFile ?? undefined,
    allowPlainHttpOnLoopback: false,
    trigger: "app-1/grant-1",
    ...overrides,
  };
}

async function outsOf(pending: Promise<{ outs?: AccessCheckOutputs }>): Promise<AccessCheckOutputs> {
  const { outs } = await pending;
  if (outs === undefined) throw new Error("create returned no outputs");
  return outs;
}

async function failureOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  return (error as Error).message;
}

describe("the provider's methods, called directly", () => {
  it("create: checks the client and records only non-secret facts", async () => {
    const provider = await loadProvider();
    const client = await env.createClient({ roles: ["ServiceUser"] });
    const inputs = inputsFor(client);
    const { id, outs } = await provider.create(inputs);
    expect(id).toMatch(/^oic-access-check-[0-9a-f-]{36}$/);
    const { clientSecret: _omitted, ...echoed } = inputs;
    expect(outs).toEqual({
      ...echoed,
      concurrency: 4,
      clientSecretFingerprint: expect.stringMatching(FINGERPRINT) as unknown,
      diagnosis: "ok",
      httpStatus: 200,
      connections: 12,
      tokenExpiresAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as unknown,
      checkedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as unknown,
      attempts: 1,
      elapsedMs: expect.any(Number) as unknown,
    });
    expect(JSON.stringify(outs)).not.toContain(client.clientSecret);
  });

  it("create: a client that does not work fails with the diagnosis and the fix, never the secret", async () => {
    const provider = await loadProvider();
    const client = await env.createClient({ roles: ["ServiceInvoker"] });
    const message = await failureOf(provider.create(inputsFor(client, { roles: ["ServiceInvoker"] })));
    expect(message).toBe(
      `access check of client ${client.clientId} failed after 1 attempt(s) [role_missing]: GET /ic/api/integration/v1/connections answered 401: client ${client.clientId} has no role that can view connections on ${env.emu.integrationInstance}. Fix: ${INVOKER_ONLY_HINT}`,
    );
    expect(message).not.toContain(client.clientSecret);
  });

  it("create: unusable input fails before any request, naming the input", async () => {
    const provider = await loadProvider();
    const client = await env.createClient();
    env.emu.control.clearRequests();
    const message = await failureOf(provider.create(inputsFor(client, { scope: "/ic/api/" })));
    expect(message).toMatch(/^invalid access-check input: scope must be a fully qualified OIC scope/);
    expect(env.emu.control.requests().filter((r) => !r.path.startsWith("/admin/"))).toEqual([]);
  });

  it("diff after create: no change for the same inputs; a rotated secret or a new trigger is an update", async () => {
    const provider = await loadProvider();
    const client = await env.createClient();
    const inputs = inputsFor(client);
    const outs = await outsOf(provider.create(inputs));
    const diff = provider.diff;
    if (diff === undefined) throw new Error("no diff");
    const withProvider = {
      ...outs,
      __provider: "exports.handler = () => ({ old: true });",
    } as AccessCheckOutputs;
    expect(await diff("id", withProvider, { ...inputs, __provider: "new" } as AccessCheckInputs)).toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
    });
    expect((await diff("id", outs, { ...inputs, clientSecret: "idcscs-rotated" })).changes).toBe(true);
    expect((await diff("id", outs, { ...inputs, trigger: "app-1/grant-2" })).changes).toBe(true);
  });

  it("update: runs the check again with the new inputs", async () => {
    const provider = await loadProvider();
    const client = await env.createClient({ scopeKinds: ["consumerAll", "icApi"] });
    const before = inputsFor(client);
    env.emu.control.clearRequests();
    const outs = await outsOf(provider.create(before));
    const update = provider.update;
    if (update === undefined) throw new Error("no update");
    await checkRequests(2); // create's own requests are in the log before it is cleared
    env.emu.control.clearRequests();
    const result = await update("id", outs, { ...before, scope: client.scopes.consumerAll, trigger: "t-2" });
    expect(result.outs).toMatchObject({ diagnosis: "ok", scope: client.scopes.consumerAll, trigger: "t-2" });
    expect(await checkRequests(2)).toEqual(["/oauth2/v1/token", "/ic/api/integration/v1/connections"]);
  });

  it("delete: makes no request at all", async () => {
    const provider = await loadProvider();
    const client = await env.createClient();
    env.emu.control.clearRequests();
    const outs = await outsOf(provider.create(inputsFor(client)));
    await checkRequests(2); // create's own requests are in the log before it is cleared
    env.emu.control.clearRequests();
    await provider.delete?.("id", outs);
    // A marker request after delete: the log is ordered, so anything delete had sent would come first.
    await env.request(`${env.emu.idcsUrl}/admin/v1/SigningCert/jwk`);
    let log: string[] = [];
    await vi.waitFor(
      () => {
        log = env.emu.control.requests().map((r) => r.path);
        expect(log).toContain("/admin/v1/SigningCert/jwk");
      },
      { timeout: 2_000, interval: 5 },
    );
    expect(
      log.filter(
        (path) =>
          !path.startsWith("/admin/v1/Apps") &&
          !path.startsWith("/admin/v1/Grants") &&
          !path.startsWith("/admin/v1/AppRoles"),
      ),
    ).toEqual(["/admin/v1/SigningCert/jwk"]);
  });
});

/** Runs one provider method in a fresh `node` (no tsx, no vitest), cwd elsewhere, from the serialized text. */
function runSerialized(
  text: string,
  method: string,
  args: unknown[],
): Promise<{ ok: boolean; value?: unknown; message?: string }> {
  const dir = mkdtempSync(join(tmpdir(), "serialized-provider-"));
  const file = join(dir, "provider.js");
  writeFileSync(file, text);
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      [RUNNER, file],
      { cwd: dir, env: { PATH: process.env.PATH }, timeout: 60_000 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`runner failed: ${stderr}`));
        else resolve(JSON.parse(stdout) as { ok: boolean; value?: unknown; message?: string });
      },
    );
    // The inputs, secret included, go through stdin as the engine's gRPC would carry them, not argv.
    child.stdin?.end(JSON.stringify({ method, args }));
  });
}

async function serializedProviderOf(check: pulumi.Resource): Promise<string> {
  await new Promise<void>((resolve) => pulumi.all([check.urn]).apply(() => resolve()));
  const registration = registrations.find((r) => r.type === TYPE);
  if (registration === undefined) throw new Error("no OicAccessCheck was registered");
  const text = registration.inputs.__provider;
  if (typeof text !== "string") throw new Error("no serialized provider in the inputs");
  return text;
}

describe("the resource, and its serialized provider run as the engine runs it", () => {
  it("registers the dynamic resource with the secret as an input and none in the serialized code", async () => {
    const { OicAccessCheck } = await loadComponent();
    const client = await env.createClient();
    const inputs = inputsFor(client);
    const check = new OicAccessCheck("dev-ci-access-check", { ...inputs, verifyOnEveryUp: false });
    const text = await serializedProviderOf(check);
    const registration = registrations.find((r) => r.type === TYPE);
    expect(registration?.name).toBe("dev-ci-access-check");
    expect(registration?.inputs).toMatchObject({
      tokenUrl: inputs.tokenUrl,
      clientId: client.clientId,
      clientSecret: secretValue(client.clientSecret),
      scope: client.scopes.icApi,
      probe: "connections",
      roles: ["ServiceUser"],
      retryBudgetSeconds: 0,
      trigger: "app-1/grant-1",
    });
    expect(registration?.inputs).not.toHaveProperty("verifyNonce");
    for (const output of [
      check.diagnosis,
      check.httpStatus,
      check.connections,
      check.tokenExpiresAt,
      check.checkedAt,
    ]) {
      expect(pulumi.Output.isInstance(output)).toBe(true);
    }
    expect(text).toMatch(/^exports\.handler = __f0;/);
    expect(text).not.toContain(client.clientSecret);
    expect(text).not.toContain("idcscs-");
    expect(text.length).toBeLessThan(20_000);
  });

  it("the serialized create passes for a working client, in a process without a TypeScript loader", async () => {
    const { OicAccessCheck } = await loadComponent();
    const client = await env.createClient();
    const inputs = inputsFor(client);
    const text = await serializedProviderOf(new OicAccessCheck("serialized-ok", { ...inputs }));
    const created = await runSerialized(text, "create", [inputs]);
    expect(created.ok).toBe(true);
    const { outs } = created.value as { outs: AccessCheckOutputs };
    expect([outs.diagnosis, outs.httpStatus, outs.connections, outs.attempts]).toEqual(["ok", 200, 12, 1]);
    expect(JSON.stringify(created)).not.toContain(client.clientSecret);
    const diffed = await runSerialized(text, "diff", ["id", outs, inputs]);
    expect(diffed).toEqual({ ok: true, value: { changes: false, replaces: [], deleteBeforeReplace: false } });
    const deleted = await runSerialized(text, "delete", ["id", outs]);
    expect(deleted).toEqual({ ok: true, value: null });
  });

  it("the serialized create fails with the diagnosis for a client without the role", async () => {
    const { OicAccessCheck } = await loadComponent();
    const client = await env.createClient({ roles: ["ServiceInvoker"] });
    const inputs = inputsFor(client, { roles: ["ServiceInvoker"] });
    const text = await serializedProviderOf(new OicAccessCheck("serialized-role", { ...inputs }));
    const result = await runSerialized(text, "create", [inputs]);
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(
      /^access check of client [0-9a-f]+ failed after 1 attempt\(s\) \[role_missing\]: /,
    );
    expect(result.message).not.toContain(client.clientSecret);
  });
});

describe("the resource's registration", () => {
  it("registers the defaults, the args given, and a fresh nonce when verifying on every up", async () => {
    const { OicAccessCheck, accessCheckTrigger } = await loadComponent();
    const trigger = accessCheckTrigger(["app-id", "grant-1", "https://a:443/ic/api/"]);
    const check = new OicAccessCheck("dev-ci-access-check", {
      tokenUrl: "https://idcs.example",
      clientId: "client_1",
      clientSecret: "idcscs-x",
      scope: "https://a:443/ic/api/",
      designTimeUrl: "https://design.example",
      integrationInstance: "oicdev-x",
      roles: ["ServiceUser"],
      retryBudgetSeconds: 30,
      caFile: undefined,
      verifyOnEveryUp: true,
      trigger,
    });
    await serializedProviderOf(check);
    const inputs = registrations.find((r) => r.type === TYPE)?.inputs ?? {};
    const { __provider: _text, verifyNonce, ...rest } = inputs;
    expect(verifyNonce).toMatch(/^[0-9a-f-]{36}$/);
    expect(rest).toEqual({
      tokenUrl: "https://idcs.example",
      clientId: "client_1",
      clientSecret: secretValue("idcscs-x"),
      scope: "https://a:443/ic/api/",
      designTimeUrl: "https://design.example",
      integrationInstance: "oicdev-x",
      probe: "connections",
      roles: ["ServiceUser"],
      retryBudgetSeconds: 30,
      timeoutSeconds: 10,
      allowPlainHttpOnLoopback: false,
      concurrency: 4,
      trigger: createHash("sha256")
        .update(JSON.stringify(["app-id", "grant-1", "https://a:443/ic/api/"]))
        .digest("hex"),
    });
  });
});

describe("checks at once, as the engine's dynamic-provider host runs them", () => {
  it("two copies of the serialized provider run at most `concurrency` checks between them, and a failing check holds up none", async () => {
    const { OicAccessCheck } = await loadComponent();
    const clients = await Promise.all([
      env.createClient(),
      env.createClient(),
      env.createClient({ roles: ["ServiceInvoker"] }),
      env.createClient(),
      env.createClient(),
    ]);
    const all = clients.map((client, index) =>
      inputsFor(client, {
        concurrency: 2,
        ...(index === 2 ? { roles: ["ServiceInvoker"] } : {}),
      }),
    );
    const text = await serializedProviderOf(new OicAccessCheck("copies", { ...all[0]! }));
    // The host loads each resource's provider text with its own require-from-string (cmd/dynamic-provider,
    // getProvider): two loads, two copies of every module-level value, one process.
    const copies = ["a.js", "b.js"].map((file) => requireFromString(text, join(tmpdir(), file)).handler());
    expect(copies[0]).not.toBe(copies[1]);
    // Each answer takes a moment, so checks that are allowed to run together do overlap.
    env.emu.control.injectFault({ path: "/oauth2/v1/token", kind: "delay", delayMs: 100, times: Infinity });
    env.emu.control.injectFault({
      host: "designTime",
      path: "/ic/api/",
      kind: "delay",
      delayMs: 100,
      times: Infinity,
    });
    env.emu.control.clearRequests();
    const settled = await Promise.allSettled(all.map((inputs, index) => copies[index % 2]!.create(inputs)));
    env.emu.control.clearFaults();

    expect(settled.map((result) => result.status)).toEqual([
      "fulfilled",
      "fulfilled",
      "rejected",
      "fulfilled",
      "fulfilled",
    ]);
    expect(String((settled[2] as PromiseRejectedResult).reason)).toContain("[role_missing]");
    const checkRequests = env.emu.control
      .requests()
      .filter((r) => r.path === "/oauth2/v1/token" || r.host === "designTime");
    expect(checkRequests).toHaveLength(10);
    expect(maxInFlight(checkRequests)).toBe(2);
  });
});
