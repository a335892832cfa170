import { Realm } from "oci-common";
import { describe, expect, it } from "vitest";
import {
  OCI_REALM_DOMAINS,
  checkAudience,
  checkCaFile,
  checkClientName,
  checkDescription,
  checkDisplayName,
  checkDisplayNamePrefix,
  checkIdcsAppId,
  checkIdentityDomainEndpoint,
  checkIntegrationInstanceOcid,
  checkOicUrl,
  checkProbeRoles,
  checkServiceInstanceName,
} from "../../config/validate";

const DOMAIN = "https://idcs-0123456789abcdef0123456789abcdef.identity.oraclecloud.com";
const SWITCH = "oic-client-provisioner:identityDomain.allowPlainHttpOnLoopback";

describe("checkIdentityDomainEndpoint", () => {
  it.each([
    [DOMAIN, false, DOMAIN],
    [`${DOMAIN}:443`, false, DOMAIN],
    [
      "https://idcs-0123456789abcdef0123456789abcdef.identity.oraclegovcloud.com",
      false,
      "https://idcs-0123456789abcdef0123456789abcdef.identity.oraclegovcloud.com",
    ],
    ["https://127.0.0.1:8443", false, "https://127.0.0.1:8443"],
    ["http://127.0.0.1:8080", true, "http://127.0.0.1:8080"],
  ])("accepts %s (plain http allowed: %s)", (raw, allow, expected) => {
    expect(checkIdentityDomainEndpoint(raw, allow)).toEqual({ ok: true, value: expected });
  });

  it.each([
    [`${DOMAIN}/`, false, { ok: false, problem: "{value} ends with a slash", fix: `remove it: "${DOMAIN}"` }],
    ["https://example.com", false, { ok: false, problem: "{value} is not an identity domain URL" }],
    [
      "https://idcs-XYZ.identity.oraclecloud.com",
      false,
      { ok: false, problem: "{value} is not an identity domain URL" },
    ],
    [
      `${DOMAIN}:8443`,
      false,
      {
        ok: false,
        problem: "{value} names the port 8443, but identity domains answer on 443",
        fix: `use "${DOMAIN}"`,
      },
    ],
    [
      "http://127.0.0.1:8080",
      false,
      {
        ok: false,
        problem: "{value} uses plain http://",
        fix: `use https://, or set ${SWITCH} to true (only for a loopback host such as the local emulator)`,
      },
    ],
    [
      "http://idcs-0123456789abcdef0123456789abcdef.identity.oraclecloud.com",
      true,
      {
        ok: false,
        problem: "{value} uses plain http://, which is only allowed for a loopback host (the local emulator)",
        fix: "use https://",
      },
    ],
  ])("refuses %s (plain http allowed: %s)", (raw, allow, expected) => {
    expect(checkIdentityDomainEndpoint(raw, allow)).toEqual(expected);
  });
});

describe("checkIdentityDomainEndpoint: the host is exactly an identity domain's, the text exactly a URL", () => {
  const ID = "0123456789abcdef0123456789abcdef";
  it.each([
    `${DOMAIN}.evil.example`,
    `https://idcs-${ID}.identity.oraclecloud.com.evil.example:443`,
    `https://idcs-${ID}.identity.oraclecloud.com.`,
    `https://idcs-${ID}.identity.example.com`,
    `https://idcs-${ID}.identity.oraclecloud.co`,
    `https://xidcs-${ID}.identity.oraclecloud.com`,
    `https://a.idcs-${ID}.identity.oraclecloud.com`,
  ])("refuses the host of %s", (raw) => {
    expect(checkIdentityDomainEndpoint(raw, false)).toEqual({
      ok: false,
      problem: "{value} is not an identity domain URL",
    });
  });

  it.each([`${DOMAIN}\\admin`, `${DOMAIN}\\`, `https:\\\\idcs-${ID}.identity.oraclecloud.com`])(
    "refuses the backslash in %s (WHATWG URL reads it as a slash)",
    (raw) => {
      expect(checkIdentityDomainEndpoint(raw, false)).toEqual({
        ok: false,
        problem: '{value} contains a backslash, which URL parsers read as "/"',
        fix: `use "${DOMAIN}"`,
      });
    },
  );

  it.each([
    [`https://idcs-${ID}\t.identity.oraclecloud.com`, "U+0009"],
    [`https://idcs-${ID}.identity.oraclecloud.com\u200b`, "U+200B"],
    [`https://idcs-${ID}.identity.oraclecloud\u202ecom`, "U+202E"],
  ])("refuses %j, which holds the invisible %s", (raw, name) => {
    expect(checkIdentityDomainEndpoint(raw, false)).toEqual({
      ok: false,
      problem: `{value} contains ${name}, an invisible or control character`,
      fix: "remove it",
    });
  });

  it("refuses a URL too long to be an origin before parsing it", () => {
    expect(checkIdentityDomainEndpoint(`${DOMAIN}/${"a".repeat(300)}`, false)).toEqual({
      ok: false,
      problem: "{value} is 371 characters long, more than the 267 of the longest origin",
      fix: `use "${DOMAIN}"`,
    });
  });

  it.each(OCI_REALM_DOMAINS)("accepts an identity domain in the realm of %s", (domain) => {
    const endpoint = `https://idcs-${ID}.identity.${domain}`;
    expect(checkIdentityDomainEndpoint(endpoint, false)).toEqual({ ok: true, value: endpoint });
  });

  it("knows the realms the OCI SDK knows", () => {
    const sdk = new Set(Realm.values().map((realm) => realm.secondLevelDomain));
    expect([...new Set(OCI_REALM_DOMAINS)].sort()).toEqual([...sdk].sort());
  });
});

describe("checkIntegrationInstanceOcid", () => {
  it.each([
    "ocid1.integrationinstance.oc1.iad.amaaaaaaexampleuniqueid",
    "ocid1.integrationinstance.oc1.us-ashburn-1.amaaaaaa0123",
    "ocid1.integrationinstance.oc2..amaaaaaa0123",
    "ocid1.integrationinstance.oc1.iad.future.amaaaaaa0123",
  ])("accepts %s", (ocid) => {
    expect(checkIntegrationInstanceOcid(ocid)).toEqual({ ok: true, value: ocid });
  });
  it.each([
    ["ocid1.tenancy.oc1..aaaa", "{value} is the OCID of a tenancy, not of an integration instance"],
    ["ocid1.integrationinstance.oc1.iad.", "{value} is not the OCID of an integration instance"],
    ["my-oic-instance", "{value} is not the OCID of an integration instance"],
    ["OCID1.INTEGRATIONINSTANCE.OC1.IAD.AAAA", "{value} is not the OCID of an integration instance"],
  ])("refuses %s", (raw, problem) => {
    expect(checkIntegrationInstanceOcid(raw)).toEqual({ ok: false, problem });
  });
});

describe("small checks", () => {
  it("service-instance names are DNS labels", () => {
    expect(checkServiceInstanceName("oicdev-axhknnpmgslz-ia")).toEqual({
      ok: true,
      value: "oicdev-axhknnpmgslz-ia",
    });
    for (const bad of ["OicDev", "-x", "x-", "a_b", "", "a".repeat(64)]) {
      expect(checkServiceInstanceName(bad)).toEqual({
        ok: false,
        problem: "{value} is not a service-instance name",
      });
    }
  });

  it("app ids are 32 hex characters", () => {
    expect(checkIdcsAppId("0123456789abcdef0123456789ABCDEF")).toMatchObject({ ok: true });
    expect(checkIdcsAppId("OICINST_x")).toEqual({ ok: false, problem: "{value} is not 32 hex characters" });
  });

  it("the audience is kept exactly as written, :443 included", () => {
    const audience = "https://ABCDEF.integration.us-ashburn-1.ocp.oraclecloud.com:443";
    expect(checkAudience(audience)).toEqual({ ok: true, value: audience });
    expect(checkAudience(`${audience}/`)).toMatchObject({ ok: false, problem: "{value} ends with a slash" });
    expect(checkAudience("http://127.0.0.1:1")).toMatchObject({
      ok: false,
      problem: "{value} uses plain http://",
    });
  });

  it("OIC URLs are normalised origins", () => {
    expect(checkOicUrl("https://Design.Integration.us-ashburn-1.ocp.oraclecloud.com:443", false)).toEqual({
      ok: true,
      value: "https://design.integration.us-ashburn-1.ocp.oraclecloud.com",
    });
    expect(checkOicUrl("http://127.0.0.3:9000", true)).toEqual({ ok: true, value: "http://127.0.0.3:9000" });
    expect(checkOicUrl("https://x.example/ic/home", false)).toMatchObject({ ok: false });
  });

  it.each([
    ["reporting", true],
    ["a", true],
    ["invoke-only-2", true],
    ["Reporting", false],
    ["1st", false],
    ["ends-", false],
    ["has_underscore", false],
    ["a".repeat(41), false],
  ])("client name %s → %s", (name, good) => {
    expect(checkClientName(name).ok).toBe(good);
  });

  it("display names, prefixes and descriptions", () => {
    expect(checkDisplayNamePrefix("")).toEqual({ ok: true, value: "" });
    expect(checkDisplayNamePrefix("oic prod.")).toEqual({ ok: true, value: "oic prod." });
    expect(checkDisplayNamePrefix("a/b")).toEqual({
      ok: false,
      problem: "{value} is not a valid display-name prefix",
    });
    expect(checkDisplayName("OIC reporting (prod)")).toMatchObject({ ok: true });
    expect(checkDisplayName(" leading")).toEqual({
      ok: false,
      problem: "{value} is not a valid display name",
    });
    expect(checkDisplayName("trailing ")).toEqual({
      ok: false,
      problem: "{value} is not a valid display name",
    });
    expect(checkDescription("Reads connections for the nightly report.")).toMatchObject({ ok: true });
  });

  it.each([
    "Reads connections for the nightly report.",
    "Résumé des connexions, 👨\u200d👩\u200d👧 (ZWJ inside an emoji)",
    "تقرير الاتصالات الليلي",
    "گزارش\u200cها (ZWNJ inside Persian text)",
    "x".repeat(400),
  ])("accepts the description %j", (description) => {
    expect(checkDescription(description)).toEqual({ ok: true, value: description });
  });

  it.each([
    ["tab\there", "{value} contains U+0009, a control character", "remove it"],
    ["two\nlines", "{value} contains U+000A, a control character", "remove it"],
    ["bell\u0007", "{value} contains U+0007, a control character", "remove it"],
    ["next\u0085line", "{value} contains U+0085, a control character", "remove it"],
    ["a\u2028b", "{value} contains U+2028, a line or paragraph separator", "remove it"],
    [
      "abc\u202edef",
      "{value} contains U+202E, a bidirectional control that displays text in another order than it is stored",
      "remove it",
    ],
    [
      "\u202aembedded",
      "{value} contains U+202A, a bidirectional control that displays text in another order than it is stored",
      "remove it",
    ],
    [
      "\u2066isolated\u2069",
      "{value} contains U+2066, a bidirectional control that displays text in another order than it is stored",
      "remove it",
    ],
    ["lone \ud800 surrogate", "{value} is not well-formed Unicode (it has a lone surrogate)", "remove it"],
  ])("refuses the description %j", (description, problem, fix) => {
    expect(checkDescription(description)).toEqual({ ok: false, problem, fix });
  });

  it.each(["", "   ", "\u200b\u200b", "\u200b \ufeff\u2060", " \u3000 ", "\u00ad"])(
    "refuses the description %j, which shows nothing",
    (description) => {
      expect(checkDescription(description)).toEqual({
        ok: false,
        problem: "{value} has no visible character",
      });
    },
  );

  it("refuses a description over 400 characters", () => {
    expect(checkDescription("x".repeat(401))).toEqual({
      ok: false,
      problem: "{value} is 401 characters long, more than 400",
    });
  });

  it.each(["dev\u202ereporting", "\u200b", "dev\u2066x", "dev\treporting"])(
    "refuses the display name, prefix and client name %j",
    (text) => {
      expect(checkDisplayName(text)).toEqual({ ok: false, problem: "{value} is not a valid display name" });
      expect(checkDisplayNamePrefix(text)).toEqual({
        ok: false,
        problem: "{value} is not a valid display-name prefix",
      });
      expect(checkClientName(text)).toEqual({ ok: false, problem: "{value} is not a valid client name" });
    },
  );
});

describe("checkCaFile", () => {
  const files = { cwd: "/project", fileExists: (p: string) => p === "/project/certs/ca.pem" };
  it("finds a relative path in the project directory and ~/ in the home folder, and keeps it as written", () => {
    expect(checkCaFile("certs/ca.pem", files)).toEqual({ ok: true, value: "certs/ca.pem" });
    expect(checkCaFile("/project/certs/ca.pem", files)).toEqual({ ok: true, value: "/project/certs/ca.pem" });
    expect(checkCaFile("~/ca.pem", { ...files, homeDir: "/project/certs" })).toEqual({
      ok: true,
      value: "~/ca.pem",
    });
  });
  it("refuses a file that is not there, saying where it looked", () => {
    expect(checkCaFile("ca.pem", files)).toEqual({
      ok: false,
      problem: "{value} does not exist (looked for /project/ca.pem)",
      fix: "give the path of a PEM file, absolute, relative to the project directory or under ~/",
    });
  });
});

describe("checkProbeRoles", () => {
  it("says which role to add or which probe to choose", () => {
    expect(checkProbeRoles("connections", ["ServiceInvoker"], "K.probe")).toEqual({
      ok: false,
      problem:
        '{value} cannot pass the "connections" probe: GET /ic/api/integration/v1/connections needs one of ' +
        "ServiceAdministrator, ServiceDeveloper, ServiceUser, ServiceViewer",
      fix: 'add "ServiceUser" (the documented minimum for the Developer APIs), or set K.probe to "token"',
    });
    expect(checkProbeRoles("token", ["ServiceInvoker"], "K.probe")).toEqual({ ok: true, value: true });
    expect(checkProbeRoles("connections", ["ServiceViewer"], "K.probe")).toEqual({ ok: true, value: true });
  });
});
