import { describe, expect, it } from "vitest";
import { REPETITION_FIX, repetitionProblem, repetitions } from "../../../components/oic/repetitions";

describe("repetitions", () => {
  it("points each repetition at the first occurrence", () => {
    expect(repetitions(["a", "b", "a", "c", "b", "a"])).toEqual([
      { index: 2, firstIndex: 0 },
      { index: 4, firstIndex: 1 },
      { index: 5, firstIndex: 0 },
    ]);
  });

  it("compares by the key given, e.g. display names without case", () => {
    expect(repetitions(["Reporting", "reporting"], (name) => name.toLowerCase())).toEqual([
      { index: 1, firstIndex: 0 },
    ]);
    expect(repetitions(["ServiceUser", "ServiceViewer"])).toEqual([]);
  });

  it("words the problem around the caller's subject, with one fix", () => {
    expect(repetitionProblem('"icApi"', { index: 1, firstIndex: 0 })).toBe(
      '"icApi" is listed twice (also at [0])',
    );
    expect(REPETITION_FIX).toBe("remove the repetition");
  });
});
