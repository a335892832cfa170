import { describe, expect, it } from "vitest";
import {
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
  duplicates,
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
    expect(checkDescription("tab\there")).toEqual({
      ok: false,
      problem: "{value} is not a valid description",
    });
    expect(checkDescription("   ")).toEqual({ ok: false, problem: "{value} is not a valid description" });
    expect(checkDescription("two\nlines")).toEqual({
      ok: false,
      problem: "{value} is not a valid description",
    });
  });
});

describe("checkCaFile", () => {
  const files = { cwd: "/project", fileExists: (p: string) => p === "/project/certs/ca.pem" };
  it("resolves a relative path against the project directory", () => {
    expect(checkCaFile("certs/ca.pem", files)).toEqual({ ok: true, value: "/project/certs/ca.pem" });
    expect(checkCaFile("/project/certs/ca.pem", files)).toEqual({ ok: true, value: "/project/certs/ca.pem" });
  });
  it("refuses a file that is not there, saying where it looked", () => {
    expect(checkCaFile("ca.pem", files)).toEqual({
      ok: false,
      problem: "{value} does not exist (looked for /project/ca.pem)",
      fix: "give the path of a PEM file, absolute or relative to the project directory",
    });
  });
});

describe("duplicates", () => {
  it("points each repetition at the first occurrence", () => {
    expect(duplicates(["a", "b", "a", "c", "b", "a"], (x) => x)).toEqual([
      { index: 2, firstIndex: 0 },
      { index: 4, firstIndex: 1 },
      { index: 5, firstIndex: 0 },
    ]);
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
