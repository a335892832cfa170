import type { RetryClock } from "../../../tools/rehearsal/ociProvider/retryingClient";

/**
 * A clock for the provider's retries that only moves when it waits: every wait is recorded and returns at once,
 * so a test can use the provider's real budgets (minutes) and still take milliseconds, with exact waits.
 */
export function virtualClock(random = 0.5): { clock: RetryClock; waits: number[]; elapsed(): number } {
  const waits: number[] = [];
  let slept = 0;
  return {
    waits,
    elapsed: () => slept,
    clock: {
      now: () => slept,
      sleep: (ms, signal) => {
        signal?.throwIfAborted();
        waits.push(ms);
        slept += ms;
        return Promise.resolve();
      },
      random: () => random,
    },
  };
}
