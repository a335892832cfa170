import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import type * as ErrorsModule from "../../config/errors";
import type * as LoadModule from "../../config/load";

const NS = "oic-client-provisioner";
const DOMAIN = "https://idcs-0123456789abcdef0123456789abcdef.identity.oraclecloud.com";
const OCID = "ocid1.integrationinstance.oc1.iad.amaaaaaaexampleuniqueid";

// The code under test is imported after the mocks are set.
let load: typeof LoadModule;
let errors: typeof ErrorsModule;

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource: () => {
        throw new Error("loading the config declares no resource");
      },
      call: () => {
        throw new Error("loading the config calls no provider function");
      },
    },
    "oic-client-provisioner",
    "staging",
  );
  load = await import("../../config/load.js");
  errors = await import("../../config/errors.js");
});

describe("loadStackConfig", () => {
  it("reads the stack's config through the Pulumi runtime, with the stack name as the default prefix", () => {
    pulumi.runtime.setAllConfig({
      [`${NS}:identityDomain`]: JSON.stringify({ endpoint: `${DOMAIN}:443` }),
      [`${NS}:integrationInstance`]: JSON.stringify({ id: OCID }),
      [`${NS}:clients`]: JSON.stringify([{ name: "reporting", roles: ["ServiceUser"] }]),
      [`${NS}:verification`]: JSON.stringify({ caFile: "package.json" }),
      "oci:region": "us-ashburn-1",
    });
    const config = load.loadStackConfig();
    expect(config.stack).toBe("staging");
    expect(config.identityDomain.endpoint).toBe(DOMAIN);
    expect(config.clients.map((client) => client.displayName)).toEqual(["staging-reporting"]);
    // A real file, found relative to the project directory, and kept as written: it is read when a step runs.
    expect(config.verification.caFile).toBe("package.json");
  });

  it("refuses a directory as the CA file", () => {
    pulumi.runtime.setAllConfig({
      [`${NS}:identityDomain`]: JSON.stringify({ endpoint: DOMAIN }),
      [`${NS}:integrationInstance`]: JSON.stringify({ id: OCID }),
      [`${NS}:clients`]: JSON.stringify([{ name: "reporting", roles: ["ServiceUser"] }]),
      [`${NS}:verification`]: JSON.stringify({ caFile: "tests" }),
    });
    expect(() => load.loadStackConfig()).toThrow(errors.StackConfigError);
  });

  it("hides the value of a key the stack stores as a secret", () => {
    pulumi.runtime.setAllConfig(
      {
        [`${NS}:identityDomain`]: JSON.stringify({ endpoint: `${DOMAIN}/s3cr3t` }),
        [`${NS}:integrationInstance`]: JSON.stringify({ id: OCID }),
        [`${NS}:clients`]: JSON.stringify([{ name: "reporting", roles: ["ServiceUser"] }]),
      },
      [`${NS}:identityDomain`],
    );
    let message = "";
    try {
      load.loadStackConfig();
    } catch (error) {
      expect(error).toBeInstanceOf(errors.StackConfigError);
      expect(pulumi.RunError.isInstance(error)).toBe(true);
      message = (error as Error).message;
    }
    expect(message).toContain(`${NS}:identityDomain.endpoint: (a secret value, not shown) is not valid.`);
    expect(message).not.toContain("s3cr3t");
  });
});
