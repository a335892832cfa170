/** The provider's diff and delete, which never touch the network, and the bound on checks at once. */
import { createHmac } from "node:crypto";

import { describe, expect, it } from "vitest";

import {
  ACCESS_CHECK_DEFAULTS,
  accessCheckProvider,
  settleInputs,
  withCheckSlot,
  type AccessCheckInputs,
  type AccessCheckOutputs,
  type SettledAccessCheckInputs,
} from "../../components/accessCheckProvider";

const SECRET = "idcscs-11111111-secret-must-not-leak";
const salt = "00112233445566778899aabbccddeeff";
// HMAC-SHA256(key = salt, SECRET), as the provider records it.
const FINGERPRINT = `hmac-sha256:${salt}:${createHmac("sha256", salt).update(SECRET).digest("hex")}`;

const inputs: SettledAccessCheckInputs = {
  tokenUrl: "https://idcs.example.test/oauth2/v1/token",
  clientId: "client_app_1",
  clientSecret: SECRET,
  scope: "https://GUID.integration.example:443/ic/api/",
  designTimeUrl: "https://design.example.test",
  integrationInstance: "oicdev-1",
  probe: "connections",
  roles: ["ServiceUser"],
  retryBudgetSeconds: 120,
  timeoutSeconds: 10,
  allowPlainHttpOnLoopback: false,
  concurrency: 4,
  trigger: "t-1",
};

const { clientSecret: _secret, ...rest } = inputs;
const olds: AccessCheckOutputs & { __provider?: string } = {
  ...rest,
  clientSecretFingerprint: FINGERPRINT,
  diagnosis: "ok",
  httpStatus: 200,
  connections: 12,
  tokenExpiresAt: "2030-01-01T01:00:00.000Z",
  checkedAt: "2030-01-01T00:00:00.000Z",
  attempts: 1,
  elapsedMs: 40,
  __provider: "exports.handler = function old() {}",
};

async function diff(news: Partial<AccessCheckInputs> & Record<string, unknown>) {
  const diffFn = accessCheckProvider.diff;
  if (diffFn === undefined) throw new Error("the provider has no diff");
  return diffFn("id-1", olds, { ...inputs, ...news });
}

describe("diff", () => {
  it("sees no change for the same inputs, whatever the serialized provider (__provider) is", async () => {
    expect(await diff({ __provider: "exports.handler = function brandNew() {}" })).toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
    });
  });

  it("treats an absent optional input as its default", async () => {
    expect(
      (await diff({ roles: undefined, probe: undefined, timeoutSeconds: undefined, roles_: 1 })).changes,
    ).toBe(true);
    const {
      roles: _r,
      probe: _p,
      timeoutSeconds: _t,
      allowPlainHttpOnLoopback: _a,
      concurrency: _c,
      ...withoutDefaults
    } = inputs;
    const absent: AccessCheckInputs = withoutDefaults;
    const result = await accessCheckProvider.diff!(
      "id-1",
      { ...olds, roles: [], probe: "connections" },
      absent,
    );
    expect(result.changes).toBe(false);
  });

  it.each([
    ["trigger", { trigger: "t-2" }],
    ["verifyNonce", { verifyNonce: "n-1" }],
    ["scope", { scope: "https://GUID.integration.example:443urn:opc:resource:consumer::all" }],
    ["clientId", { clientId: "client_app_2" }],
    ["roles", { roles: ["ServiceUser", "ServiceViewer"] }],
    ["probe", { probe: "token" as const }],
    ["designTimeUrl", { designTimeUrl: "https://design2.example.test" }],
    ["integrationInstance", { integrationInstance: "oicdev-2" }],
    ["retryBudgetSeconds", { retryBudgetSeconds: 0 }],
    ["caFile", { caFile: "/etc/ca.pem" }],
    ["clientSecret", { clientSecret: "idcscs-rotated" }],
    ["an unknown (preview) secret", { clientSecret: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" }],
  ])("asks for an update when %s changes", async (_name, change) => {
    expect(await diff(change)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
  });

  it("sees no change when only the number of checks at once changes: how many run together, not what is checked", async () => {
    expect((await diff({ concurrency: 1 })).changes).toBe(false);
  });

  it("never replaces: a check has nothing to tear down", async () => {
    expect((await diff({ clientId: "other", trigger: "x" })).replaces).toEqual([]);
  });
});

describe("delete", () => {
  it("does nothing, and needs no network: it resolves even for unreachable URLs", async () => {
    const gone = { ...olds, tokenUrl: "https://unreachable.invalid/oauth2/v1/token" };
    await expect(accessCheckProvider.delete?.("id-1", gone)).resolves.toBeUndefined();
  });
});

describe("settleInputs", () => {
  it("applies the defaults to what is absent, and keeps only the inputs it knows", () => {
    const { clientSecret: _s, probe: _p, roles: _r, concurrency: _c, ...given } = inputs;
    expect(
      settleInputs({
        ...given,
        clientSecret: SECRET,
        caFile: undefined,
        __provider: "text",
        diagnosis: "ok",
      }),
    ).toEqual({ ...given, clientSecret: SECRET, probe: "connections", roles: [], concurrency: 4 });
    expect(ACCESS_CHECK_DEFAULTS).toEqual({
      probe: "connections",
      roles: [],
      retryBudgetSeconds: 120,
      timeoutSeconds: 10,
      allowPlainHttpOnLoopback: false,
      concurrency: 4,
    });
  });
});

describe("withCheckSlot", () => {
  /** A check that stays running until the test lets it finish (or fail). */
  function heldCheck(log: string[], name: string) {
    let finish: () => void = () => undefined;
    let fail: (error: Error) => void = () => undefined;
    const done = new Promise<string>((resolve, reject) => {
      finish = () => resolve(name);
      fail = reject;
    });
    const run = () => {
      log.push(`start ${name}`);
      return done.finally(() => log.push(`end ${name}`));
    };
    return { run, finish: () => finish(), fail: (error: Error) => fail(error) };
  }
  const turns = async () => {
    for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
  };

  it("runs at most `limit` checks at once, the next as soon as one ends, each with its own result", async () => {
    const log: string[] = [];
    const checks = ["a", "b", "c", "d"].map((name) => heldCheck(log, name));
    const results = checks.map((check) => withCheckSlot(2, check.run));
    await turns();
    expect(log).toEqual(["start a", "start b"]);
    checks[1]?.finish();
    await turns();
    expect(log).toEqual(["start a", "start b", "end b", "start c"]);
    checks[0]?.finish();
    checks[2]?.finish();
    await turns();
    checks[3]?.finish();
    expect(await Promise.all(results)).toEqual(["a", "b", "c", "d"]);
    expect(log.filter((line) => line.startsWith("start"))).toEqual([
      "start a",
      "start b",
      "start c",
      "start d",
    ]);
  });

  it("gives a failed check's slot to the next one: a failure holds up no other check", async () => {
    const log: string[] = [];
    const [bad, good] = ["bad", "good"].map((name) => heldCheck(log, name));
    const failing = withCheckSlot(1, bad!.run);
    const next = withCheckSlot(1, good!.run);
    await turns();
    expect(log).toEqual(["start bad"]);
    bad!.fail(new Error("role_missing"));
    await expect(failing).rejects.toThrow("role_missing");
    await turns();
    expect(log).toEqual(["start bad", "end bad", "start good"]);
    good!.finish();
    await expect(next).resolves.toBe("good");
  });

  it("shares one bound among every copy of the provider in the process (a Symbol.for key on globalThis)", async () => {
    const log: string[] = [];
    const [a, b] = ["a", "b"].map((name) => heldCheck(log, name));
    const pools = (globalThis as unknown as Record<symbol, Map<number, { running: number }>>)[
      Symbol.for("oic-client-provisioner/access-check-slots")
    ];
    const first = withCheckSlot(7, a!.run);
    await turns();
    expect(pools?.get(7)?.running).toBe(1);
    a!.finish();
    b!.finish();
    await Promise.all([first, withCheckSlot(7, b!.run)]);
    expect(pools?.get(7)?.running).toBe(0);
  });
});
