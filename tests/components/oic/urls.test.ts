import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  checkOrigin,
  isLoopbackHost,
  originOfReportedUrl,
  redactUserInfo,
} from "../../../components/oic/urls";

const DOMAIN = "https://idcs-0123456789abcdef0123456789abcdef.identity.oraclecloud.com";

describe("checkOrigin", () => {
  it.each([
    [DOMAIN, DOMAIN],
    [`${DOMAIN}:443`, DOMAIN],
    ["https://IDCS-ABC.Identity.OracleCloud.com", "https://idcs-abc.identity.oraclecloud.com"],
    ["https://127.0.0.1:8443", "https://127.0.0.1:8443"],
  ])("accepts %s as %s", (raw, origin) => {
    expect(checkOrigin(raw)).toEqual({ ok: true, origin, hostname: new URL(origin).hostname });
  });

  it.each([
    [`${DOMAIN}/`, { ok: false, problem: "ends with a slash", fix: `remove it: "${DOMAIN}"` }],
    [
      `${DOMAIN}/admin/v1`,
      {
        ok: false,
        problem: 'has the path "/admin/v1", but only scheme, host and port are allowed',
        fix: `use "${DOMAIN}"`,
      },
    ],
    [`${DOMAIN}?a=b`, { ok: false, problem: "has a query or a fragment", fix: `use "${DOMAIN}"` }],
    [`${DOMAIN}#x`, { ok: false, problem: "has a query or a fragment", fix: `use "${DOMAIN}"` }],
    [
      "https://user:pw@host.example",
      {
        ok: false,
        problem: "contains user information (user@ or user:password@)",
        fix: "remove it; credentials never go in a URL",
      },
    ],
    ["idcs-x.identity.oraclecloud.com", { ok: false, problem: "is not an absolute URL" }],
    ["https:///nohost", { ok: false, problem: "is not an absolute URL" }],
    ["ftp://host.example", { ok: false, problem: 'uses the scheme "ftp://"', fix: "use https://" }],
    [` ${DOMAIN}`, { ok: false, problem: "has leading or trailing spaces", fix: "remove them" }],
    [
      "http://host.example",
      {
        ok: false,
        problem: "uses plain http://, which is only allowed for a loopback host (the local emulator)",
        fix: "use https://",
      },
    ],
    [
      "http://127.0.0.1:9000",
      {
        ok: false,
        problem: "uses plain http://",
        fix: "use https:// (only for a loopback host such as the local emulator)",
      },
    ],
  ])("refuses %s", (raw, expected) => {
    expect(checkOrigin(raw)).toEqual(expected);
  });

  it("names the switch that allows plain http on loopback, and accepts it when switched on", () => {
    expect(checkOrigin("http://localhost:9000", { plainHttpSwitch: "x:allow" })).toEqual({
      ok: false,
      problem: "uses plain http://",
      fix: "use https://, or set x:allow to true (only for a loopback host such as the local emulator)",
    });
    expect(checkOrigin("http://localhost:9000", { allowPlainHttpOnLoopback: true })).toEqual({
      ok: true,
      origin: "http://localhost:9000",
      hostname: "localhost",
    });
    expect(checkOrigin("http://10.0.0.1", { allowPlainHttpOnLoopback: true })).toMatchObject({ ok: false });
  });

  const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/);
  // The last label starts with a letter: a host that ends in a number is read as an IPv4 address.
  const topLevel = fc.stringMatching(/^[a-z]{2,6}$/);
  const origin = fc
    .tuple(
      fc.array(label, { minLength: 1, maxLength: 3 }),
      topLevel,
      fc.option(fc.integer({ min: 1, max: 65535 })),
    )
    .map(([labels, tld, port]) => `https://${[...labels, tld].join(".")}${port === null ? "" : `:${port}`}`);

  it("normal form is a fixed point (property)", () => {
    fc.assert(
      fc.property(origin, (raw) => {
        const first = checkOrigin(raw);
        if (!first.ok) return false;
        const second = checkOrigin(first.origin);
        return second.ok && second.origin === first.origin;
      }),
    );
  });

  it("a trailing slash or a path is refused, and the fix is the normal form (property)", () => {
    fc.assert(
      fc.property(origin, fc.stringMatching(/^(\/[a-z0-9]{1,8}){0,3}\/?$/), (raw, path) => {
        fc.pre(path !== "");
        const check = checkOrigin(raw + path);
        const normal = checkOrigin(raw);
        return (
          !check.ok &&
          normal.ok &&
          check.fix === (path === "/" ? `remove it: "${normal.origin}"` : `use "${normal.origin}"`)
        );
      }),
    );
  });
});

describe("isLoopbackHost", () => {
  it.each([
    ["localhost", true],
    ["127.0.0.1", true],
    ["127.255.0.3", true],
    ["[::1]", true],
    ["128.0.0.1", false],
    ["127.0.0.256", false],
    ["127.0.0.1.example.com", false],
    ["example.com", false],
  ])("%s → %s", (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });
});

describe("originOfReportedUrl", () => {
  it("drops the path an API reports (e.g. /ic/home) but keeps the scheme rules", () => {
    expect(originOfReportedUrl("https://x.integration.r.ocp.oraclecloud.com/ic/home/")).toEqual({
      ok: true,
      origin: "https://x.integration.r.ocp.oraclecloud.com",
      hostname: "x.integration.r.ocp.oraclecloud.com",
    });
    expect(originOfReportedUrl("http://design.example/ic")).toMatchObject({ ok: false, fix: "use https://" });
    expect(originOfReportedUrl("not a url")).toEqual({ ok: false, problem: "is not an absolute URL" });
  });
});

describe("redactUserInfo", () => {
  it("hides credentials and leaves other URLs alone", () => {
    expect(redactUserInfo("https://u:secret@h.example/x")).toBe("https://***@h.example/x");
    expect(redactUserInfo(DOMAIN)).toBe(DOMAIN);
  });
});
