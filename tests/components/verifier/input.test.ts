import { describe, expect, it } from "vitest";

import {
  basicAuthorization,
  formEncode,
  parseVerifyInput,
  VerifierInputError,
} from "../../../components/verifier";
import { AUDIENCE, baseInput, FQS, SECRET } from "./fakes";

function inputError(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(VerifierInputError);
    const message = (error as Error).message;
    expect(message).not.toContain(SECRET);
    return message;
  }
  throw new Error("expected a VerifierInputError");
}

describe("parseVerifyInput", () => {
  it("derives audience and value, defaults the probe to connections and trims the design-time URL", () => {
    const parsed = parseVerifyInput({ ...baseInput, designTimeUrl: "https://design.example.test/" });
    expect(parsed).toEqual({
      tokenUrl: "https://idcs.example.test/oauth2/v1/token",
      clientId: "client_app_1",
      clientSecret: SECRET,
      scope: FQS,
      audience: AUDIENCE,
      scopeValue: "/ic/api/",
      designTimeUrl: "https://design.example.test",
      integrationInstance: "oicdev-axhknnpmgslz-ia",
      probe: "connections",
      roles: ["ServiceUser"],
    });
  });

  it("adds the token path when only the domain URL is given", () => {
    expect(parseVerifyInput({ ...baseInput, tokenUrl: "https://idcs.example.test" }).tokenUrl).toBe(
      "https://idcs.example.test/oauth2/v1/token",
    );
  });

  it("lets the token probe go without design-time URL and instance", () => {
    const parsed = parseVerifyInput({
      ...baseInput,
      probe: "token",
      designTimeUrl: undefined,
      integrationInstance: undefined,
    });
    expect([parsed.probe, parsed.designTimeUrl, parsed.integrationInstance]).toEqual([
      "token",
      undefined,
      undefined,
    ]);
  });

  it("names what the connections probe lacks", () => {
    expect(
      inputError(() =>
        parseVerifyInput({ ...baseInput, designTimeUrl: undefined, integrationInstance: undefined }),
      ),
    ).toBe(
      'invalid access-check input: the connections probe needs designTimeUrl (the OIC design-time URL) and integrationInstance (the service-instance name); or choose probe "token"',
    );
  });

  it("refuses a scope that is not fully qualified", () => {
    expect(inputError(() => parseVerifyInput({ ...baseInput, scope: "/ic/api/" }))).toBe(
      'invalid access-check input: scope must be a fully qualified OIC scope: the OIC app\'s audience followed by "urn:opc:resource:consumer::all" or "/ic/api/", e.g. https://<GUID>.integration.<region>.ocp.oraclecloud.com:443/ic/api/',
    );
  });

  it("refuses an instance name that is a URL or display name", () => {
    expect(
      inputError(() => parseVerifyInput({ ...baseInput, integrationInstance: "https://oicdev.example" })),
    ).toBe(
      "invalid access-check input: integrationInstance must be the service-instance name, the first DNS label of the runtime URL (lower-case letters, digits and hyphens, e.g. oicdev-axhknnpmgslz-ia), not the display name or a URL",
    );
  });

  // The same rule as the stack config and the component (components/oic/serviceInstanceName.ts).
  it.each(["a", "1oic", "a".repeat(63)])("accepts the instance name %s", (name) => {
    expect(parseVerifyInput({ ...baseInput, integrationInstance: name }).integrationInstance).toBe(name);
  });

  it.each(["OicDev-axhknnpmgslz-ia", "oicdev-", "-oicdev", "a".repeat(64), "oic_dev"])(
    "refuses the instance name %s",
    (name) => {
      expect(inputError(() => parseVerifyInput({ ...baseInput, integrationInstance: name }))).toContain(
        "integrationInstance must be the service-instance name",
      );
    },
  );

  it("refuses URLs with a query or credentials, and lists every problem at once", () => {
    expect(
      inputError(() =>
        parseVerifyInput({
          ...baseInput,
          tokenUrl: "https://idcs.example.test/oauth2/v1/token?x=1",
          designTimeUrl: "design",
        }),
      ),
    ).toBe(
      "invalid access-check input: tokenUrl must not carry credentials, a query or a fragment; give it as https://idcs-0123456789abcdef.identity.oraclecloud.com/oauth2/v1/token; designTimeUrl is not an absolute URL; give the design-time host, e.g. https://design.integration.<region>.ocp.oraclecloud.com",
    );
  });

  // The same rule as the stack config and the component: an origin (components/oic/urls.ts checkOrigin).
  it.each([
    [
      "https://design.example.test/ic/home",
      'designTimeUrl has the path "/ic/home", but only scheme, host and port are allowed; use "https://design.example.test"',
    ],
    [
      "https://user:pw@design.example.test",
      "designTimeUrl contains user information (user@ or user:password@); remove it; credentials never go in a URL",
    ],
    ["ftp://design.example.test", 'designTimeUrl uses the scheme "ftp://"; use https://'],
  ])("refuses the design-time URL %s", (designTimeUrl, message) => {
    expect(inputError(() => parseVerifyInput({ ...baseInput, designTimeUrl }))).toBe(
      `invalid access-check input: ${message}`,
    );
  });

  it("leaves plain http to the transport check, which names the switch", () => {
    expect(parseVerifyInput({ ...baseInput, designTimeUrl: "http://127.0.0.1:9/" }).designTimeUrl).toBe(
      "http://127.0.0.1:9",
    );
  });

  it("refuses an unknown probe and an empty secret without echoing anything", () => {
    expect(
      inputError(() => parseVerifyInput({ ...baseInput, clientSecret: "", probe: "everything" as "token" })),
    ).toBe(
      "invalid access-check input: the client secret must not be empty; probe must be one of connections, token, none",
    );
  });
});

describe("client authentication (RFC 6749 §2.3.1)", () => {
  it("form-encodes client id and secret before joining them", () => {
    expect(formEncode("a b:c/é+*")).toBe("a+b%3Ac%2F%C3%A9%2B*");
    expect(basicAuthorization("a b:c", "p@ss/wörd+")).toBe(
      `Basic ${Buffer.from("a+b%3Ac:p%40ss%2Fw%C3%B6rd%2B").toString("base64")}`,
    );
  });

  it("leaves identity-domain style ids and secrets unchanged", () => {
    expect(basicAuthorization("0b9f8e7d6c5b4a39281706f5e4d3c2b1", "idcscs-1234-abcd")).toBe(
      `Basic ${Buffer.from("0b9f8e7d6c5b4a39281706f5e4d3c2b1:idcscs-1234-abcd").toString("base64")}`,
    );
  });
});
