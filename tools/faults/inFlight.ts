/**
 * Requests in flight at the emulator, from its request log: each request is in flight from its arrival
 * (`receivedAt`) to the end of its answer (`at`). Half-open intervals, so that a request answered in the
 * millisecond another one arrives does not count as overlapping it.
 */
import type { RecordedRequest } from "../emulator";

export function maxInFlight(requests: readonly RecordedRequest[]): number {
  const events: Array<[number, number]> = [];
  for (const request of requests) {
    events.push([request.receivedAt, 1]);
    // An answer within the same millisecond still occupied the server for a moment.
    events.push([Math.max(request.at, request.receivedAt + 0.5), -1]);
  }
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let current = 0;
  let max = 0;
  for (const [, delta] of events) {
    current += delta;
    max = Math.max(max, current);
  }
  return max;
}
