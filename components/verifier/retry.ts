import { MAX_TIMER_MS, MAX_TIMER_REASON } from "../http";
import { fullJitterDelayMs } from "../http/backoff";
import { type Phase } from "./attempt";
import { DEFAULT_RETRY_BUDGET_SECONDS } from "./defaults";
import { DIAGNOSIS_CLASS, type Diagnosis } from "./diagnosis";

/**
 * When the check tries again. Bounded by time (`budgetMs`) and by count (`maxAttempts`), with exponential
 * backoff and full jitter (delay = random × min(maxDelay, base × 2^(retry-1))), which spreads many clients
 * verified at once instead of having them retry in lockstep.
 */
export interface RetryPolicy {
  /** Total time after the first attempt's start during which retries may start; 0 = never retry. Default 120 s. */
  readonly budgetMs: number;
  /**
   * How long after the check started a propagation failure (invalid_client, invalid_scope, a 401 or 403 from
   * the Developer API) still counts as "not visible yet" rather than wrong. Default 120 s.
   */
  readonly propagationWindowMs: number;
  /** Default 250. */
  readonly baseDelayMs: number;
  /** Cap on one backoff delay; small enough that a check passes soon after a grant becomes visible. Default 2 000. */
  readonly maxDelayMs: number;
  /** Hard cap on attempts, whatever the budget. Default 200. */
  readonly maxAttempts: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  budgetMs: DEFAULT_RETRY_BUDGET_SECONDS * 1000,
  propagationWindowMs: DEFAULT_RETRY_BUDGET_SECONDS * 1000,
  baseDelayMs: 250,
  maxDelayMs: 2_000,
  maxAttempts: 200,
};

/** What the retry decision needs to know about a failed attempt. */
export interface FailureFacts {
  readonly diagnosis: Diagnosis;
  /** Which request failed: a 401 or 403 means a role only from the Developer API. */
  readonly phase: Phase;
  readonly httpStatus?: number;
  /** The HTTP layer's transport code (e.g. `connection_reset`) for network failures. */
  readonly transport?: string;
  readonly retryAfterMs?: number;
  /** False when the configured roles cannot pass the probe, so a role failure will not heal by waiting. */
  readonly rolesCouldPass: boolean;
}

export type RetryDecision =
  | { readonly retry: true; readonly delayMs: number }
  | { readonly retry: false; readonly reason: "not_healable" | "budget" | "window" | "attempts" };

/**
 * Failures that propagation right after create explains: the domain or OIC has not seen the change yet.
 * What OIC answers while a grant has not reached it is not documented: a 401 is inferred from Oracle's
 * "Unauthorized Errors: Check Roles Assigned to Your Confidential Application"
 * (https://docs.oracle.com/en/cloud/paas/application-integration/integrations-user/check-roles-assigned-your-confidential-application.html),
 * which does not show its body (NotAuthorized and NotAuthenticated are both plausible), and a 403 is possible
 * (OCI's common 403 NotAuthorized, https://docs.oracle.com/en-us/iaas/Content/API/References/apierrors.htm).
 * So any 401 or 403 from the Developer API may heal, whatever its body, unless the configured roles cannot
 * pass the probe; the last answer decides the diagnosis.
 */
function isPropagationFailure(f: FailureFacts): boolean {
  if (f.diagnosis === "invalid_client" || f.diagnosis === "invalid_scope") return true;
  return f.phase === "api" && (f.httpStatus === 401 || f.httpStatus === 403) && f.rolesCouldPass;
}

/** Failures of the service or the path to it, which heal whatever was deployed. */
function isTransientFailure(f: FailureFacts): boolean {
  if (DIAGNOSIS_CLASS[f.diagnosis] === "unavailable") return true;
  if (f.diagnosis === "timeout") return true;
  return f.diagnosis === "network" && f.transport === "connection_reset";
}

export function backoffDelayMs(retry: number, policy: RetryPolicy, random: () => number): number {
  return fullJitterDelayMs(retry, policy.baseDelayMs, policy.maxDelayMs, random);
}

/**
 * Decides whether to try again after attempt number `attempt` (1-based) failed `elapsedMs` after the
 * check started. A server's Retry-After is a floor, with a little jitter on top so that clients told
 * the same thing do not come back together.
 */
export function decideRetry(
  failure: FailureFacts,
  attempt: number,
  elapsedMs: number,
  policy: RetryPolicy,
  random: () => number,
): RetryDecision {
  const propagation = isPropagationFailure(failure);
  if (!propagation && !isTransientFailure(failure)) return { retry: false, reason: "not_healable" };
  if (policy.budgetMs === 0) return { retry: false, reason: "budget" };
  if (propagation && elapsedMs >= policy.propagationWindowMs) return { retry: false, reason: "window" };
  if (attempt >= policy.maxAttempts) return { retry: false, reason: "attempts" };
  const backoff = backoffDelayMs(attempt, policy, random);
  const delayMs =
    failure.retryAfterMs !== undefined
      ? failure.retryAfterMs + Math.floor(random() * policy.baseDelayMs)
      : backoff;
  if (elapsedMs + delayMs > policy.budgetMs) return { retry: false, reason: "budget" };
  return { retry: true, delayMs };
}

export function resolveRetryPolicy(overrides: Partial<RetryPolicy> | undefined): RetryPolicy {
  const policy = { ...DEFAULT_RETRY_POLICY, ...overrides };
  for (const [key, value] of Object.entries(policy)) {
    if (!Number.isFinite(value) || value < 0) {
      throw new RangeError(`retry policy ${key} must be a non-negative number, got ${String(value)}`);
    }
    // Every wait ends within the budget, so bounding the durations bounds each sleep's timer.
    if (key !== "maxAttempts" && value > MAX_TIMER_MS) {
      throw new RangeError(
        `retry policy ${key} must be at most ${MAX_TIMER_MS} ms (${MAX_TIMER_REASON}), got ${String(value)}`,
      );
    }
  }
  return policy;
}
