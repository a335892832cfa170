/**
 * Exponential backoff with full jitter: a random delay below min(cap, base × 2^(retry-1)). It spreads clients
 * that failed together instead of having them come back in lockstep (AWS Architecture Blog, "Exponential Backoff
 * And Jitter"). Every retry loop of the project uses it.
 */
export function fullJitterDelayMs(
  retry: number,
  baseDelayMs: number,
  maxDelayMs: number,
  random: () => number,
): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(random() * ceiling);
}
