import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  isServiceInstanceName,
  serviceInstanceNameFromRuntimeUrl,
} from "../../../components/oic/serviceInstanceName";

describe("isServiceInstanceName: a DNS label as the runtime URL writes it", () => {
  it.each(["oicdev-axhknnpmgslz-ia", "a", "0", "1oic", "a-b", "a--b", "a".repeat(63), `a${"-".repeat(61)}b`])(
    "accepts %s",
    (name) => {
      expect(isServiceInstanceName(name)).toBe(true);
    },
  );

  it.each([
    ["", "empty"],
    ["a".repeat(64), "64 characters, one more than a DNS label holds"],
    ["-oic", "a leading hyphen"],
    ["oic-", "a trailing hyphen"],
    ["OicDev-axhknnpmgslz-ia", "upper case, which a runtime URL never shows"],
    ["oic_dev", "an underscore"],
    ["oic.dev", "a dot (two labels)"],
    ["oic dev", "a space"],
    ["https://oicdev.example", "a URL"],
    ["oicdev\n", "a line break"],
  ])("refuses %j (%s)", (name) => {
    expect(isServiceInstanceName(name)).toBe(false);
  });
});

describe("serviceInstanceNameFromRuntimeUrl", () => {
  it.each([
    ["https://oicdev-axhknnpmgslz-ia.integration.us-ashburn-1.ocp.oraclecloud.com", "oicdev-axhknnpmgslz-ia"],
    ["https://OICDEV-X-IA.integration.eu-frankfurt-1.ocp.oraclecloud.com:443/ic/home", "oicdev-x-ia"],
    ["https://inst.integration.us-langley-1.ocp.oraclegovcloud.com", "inst"],
    ["https://design.integration.us-ashburn-1.ocp.oraclecloud.com", undefined],
    ["https://oic.example.com", undefined],
    ["https://a.integration.ocp.oraclecloud.com", undefined],
    ["not a url", undefined],
  ])("%s → %s", (url, expected) => {
    expect(serviceInstanceNameFromRuntimeUrl(url)).toBe(expected);
  });

  it("is the first label of any Oracle-shaped runtime host (property)", () => {
    const label = fc
      .stringMatching(/^[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?$/)
      .filter((name) => name !== "design");
    const region = fc.stringMatching(/^[a-z]{2}-[a-z]{3,10}-[1-9]$/);
    fc.assert(
      fc.property(
        label,
        region,
        (name, reg) =>
          serviceInstanceNameFromRuntimeUrl(`https://${name}.integration.${reg}.ocp.oraclecloud.com`) ===
          name,
      ),
    );
  });
});
