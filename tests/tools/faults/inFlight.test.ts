/** Requests in flight at the emulator, from its request log (tools/faults/inFlight.ts), as the load test counts them. */
import { describe, expect, it } from "vitest";

import type { RecordedRequest } from "../../../tools/emulator";
import { maxInFlight } from "../../../tools/faults/inFlight";

const request = (receivedAt: number, at: number): RecordedRequest => ({
  host: "identity",
  method: "GET",
  path: "/",
  status: 200,
  receivedAt,
  at,
});

describe("maxInFlight", () => {
  it("counts the requests that overlap, not those that follow one another", () => {
    expect(maxInFlight([])).toBe(0);
    expect(maxInFlight([request(0, 10), request(10, 20), request(20, 30)])).toBe(1);
    expect(maxInFlight([request(0, 10), request(5, 15), request(9, 12), request(12, 20)])).toBe(3);
  });

  it("counts a request answered within its millisecond", () => {
    expect(maxInFlight([request(5, 5), request(5, 5)])).toBe(2);
    expect(maxInFlight([request(5, 5), request(6, 6)])).toBe(1);
  });
});
