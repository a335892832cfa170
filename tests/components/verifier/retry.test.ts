import { describe, expect, it } from "vitest";

import {
  backoffDelayMs,
  decideRetry,
  DEFAULT_RETRY_POLICY,
  resolveRetryPolicy,
  type FailureFacts,
} from "../../../components/verifier";

const almostOne = () => 0.999999;
const half = () => 0.5;
const facts = (diagnosis: FailureFacts["diagnosis"], extra: Partial<FailureFacts> = {}): FailureFacts => ({
  diagnosis,
  phase: "token",
  rolesCouldPass: true,
  ...extra,
});

describe("backoffDelayMs: exponential with full jitter", () => {
  it("doubles the ceiling from the base up to the cap", () => {
    expect([1, 2, 3, 4, 5, 9].map((retry) => backoffDelayMs(retry, DEFAULT_RETRY_POLICY, almostOne))).toEqual(
      [249, 499, 999, 1999, 1999, 1999],
    );
  });

  it("draws uniformly below the ceiling", () => {
    expect([1, 2, 3, 4].map((retry) => backoffDelayMs(retry, DEFAULT_RETRY_POLICY, half))).toEqual([
      125, 250, 500, 1000,
    ]);
    expect(backoffDelayMs(3, DEFAULT_RETRY_POLICY, () => 0)).toBe(0);
  });
});

describe("decideRetry", () => {
  const policy = DEFAULT_RETRY_POLICY;

  it.each([
    ["invalid_client", {}],
    ["invalid_scope", {}],
    ["role_missing", { phase: "api", httpStatus: 401 }],
    ["role_missing", { phase: "api", httpStatus: 403 }],
    ["audience_mismatch", { phase: "api", httpStatus: 401 }],
    ["rate_limited", { httpStatus: 429 }],
    ["server_error", { httpStatus: 503 }],
    ["timeout", { transport: "timeout" }],
    ["network", { transport: "connection_reset" }],
  ] as const)("retries %s (a failure that can heal)", (diagnosis, extra) => {
    expect(decideRetry(facts(diagnosis, extra), 1, 0, policy, half)).toEqual({ retry: true, delayMs: 125 });
  });

  it.each([
    ["unauthorized_client", {}],
    ["bad_response", { phase: "token", httpStatus: 403 }],
    ["audience_mismatch", { phase: "token", httpStatus: 200 }],
    ["redirected", { httpStatus: 307 }],
    ["instance_not_found", { httpStatus: 404 }],
    ["audience_mismatch", {}],
    ["tls", { transport: "tls" }],
    ["network", { transport: "network" }],
    ["bad_response", { httpStatus: 200 }],
  ] as const)("fails %s at once", (diagnosis, extra) => {
    expect(decideRetry(facts(diagnosis, extra), 1, 0, policy, half)).toEqual({
      retry: false,
      reason: "not_healable",
    });
  });

  it("does not wait for a role grant when the configured roles cannot pass the probe", () => {
    expect(
      decideRetry(
        facts("role_missing", { phase: "api", httpStatus: 401, rolesCouldPass: false }),
        1,
        0,
        policy,
        half,
      ),
    ).toEqual({
      retry: false,
      reason: "not_healable",
    });
  });

  it("stops propagation retries at the end of the window, but not transient ones", () => {
    const window = { ...policy, propagationWindowMs: 10_000 };
    expect(decideRetry(facts("invalid_scope"), 3, 10_000, window, half)).toEqual({
      retry: false,
      reason: "window",
    });
    expect(decideRetry(facts("invalid_scope"), 3, 9_999, window, half)).toEqual({
      retry: true,
      delayMs: 500,
    });
    expect(decideRetry(facts("server_error", { httpStatus: 502 }), 3, 10_000, window, half)).toEqual({
      retry: true,
      delayMs: 500,
    });
  });

  it("stops when the next wait would end after the budget", () => {
    const tight = { ...policy, budgetMs: 1_000 };
    expect(decideRetry(facts("server_error"), 2, 750, tight, half)).toEqual({ retry: true, delayMs: 250 });
    expect(decideRetry(facts("server_error"), 2, 751, tight, half)).toEqual({
      retry: false,
      reason: "budget",
    });
  });

  it("never retries with a zero budget", () => {
    expect(decideRetry(facts("server_error"), 1, 0, { ...policy, budgetMs: 0 }, () => 0)).toEqual({
      retry: false,
      reason: "budget",
    });
  });

  it("stops at the attempt cap", () => {
    expect(decideRetry(facts("timeout"), 5, 0, { ...policy, maxAttempts: 5 }, half)).toEqual({
      retry: false,
      reason: "attempts",
    });
  });

  it("waits at least Retry-After, plus jitter below the base delay", () => {
    expect(decideRetry(facts("rate_limited", { retryAfterMs: 3_000 }), 1, 0, policy, half)).toEqual({
      retry: true,
      delayMs: 3_125,
    });
    expect(decideRetry(facts("rate_limited", { retryAfterMs: 3_000 }), 1, 117_000, policy, half)).toEqual({
      retry: false,
      reason: "budget",
    });
  });
});

describe("resolveRetryPolicy", () => {
  it("has the documented defaults: 120 s budget and window, 250 ms base, 2 s cap, 200 attempts", () => {
    expect(DEFAULT_RETRY_POLICY).toEqual({
      budgetMs: 120_000,
      propagationWindowMs: 120_000,
      baseDelayMs: 250,
      maxDelayMs: 2_000,
      maxAttempts: 200,
    });
    expect(resolveRetryPolicy(undefined)).toEqual(DEFAULT_RETRY_POLICY);
  });

  it("fills defaults and keeps overrides", () => {
    expect(resolveRetryPolicy({ budgetMs: 0 })).toEqual({
      budgetMs: 0,
      propagationWindowMs: 120_000,
      baseDelayMs: 250,
      maxDelayMs: 2_000,
      maxAttempts: 200,
    });
  });

  it("refuses negative or non-finite values", () => {
    expect(() => resolveRetryPolicy({ maxDelayMs: -1 })).toThrow(
      "retry policy maxDelayMs must be a non-negative number, got -1",
    );
    expect(() => resolveRetryPolicy({ budgetMs: Number.NaN })).toThrow(
      "retry policy budgetMs must be a non-negative number, got NaN",
    );
  });
});
