/** The provider's diff and delete, which never touch the network. */
import { createHmac } from "node:crypto";

import { describe, expect, it } from "vitest";

import {
  accessCheckProvider,
  type AccessCheckInputs,
  type AccessCheckOutputs,
} from "../../components/accessCheckProvider";

const SECRET = "idcscs-11111111-secret-must-not-leak";
const salt = "00112233445566778899aabbccddeeff";
// HMAC-SHA256(key = salt, SECRET), as the provider records it.
const FINGERPRINT = `hmac-sha256:${salt}:${createHmac("sha256", salt).update(SECRET).digest("hex")}`;

const inputs: AccessCheckInputs = {
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
      ...withoutDefaults
    } = inputs;
    const result = await accessCheckProvider.diff!(
      "id-1",
      { ...olds, roles: [], probe: "connections" },
      withoutDefaults as AccessCheckInputs,
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
