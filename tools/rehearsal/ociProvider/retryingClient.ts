/**
 * Retries a signed client's calls the way the OCI provider's SDK does (oci-go-sdk `common/retry.go`, `Retry`):
 * each call gets one `opc-retry-token` that every retry of it reuses, and after each attempt the provider's
 * policy (`retryPolicy.ts`) decides whether to wait and try again. The last answer, whatever its status, or the
 * last transport error is what the caller gets; `attemptsOf` tells how many attempts it took.
 */
import { randomInt } from "node:crypto";
import { setTimeout as sleepFor } from "node:timers/promises";

import { HttpErrorCode, isHttpError, type HttpResponse } from "../../../components/http";
import type { SignedClient, SignedRequest } from "../../../components/signing";
import {
  backoffMs,
  PROVIDER_RETRY_BUDGETS,
  shouldRetry,
  type AttemptOutcome,
  type RetryBudgets,
} from "./retryPolicy";

/** Time and chance, injectable so that tests of long budgets take no time. */
export interface RetryClock {
  /** Epoch milliseconds. */
  now(): number;
  /** Resolves after `ms`; rejects when `signal` aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** A number in [0, 1): the jitter. */
  random(): number;
}

export const systemClock: RetryClock = {
  now: () => Date.now(),
  sleep: (ms, signal) => sleepFor(ms, undefined, signal === undefined ? undefined : { signal }),
  random: () => Math.random(),
};

export interface ProviderRetryOptions {
  /** Default: the provider's own (2 min, 10 min, 10 attempts, 1 s minimum wait). */
  readonly budgets?: Partial<RetryBudgets>;
  readonly clock?: RetryClock;
  /** Stops the retries (no further attempt, no further wait), e.g. on Ctrl+C. */
  readonly signal?: AbortSignal;
}

const attempts = new WeakMap<object, number>();

/** How many attempts produced this answer or error (1 when it did not come from a retrying client). */
export function attemptsOf(value: unknown): number {
  return typeof value === "object" && value !== null ? (attempts.get(value) ?? 1) : 1;
}

/** The SDK's token: 32 characters out of [a-zA-Z0-9] (`common.RetryToken`). */
const TOKEN_CHARACTERS = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
export function newRetryToken(): string {
  let token = "";
  for (let index = 0; index < 32; index++) token += TOKEN_CHARACTERS[randomInt(TOKEN_CHARACTERS.length)];
  return token;
}

/**
 * The identity domains SDK client sets `opc-retry-token` on every operation it sends (`identitydomains_client.go`:
 * CreateApp, GetApp, ListAppRoles, DeleteGrant, …); the integration client's GetIntegrationInstance sends none.
 */
function sendsRetryToken(url: string): boolean {
  try {
    return new URL(url).pathname.startsWith("/admin/v1/");
  } catch {
    return false;
  }
}

function outcomeOf(result: { response: HttpResponse } | { error: unknown }): AttemptOutcome {
  if ("response" in result) {
    const { status, headers, body } = result.response;
    return { kind: "answer", status, retryAfter: headers["retry-after"], body };
  }
  const { error } = result;
  const networkError =
    isHttpError(error) &&
    (error.code === HttpErrorCode.connectionReset || error.code === HttpErrorCode.timeout);
  return { kind: "transport", networkError };
}

function record<T extends object>(value: T, count: number): T {
  attempts.set(value, count);
  return value;
}

/** A client whose every request is retried as the OCI provider retries its calls. */
export function withProviderRetries(client: SignedClient, options: ProviderRetryOptions = {}): SignedClient {
  const budgets: RetryBudgets = { ...PROVIDER_RETRY_BUDGETS, ...options.budgets };
  const clock = options.clock ?? systemClock;
  const { signal } = options;
  return {
    async request(request: SignedRequest): Promise<HttpResponse> {
      // The policy's clock starts when the call starts (`getDefaultRetryPolicy` notes `startTime`).
      const started = clock.now();
      const sent: SignedRequest = sendsRetryToken(request.url)
        ? { ...request, headers: { ...request.headers, "opc-retry-token": newRetryToken() } }
        : request;
      // Functions, not narrowed properties: the signal can abort during any await.
      const isAborted = (): boolean => signal?.aborted === true;
      const interrupted = (): Error => new Error(`interrupted (${String(signal?.reason)})`);
      for (let attempt = 1; ; attempt++) {
        if (isAborted()) throw interrupted();
        let result: { response: HttpResponse } | { error: unknown };
        try {
          result = { response: await client.request(sent) };
        } catch (error) {
          result = { error };
        }
        const outcome = outcomeOf(result);
        const succeeded = outcome.kind === "answer" && outcome.status >= 200 && outcome.status < 300;
        const elapsed = clock.now() - started;
        // The SDK waits once more after its last attempt before it gives up; that wait changes nothing but
        // the time to fail, so it is left out.
        if (succeeded || !shouldRetry(attempt, outcome, elapsed, budgets)) {
          if ("response" in result) return record(result.response, attempt);
          if (typeof result.error === "object" && result.error !== null) record(result.error, attempt);
          throw result.error;
        }
        try {
          await clock.sleep(
            backoffMs(attempt, outcome, elapsed, budgets, () => clock.random()),
            signal,
          );
        } catch (error) {
          if (isAborted()) throw interrupted();
          throw error;
        }
      }
    },
  };
}
