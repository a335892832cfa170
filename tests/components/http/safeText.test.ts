/** The one sanitiser of text a server sent, and redaction of known secrets by value. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { createSecretRedactor, quoted, quotedList, safeText } from "../../../components/http";

const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;

describe("safeText", () => {
  it.each([
    ["ANSI clear screen and cursor home", "\u001b[2J\u001b[H", "\\x1b[2J\\x1b[H"],
    ["CR, LF and tab", "a\r\nb\tc", "a\\r\\nb\\tc"],
    ["NUL, BEL, DEL", "\u0000\u0007\u007f", "\\x00\\x07\\x7f"],
    ["C1 CSI (an escape on 8-bit terminals)", "\u009b31m", "\\x9b31m"],
    ["bidi override and isolate (Trojan Source)", "abc\u202edef\u2066", "abc\\u{202e}def\\u{2066}"],
    ["zero-width space, BOM, soft hyphen", "a\u200bb\ufeffc\u00ad", "a\\u{200b}b\\u{feff}c\\xad"],
    ["line and paragraph separators", "a\u2028b\u2029", "a\\u{2028}b\\u{2029}"],
    ["a lone surrogate", "a\ud800b", "a\\u{d800}b"],
  ])("escapes %s", (_name, input, output) => {
    expect(safeText(input)).toBe(output);
  });

  it("keeps printable text, accents and emoji as they are", () => {
    expect(safeText('✔ ok — ü Ω 😀 /ic/api/ "quoted" \\')).toBe('✔ ok — ü Ω 😀 /ic/api/ "quoted" \\');
  });

  it("cuts at the bound with a note of how much was cut, never past the bound", () => {
    expect(safeText("x".repeat(50), 40)).toBe(`${"x".repeat(18)}… (32 more characters)`);
    expect(safeText("x".repeat(40), 40)).toBe("x".repeat(40));
    expect(safeText("\n".repeat(30), 40)).toBe(`${"\\n".repeat(9)}… (42 more characters)`);
    expect(safeText("x".repeat(50), 10)).toBe("x".repeat(10));
  });

  it("does not split a surrogate pair at the cut", () => {
    expect(safeText(`${"x".repeat(17)}😀${"y".repeat(30)}`, 40)).toBe(
      `${"x".repeat(17)}… (32 more characters)`,
    );
  });

  it("quotes one value at 200 characters and lists at most three", () => {
    expect(quoted("a\nb")).toBe('"a\\nb"');
    expect(quoted("v".repeat(500))).toBe(`"${"v".repeat(177)}… (323 more characters)"`);
    expect(quotedList([])).toBe("(none)");
    expect(quotedList(["a", "b"])).toBe('"a", "b"');
    expect(quotedList(["a", "b", "c", "d", "e"], " ")).toBe('"a" "b" "c" (and 2 more)');
  });

  it("leaves nothing a terminal acts on, stays within the bound, and changes nothing a second time", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "binary", maxLength: 300 }),
        fc.integer({ min: 1, max: 400 }),
        (text, max) => {
          const once = safeText(text, max);
          expect(once).not.toMatch(UNSAFE);
          expect(once.length).toBeLessThanOrEqual(max);
          expect(safeText(once, max)).toBe(once);
        },
      ),
    );
  });
});

describe("createSecretRedactor", () => {
  const SECRET = "idcscs-5b1d9e0f-8a7c-4b2e-9f10-3c4d5e6f7a8b";

  it("redacts a secret, its encoded forms and any fragment of 8 characters or more", () => {
    const redactor = createSecretRedactor([SECRET]);
    expect(redactor.redact(`error ${SECRET}!`)).toBe("error [redacted]!");
    expect(redactor.redact(`half: ${SECRET.slice(10, 30)}; short: ${SECRET.slice(10, 17)}`)).toBe(
      `half: [redacted]; short: ${SECRET.slice(10, 17)}`,
    );
    expect(redactor.redact(Buffer.from(SECRET).toString("base64"))).toBe("[redacted]");
    expect(redactor.redact(Buffer.from(SECRET).toString("base64url"))).toBe("[redacted]");
    const special = createSecretRedactor(["p@ss w/rd+ü&Ω=zq9Xk7Vt"]);
    expect(special.redact(`a=${encodeURIComponent("p@ss w/rd+ü&Ω=zq9Xk7Vt")}&b=1`)).toBe("a=[redacted]&b=1");
    expect(
      special.redact(`a=${new URLSearchParams([["", "p@ss w/rd+ü&Ω=zq9Xk7Vt"]]).toString().slice(1)}`),
    ).toBe("a=[redacted]");
  });

  it("redacts a secret added later (a token) and an exact value (an encoded credential)", () => {
    const redactor = createSecretRedactor();
    expect(redactor.redact("eyJhbGciOiJSUzI1NiJ9.e30.c2ln")).toBe("eyJhbGciOiJSUzI1NiJ9.e30.c2ln");
    redactor.add("eyJhbGciOiJSUzI1NiJ9.e30.c2ln");
    redactor.addValue(Buffer.from(`app:${SECRET}`).toString("base64"));
    expect(redactor.redact("token eyJhbGciOiJSUzI1NiJ9.e30.c2ln")).toBe("token [redacted]");
    expect(redactor.redact(`basic ${Buffer.from(`app:${SECRET}`).toString("base64")}`)).toBe(
      "basic [redacted]",
    );
  });

  it("redacts a short secret only whole, and one under 4 characters not at all", () => {
    expect(createSecretRedactor(["s3cr3t"]).redact("a s3cr3t, s3cr")).toBe("a [redacted], s3cr");
    expect(createSecretRedactor(["abc"]).redact("abc")).toBe("abc");
  });

  it("holds its secrets where no serialisation shows them", () => {
    const redactor = createSecretRedactor([SECRET]);
    expect(JSON.stringify(redactor)).toBe("{}");
    expect(Object.values(redactor).every((value) => typeof value === "function")).toBe(true);
  });

  it("leaves no fragment of 8 characters or more of a secret in any text", () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 8, maxLength: 60 }),
        fc.string({ maxLength: 40 }),
        fc.string({ maxLength: 40 }),
        fc.nat(),
        fc.nat(),
        (secret, before, after, a, b) => {
          const start = a % (secret.length - 7);
          const end = start + 8 + (b % (secret.length - start - 7));
          const out = createSecretRedactor([secret]).redact(`${before}${secret.slice(start, end)}${after}`);
          for (let i = 0; i + 8 <= secret.length; i += 1) expect(out).not.toContain(secret.slice(i, i + 8));
        },
      ),
    );
  });
});
