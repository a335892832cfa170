/**
 * The read-out of requests received: host, method, path (no query), status, time. Never bodies, headers or
 * query strings, which may carry secrets. Bounded so a long-running emulator does not grow without limit.
 */
import { type RecordedRequest } from "./types";

export const MAX_RECORDED_REQUESTS = 10_000;

export class RequestLog {
  private entries: RecordedRequest[] = [];

  constructor(private readonly onRequest?: (request: RecordedRequest) => void) {}

  record(entry: RecordedRequest): void {
    this.entries.push(entry);
    if (this.entries.length > MAX_RECORDED_REQUESTS)
      this.entries.splice(0, this.entries.length - MAX_RECORDED_REQUESTS);
    this.onRequest?.(entry);
  }

  all(): readonly RecordedRequest[] {
    return [...this.entries];
  }

  clear(): void {
    this.entries = [];
  }
}
