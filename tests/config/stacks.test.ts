import { readFileSync } from "node:fs";
import * as path from "node:path";
import { load } from "js-yaml";
import { describe, expect, it } from "vitest";
import { StackConfigError } from "../../config/errors";
import { defaultClientDescription } from "../../components/oic";
import { parseStackConfig } from "../../config/parse";

const NS = "oic-client-provisioner";
const STACKS = path.resolve(__dirname, "../../stacks");

/** Values a user would put in place of each placeholder of the example stacks. */
const PLACEHOLDERS: Readonly<Record<string, string>> = {
  "<domain-id>": "0123456789abcdef0123456789abcdef",
  "<unique-id>": "amaaaaaaexampleuniqueid",
  "<oic-app-id>": "a1b2c3d4e5f60718293a4b5c6d7e8f90",
  "<namespace>": "axhknnpmgslz",
  "<instance-guid>": "ABCDEF0123456789ABCDEF0123456789",
};
const DOMAIN = "https://idcs-0123456789abcdef0123456789abcdef.identity.oraclecloud.com";
const OCID = "ocid1.integrationinstance.oc1.iad.amaaaaaaexampleuniqueid";

function stackFile(stack: string): string {
  return readFileSync(path.join(STACKS, `Pulumi.${stack}.yaml`), "utf8");
}

/** What the Pulumi CLI hands the program for a stack file: each value a string, structured ones as JSON. */
function configOf(text: string): Record<string, string> {
  const document = load(text) as { config: Record<string, unknown> };
  return Object.fromEntries(
    Object.entries(document.config).map(([key, value]) => [
      key,
      typeof value === "string" ? value : JSON.stringify(value),
    ]),
  );
}

function filledIn(stack: string): string {
  let text = stackFile(stack);
  for (const [placeholder, value] of Object.entries(PLACEHOLDERS)) text = text.split(placeholder).join(value);
  return text;
}

describe("the example stacks", () => {
  it("use no placeholder but the documented ones", () => {
    for (const stack of ["dev", "test", "prod"]) {
      const config = JSON.stringify(configOf(filledIn(stack)));
      expect(config, stack).not.toMatch(/<[^>]*>/);
    }
  });

  it("dev: by OCID, a CI client and a reporting client", () => {
    const config = parseStackConfig(configOf(filledIn("dev")), { stack: "dev" });
    expect(config).toEqual({
      stack: "dev",
      identityDomain: { endpoint: DOMAIN, allowPlainHttpOnLoopback: false },
      integrationInstance: { id: OCID },
      displayNamePrefix: "dev-",
      clients: [
        {
          name: "ci",
          displayName: "dev-ci",
          description: "CI pipeline that exports and imports integrations in dev.",
          roles: ["ServiceDeveloper"],
          scopes: ["consumerAll", "icApi"],
          probe: "connections",
        },
        {
          name: "reporting",
          displayName: "dev-reporting",
          description: defaultClientDescription("reporting", "dev"),
          roles: ["ServiceUser"],
          scopes: ["consumerAll", "icApi"],
          probe: "connections",
        },
      ],
      verification: { retryBudgetSeconds: 120, verifyOnEveryUp: false, concurrency: 4 },
      destroy: { deactivateBeforeDelete: true },
    });
  });

  it("test: explicit facts instead of an OCID", () => {
    const config = parseStackConfig(configOf(filledIn("test")), { stack: "test" });
    expect(config.integrationInstance).toEqual({
      idcsAppId: "a1b2c3d4e5f60718293a4b5c6d7e8f90",
      designTimeUrl: "https://design.integration.us-ashburn-1.ocp.oraclecloud.com",
      name: "oictest-axhknnpmgslz-ia",
      audience: "https://ABCDEF0123456789ABCDEF0123456789.integration.us-ashburn-1.ocp.oraclecloud.com:443",
    });
    expect(config.clients.map((c) => [c.displayName, c.roles, c.scopes, c.probe])).toEqual([
      ["test-reporting", ["ServiceUser"], ["icApi"], "connections"],
      ["oic-test-e2e-runner", ["ServiceInvoker", "ServiceViewer"], ["consumerAll", "icApi"], "connections"],
    ]);
    expect(config.verification).toEqual({ retryBudgetSeconds: 60, verifyOnEveryUp: true, concurrency: 4 });
  });

  it("prod: an OCID plus a name override; ServiceUser for reporting, ServiceInvoker with the token probe", () => {
    const config = parseStackConfig(configOf(filledIn("prod")), { stack: "prod" });
    expect(config.integrationInstance).toEqual({ id: OCID, name: "oicprod-axhknnpmgslz-ia" });
    expect(config.clients.map((c) => [c.displayName, c.roles, c.scopes, c.probe])).toEqual([
      ["oic-prod-reporting", ["ServiceUser"], ["icApi"], "connections"],
      ["oic-prod-orders", ["ServiceInvoker"], ["consumerAll"], "token"],
    ]);
    expect(config.verification).toEqual({ retryBudgetSeconds: 300, verifyOnEveryUp: false, concurrency: 2 });
    expect(config.destroy).toEqual({ deactivateBeforeDelete: true });
  });

  it("left as they are, fail with every placeholder named by its key", () => {
    let problems: string[] = [];
    try {
      parseStackConfig(configOf(stackFile("prod")), { stack: "prod" });
    } catch (error) {
      if (!(error instanceof StackConfigError)) throw error;
      problems = error.problems.map((problem) => problem.key);
    }
    expect(problems).toEqual([
      `${NS}:identityDomain.endpoint`,
      `${NS}:integrationInstance.id`,
      `${NS}:integrationInstance.name`,
    ]);
  });
});
