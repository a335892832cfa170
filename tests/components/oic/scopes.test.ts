import { describe, expect, it } from "vitest";
import { sameAudience } from "../../../components/oic/audience";
import { splitFullyQualifiedScope } from "../../../components/oic/scopes";

const AUDIENCE = "https://ABCDEF0123456789ABCDEF0123456789.integration.us-ashburn-1.ocp.oraclecloud.com:443";

describe("splitFullyQualifiedScope", () => {
  it("splits audience and value for both OIC scopes, with no separator between them", () => {
    expect(splitFullyQualifiedScope(`${AUDIENCE}/ic/api/`)).toEqual({
      audience: AUDIENCE,
      value: "/ic/api/",
    });
    expect(splitFullyQualifiedScope(`${AUDIENCE}urn:opc:resource:consumer::all`)).toEqual({
      audience: AUDIENCE,
      value: "urn:opc:resource:consumer::all",
    });
  });

  it("refuses a bare value or anything else", () => {
    expect(splitFullyQualifiedScope("/ic/api/")).toBeUndefined();
    expect(splitFullyQualifiedScope("urn:opc:resource:consumer::all")).toBeUndefined();
    expect(splitFullyQualifiedScope(`${AUDIENCE}/ic/api`)).toBeUndefined();
    expect(splitFullyQualifiedScope("urn:opc:idm:__myscopes__")).toBeUndefined();
  });
});

describe("sameAudience", () => {
  it.each([
    [AUDIENCE, AUDIENCE, true],
    [AUDIENCE, AUDIENCE.replace(":443", ""), true],
    [AUDIENCE, `${AUDIENCE}/`, true],
    [AUDIENCE, AUDIENCE.toLowerCase(), true],
    [` ${AUDIENCE}`, AUDIENCE, true],
    ["https://h.example/path/", "https://h.example/path", true],
    [AUDIENCE, AUDIENCE.replace("us-ashburn-1", "us-phoenix-1"), false],
    [AUDIENCE, AUDIENCE.replace(":443", ":8443"), false],
    [AUDIENCE, AUDIENCE.replace("https:", "http:"), false],
    ["https://h.example/a", "https://h.example/b", false],
    ["not a url", "not a url", true],
    ["not a url", "not-a-url", false],
  ])("%s ~ %s → %s", (a, b, expected) => {
    expect(sameAudience(a, b)).toBe(expected);
    expect(sameAudience(b, a)).toBe(expected);
  });
});
