/**
 * The retry policy terraform-provider-oci v8.23.0 gives every identity-domain and integration-instance call: its
 * resources and data sources ask `tfresource.GetRetryPolicy(…, "identity_domains")` (or `"integration"`), and
 * neither service has an entry in `serviceExpectedRetryDurationMap`, so the default policy applies
 * (`internal/tfresource/retry.go`, functions `getDefaultRetryPolicy`, `GetDefaultExpectedRetryDuration`,
 * `GetRetryBackoffDuration`). Pure functions of an attempt's outcome, so they can be tested without a network.
 */

/** How long and how often the provider keeps trying one call. */
export interface RetryBudgets {
  /** 409, 500 and any other retryable status, and network errors: `ShortRetryTime`, 2 minutes. */
  readonly shortMs: number;
  /** 429: `LongRetryTime`, 10 minutes. */
  readonly longMs: number;
  /** `maxAttemptsForRetryPolicy`: 10 attempts in all, the first included. */
  readonly maxAttempts: number;
  /** `minRetryBackoff`: every wait is at least 1 second. */
  readonly minBackoffMs: number;
}

export const PROVIDER_RETRY_BUDGETS: RetryBudgets = {
  shortMs: 2 * 60_000,
  longMs: 10 * 60_000,
  maxAttempts: 10,
  minBackoffMs: 1_000,
};

/** What one attempt came back with: an answer (any status) or a failure to get one. */
export type AttemptOutcome =
  | {
      readonly kind: "answer";
      readonly status: number;
      readonly retryAfter: string | undefined;
      /** The answer's body, only searched for the two error codes the policy looks for. */
      readonly body: string;
    }
  | {
      readonly kind: "transport";
      /**
       * Whether the Go SDK would call it a network error (`common.IsNetworkError` in oci-go-sdk
       * `common/errors.go`): a reset connection (ECONNRESET) or a timeout. A refused connection, a DNS or a TLS
       * failure is not one: with no answer and no network error, the policy gives up at once.
       */
      readonly networkError: boolean;
    };

/** Statuses the default policy never retries (`case 400, 401, 403, 413`, `case 404`, `case 412`). */
const NEVER_RETRIED: ReadonlySet<number> = new Set([400, 401, 403, 404, 412, 413]);

/**
 * How long, from the call's first attempt, the provider keeps retrying after this outcome
 * (`GetDefaultExpectedRetryDuration`); 0 means it gives up now.
 */
export function expectedRetryMs(outcome: AttemptOutcome, budgets: RetryBudgets): number {
  if (outcome.kind === "transport") return outcome.networkError ? budgets.shortMs : 0;
  const { status, body } = outcome;
  if (status >= 200 && status < 300) return 0;
  if (NEVER_RETRIED.has(status)) return 0;
  // A 409 is retried (another writer may finish), unless the retry token itself was refused.
  if (status === 409 && body.includes("InvalidatedRetryToken")) return 0;
  if (status === 429) return budgets.longMs;
  if (status === 500 && body.includes("Out of host capacity")) return 0;
  // Every other status, 5xx included, falls through to ShortRetryTime.
  return budgets.shortMs;
}

/** `Retry-After` as `GetRetryBackoffDuration` reads it: whole seconds (`strconv.Atoi`), anything else ignored. */
function retryAfterMs(value: string | undefined): number | undefined {
  if (value === undefined || !/^[+-]?\d+$/.test(value.trim())) return undefined;
  return Math.max(0, Number(value.trim()) * 1000);
}

/** Statuses whose `Retry-After` replaces the computed wait, for services without their own duration function. */
const HONOURS_RETRY_AFTER: ReadonlySet<number> = new Set([409, 429, 503]);

/** Attempt numbers above this no longer grow the wait (`quadraticBackoffCap`: at most 2 × 12² = 288 s). */
const QUADRATIC_BACKOFF_CAP = 12;

/**
 * The wait before the next attempt, after attempt `attempt` (1-based) failed with `outcome`
 * (`getRetryBackoffDurationWithExpectedRetryDurationFn`, then `GetRetryBackoffDuration`): a uniformly jittered
 * wait between the minimum and 2 × attempt² seconds, shortened to land just after the budget ends when it would
 * overshoot it, and replaced by the server's `Retry-After` on a 409, 429 or 503.
 */
export function backoffMs(
  attempt: number,
  outcome: AttemptOutcome,
  elapsedMs: number,
  budgets: RetryBudgets,
  random: () => number,
): number {
  const capped = Math.min(attempt, QUADRATIC_BACKOFF_CAP);
  const range = Math.max(0, 2 * capped * capped * 1000 - budgets.minBackoffMs);
  let wait = Math.floor(random() * (range + 1)) + budgets.minBackoffMs;
  const expected = expectedRetryMs(outcome, budgets);
  if (elapsedMs < expected && elapsedMs + wait > expected) {
    const extraJitter = Math.floor(expected * 0.05);
    const final = expected - elapsedMs + Math.floor(random() * (extraJitter + 1)) + budgets.minBackoffMs;
    wait = Math.min(wait, final);
  }
  if (outcome.kind === "answer" && HONOURS_RETRY_AFTER.has(outcome.status)) {
    wait = retryAfterMs(outcome.retryAfter) ?? wait;
  }
  return wait;
}

/** Whether another attempt follows `attempt`: the outcome is retryable, within its budget, under the cap. */
export function shouldRetry(
  attempt: number,
  outcome: AttemptOutcome,
  elapsedMs: number,
  budgets: RetryBudgets,
): boolean {
  return attempt < budgets.maxAttempts && elapsedMs < expectedRetryMs(outcome, budgets);
}
