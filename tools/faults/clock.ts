/**
 * A clock that only moves when someone waits on it: the retries of the verifier, of the OCI provider and of the
 * deactivation step take it (`now`, `sleep`, `random`), so budgets of minutes cost no real time and every wait is
 * exact. The jitter is fixed at 0.5, so the same faults give the same attempts on every run.
 */
export interface VirtualClock {
  /** Epoch milliseconds: where the clock started plus everything waited so far. */
  now(): number;
  /** Returns at once; the time waited is added to the clock. Rejects when `signal` has aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  random(): number;
  /** Milliseconds waited so far. */
  waited(): number;
  /** The waits, in order. */
  readonly waits: readonly number[];
}

export interface VirtualClockOptions {
  /** Where the clock starts (default: now). A start in the past plays a machine whose clock is behind. */
  readonly startMs?: number;
  /** Called after each wait with the total waited; e.g. a grant becomes visible once enough time has passed. */
  readonly onWaited?: (waitedMs: number) => void;
}

export function virtualClock(options: VirtualClockOptions = {}): VirtualClock {
  const start = options.startMs ?? Date.now();
  const waits: number[] = [];
  let waited = 0;
  return {
    now: () => start + waited,
    sleep(ms, signal) {
      signal?.throwIfAborted();
      waits.push(ms);
      waited += ms;
      options.onWaited?.(waited);
      return Promise.resolve();
    },
    random: () => 0.5,
    waited: () => waited,
    waits,
  };
}
