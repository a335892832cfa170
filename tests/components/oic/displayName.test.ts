import { describe, expect, it } from "vitest";
import {
  DISPLAY_NAME_RULE,
  DISPLAY_NAME_PREFIX_RULE,
  isDisplayName,
  isDisplayNamePrefix,
  prefixedDisplayName,
} from "../../../components/oic/displayName";

describe("isDisplayName", () => {
  it.each(["OIC reporting (prod)", "a", "0", "dev-reporting", "a.b_c-d", "x".repeat(100)])(
    "accepts %j",
    (name) => {
      expect(isDisplayName(name)).toBe(true);
    },
  );

  it.each([
    ["", "empty"],
    ["x".repeat(101), "101 characters"],
    [" leading", "a leading space"],
    ["-reporting", "a leading hyphen"],
    ["(prod)", "a leading parenthesis"],
    ["trailing ", "a trailing space"],
    ["a/b", "a slash"],
    ["a\tb", "a tab"],
    ["Résumé", "a letter outside ASCII"],
  ])("refuses %j (%s)", (name) => {
    expect(isDisplayName(name)).toBe(false);
  });
});

describe("isDisplayNamePrefix", () => {
  it.each(["", "dev-", "oic prod.", "x".repeat(40)])("accepts %j", (prefix) => {
    expect(isDisplayNamePrefix(prefix)).toBe(true);
  });

  it.each(["x".repeat(41), "dev/", "dev(", "tab\t"])("refuses %j", (prefix) => {
    expect(isDisplayNamePrefix(prefix)).toBe(false);
  });
});

describe("the rules in words", () => {
  it("say the limits the checks apply", () => {
    expect(DISPLAY_NAME_RULE).toBe(
      'at most 100 letters, digits, spaces, ".", "_", "-", "(" or ")", starting with a letter or digit',
    );
    expect(DISPLAY_NAME_PREFIX_RULE).toBe('at most 40 letters, digits, spaces, ".", "_" or "-"');
  });

  it("a prefixed display name is the prefix, then the client's name", () => {
    expect(prefixedDisplayName("dev-", "reporting")).toBe("dev-reporting");
    expect(prefixedDisplayName("", "reporting")).toBe("reporting");
  });
});
