/** When a change becomes visible, with the clock passed in: the arithmetic behind the propagation knobs. */
import { describe, expect, it } from "vitest";

import { Propagation } from "../../../tools/emulator/propagation";
import { type AppRecord, type GrantRecord } from "../../../tools/emulator/store";

const FQS = "https://0123456789ABCDEF.integration.us-ashburn-1.ocp.oraclecloud.com:443/ic/api/";

function app(activeSince: number | undefined, scopeAddedAt: number): AppRecord {
  return { resource: {}, activeSince, scopeAddedAt: new Map([[FQS, scopeAddedAt]]), origin: "api" };
}

function grant(createdAt: number): GrantRecord {
  return {
    id: "g",
    createdAt,
    granteeId: "a",
    granteeType: "App",
    appId: "o",
    roleId: "r",
    compositeKey: "k",
    origin: "api",
    resource: {},
  };
}

describe("Propagation", () => {
  it("makes an app, a scope and a grant visible exactly when their delay has passed", () => {
    const propagation = new Propagation({ appsMs: 150, scopesMs: 150, grantsMs: 150 });
    expect([1_149, 1_150].map((now) => propagation.appVisible(app(1_000, 0), now))).toEqual([false, true]);
    expect([1_149, 1_150].map((now) => propagation.scopeVisible(app(0, 1_000), FQS, now))).toEqual([
      false,
      true,
    ]);
    expect([1_149, 1_150].map((now) => propagation.grantVisible(grant(1_000), now))).toEqual([false, true]);
  });

  it("never shows an inactive app or a scope the app does not allow", () => {
    const propagation = new Propagation();
    expect(propagation.appVisible(app(undefined, 0), 10_000)).toBe(false);
    expect(propagation.scopeVisible(app(0, 0), `${FQS}x`, 10_000)).toBe(false);
  });

  it("uses the delays in force when asked, and keeps the ones a change leaves out", () => {
    const propagation = new Propagation({ grantsMs: 60_000 });
    expect(propagation.grantVisible(grant(1_000), 2_000)).toBe(false);
    propagation.set({ appsMs: 5 });
    expect(propagation.current()).toEqual({ appsMs: 5, grantsMs: 60_000, scopesMs: 0 });
    propagation.set({ grantsMs: 0 });
    expect(propagation.grantVisible(grant(1_000), 1_000)).toBe(true);
  });
});
