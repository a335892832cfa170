import { describe, expect, it } from "vitest";

import {
  checkRequestUrl,
  type HttpError,
  isLoopbackHost,
  parseRetryAfter,
  redactUrl,
} from "../../../components/http";

describe("redactUrl", () => {
  it("keeps origin, path and the values of harmless query keys", () => {
    expect(
      redactUrl(
        "https://design.example:443/ic/api/integration/v1/connections?integrationInstance=i-1&limit=1",
      ),
    ).toBe("https://design.example/ic/api/integration/v1/connections?integrationInstance=i-1&limit=1");
  });

  it("drops user info and fragment and redacts every other query value", () => {
    expect(redactUrl("https://user:pass@h.example/p?access_token=abc&client_secret=def&offset=2#frag")).toBe(
      "https://h.example/p?access_token=[redacted]&client_secret=[redacted]&offset=2",
    );
  });

  it("says nothing about a string that is not a URL", () => {
    expect(redactUrl("idcscs-secret value")).toBe("<invalid URL>");
  });
});

describe("isLoopbackHost", () => {
  it.each([
    ["127.0.0.1", true],
    ["127.0.0.3", true],
    ["127.255.1.2", true],
    ["localhost", true],
    ["LOCALHOST", true],
    ["[::1]", true],
    ["::1", true],
    ["[::ffff:127.0.0.1]", true],
    ["128.0.0.1", false],
    ["10.0.0.1", false],
    ["[::2]", false],
    ["localhost.example.com", false],
    ["127.0.0.1.nip.io", false],
    ["example.com", false],
  ])("%s → %s", (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });
});

describe("checkRequestUrl", () => {
  const codeOf = (fn: () => unknown): string => {
    try {
      fn();
    } catch (error) {
      return (error as HttpError).code;
    }
    return "no error";
  };

  it("accepts https anywhere", () => {
    expect(checkRequestUrl("https://example.com/x", "GET", false).href).toBe("https://example.com/x");
  });

  it("accepts http only for loopback and only when allowed", () => {
    expect(checkRequestUrl("http://127.0.0.1:8080/x", "GET", true).host).toBe("127.0.0.1:8080");
    expect(checkRequestUrl("http://[::1]:8080/x", "GET", true).hostname).toBe("[::1]");
    expect(codeOf(() => checkRequestUrl("http://127.0.0.1:8080/x", "GET", false))).toBe("insecure_url");
    expect(codeOf(() => checkRequestUrl("http://example.com/x", "GET", true))).toBe("insecure_url");
  });

  it("rejects other schemes and non-URLs", () => {
    expect(codeOf(() => checkRequestUrl("file:///etc/passwd", "GET", true))).toBe("invalid_url");
    expect(codeOf(() => checkRequestUrl("/relative", "GET", true))).toBe("invalid_url");
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2025-01-01T00:00:00Z");

  it("reads delay-seconds", () => {
    expect(parseRetryAfter("3", now)).toBe(3000);
    expect(parseRetryAfter(" 0 ", now)).toBe(0);
  });

  it("reads an HTTP-date relative to now, never negative", () => {
    expect(parseRetryAfter("Wed, 01 Jan 2025 00:00:05 GMT", now)).toBe(5000);
    expect(parseRetryAfter("Tue, 31 Dec 2024 23:59:00 GMT", now)).toBe(0);
  });

  it("ignores absent or unparsable values", () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter("-1", now)).toBeUndefined();
    expect(parseRetryAfter("1.5", now)).toBeUndefined();
  });
});
