import { describe, expect, it } from "vitest";

import {
  codePointName,
  echo,
  echoPath,
  escapeUnsafe,
  quote,
  truncate,
  truncateMiddle,
} from "../../config/echo";

describe("echo: user text in a message", () => {
  it.each([
    ["plain text", "plain text"],
    ["tab\there", "tab\\u0009here"],
    ["\u001b[31mred", "\\u001b[31mred"],
    ["del\u007f next\u0085", "del\\u007f next\\u0085"],
    ["bidi \u202e and \u2066", "bidi \\u202e and \\u2066"],
    ["zero\u200bwidth\ufeff", "zero\\u200bwidth\\ufeff"],
    ["line\u2028para\u2029", "line\\u2028para\\u2029"],
    ["lone \ud800", "lone \\ud800"],
    ["tag \u{e0041}", "tag \\u{e0041}"],
    ["émoji 👍 and العربية", "émoji 👍 and العربية"],
  ])("escapes what acts on a terminal or hides itself: %j", (text, shown) => {
    expect(escapeUnsafe(text)).toBe(shown);
  });

  it("cuts by code point, never inside a surrogate pair", () => {
    expect(truncate("a".repeat(100))).toBe("a".repeat(100));
    expect(truncate("a".repeat(101))).toBe(`${"a".repeat(99)}…`);
    expect(truncate("👍".repeat(101))).toBe(`${"👍".repeat(99)}…`);
    expect(truncate("abcdef", 4)).toBe("abc…");
  });

  it("cuts a path in the middle, so that its file name stays", () => {
    const path = `/home/${"d".repeat(200)}/ca.pem`;
    const cut = truncateMiddle(path);
    expect(Array.from(cut)).toHaveLength(100);
    expect(cut.startsWith("/home/ddd")).toBe(true);
    expect(cut.endsWith("ddd/ca.pem")).toBe(true);
    expect(echoPath("/tmp/\u0007ca.pem")).toBe("/tmp/\\u0007ca.pem");
  });

  it("cuts, then escapes; quote also JSON-quotes", () => {
    expect(echo(`${"k".repeat(150)}\u0007`)).toBe(`${"k".repeat(99)}…`);
    expect(quote('say "hi"\u202e')).toBe('"say \\"hi\\"\\u202e"');
    expect(codePointName("\u202e")).toBe("U+202E");
    expect(codePointName("\t")).toBe("U+0009");
  });
});
