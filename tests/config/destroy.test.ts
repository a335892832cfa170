import { describe, expect, it } from "vitest";

import { StackConfigError } from "../../config/errors";
import { parseStackConfig, type StackConfigContext } from "../../config/parse";

const NS = "oic-client-provisioner";
const PEM = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n";
const OPT_OUT = `or set ${NS}:destroy.deactivateBeforeDelete to false and deactivate each app before \`pulumi destroy\``;

const base: Record<string, string> = {
  [`${NS}:identityDomain`]: JSON.stringify({
    endpoint: "https://idcs-0123456789abcdef0123456789abcdef.identity.oraclecloud.com",
  }),
  [`${NS}:integrationInstance`]: JSON.stringify({
    id: "ocid1.integrationinstance.oc1.iad.amaaaaaaexampleuniqueid",
  }),
  [`${NS}:clients`]: JSON.stringify([{ name: "reporting", roles: ["ServiceUser"] }]),
};

const context: StackConfigContext = {
  stack: "dev",
  cwd: "/project",
  isSecret: (key) => key === "oci:privateKey" || key === "oci:privateKeyPassword",
  fileExists: (path) => ["/project/keys/deployer.pem", "/project/oci/config"].includes(path),
};

function destroyOf(values: Record<string, string>) {
  return parseStackConfig({ ...base, ...values }, context).destroy;
}

function problems(values: Record<string, string>): string[] {
  try {
    parseStackConfig({ ...base, ...values }, context);
  } catch (error) {
    if (error instanceof StackConfigError) return error.problems.map((p) => `${p.key}: ${p.text}`);
    throw error;
  }
  throw new Error("expected a StackConfigError");
}

describe("destroy: where the deactivate-before-delete step gets its API key", () => {
  it("defaults to the DEFAULT profile of ~/.oci/config, like the OCI provider", () => {
    expect(destroyOf({})).toEqual({ deactivateBeforeDelete: true, credentials: {} });
  });

  it("follows oci:configFileProfile and destroy.ociConfigFile", () => {
    expect(
      destroyOf({
        "oci:configFileProfile": "PROD",
        [`${NS}:destroy`]: JSON.stringify({ ociConfigFile: "oci/config" }),
      }),
    ).toEqual({
      deactivateBeforeDelete: true,
      credentials: { configFile: "/project/oci/config", profile: "PROD" },
    });
  });

  it("uses the explicit oci: key when it is set, with the private key inline or as a file", () => {
    const explicit = {
      "oci:tenancyOcid": "ocid1.tenancy.oc1..aaaa",
      "oci:userOcid": "ocid1.user.oc1..bbbb",
      "oci:fingerprint": "12:34:56:78:9a:bc:de:f0:12:34:56:78:9a:bc:de:f0",
    };
    expect(destroyOf({ ...explicit, "oci:privateKey": PEM, "oci:privateKeyPassword": "pass" })).toEqual({
      deactivateBeforeDelete: true,
      credentials: {
        tenancyOcid: "ocid1.tenancy.oc1..aaaa",
        userOcid: "ocid1.user.oc1..bbbb",
        fingerprint: "12:34:56:78:9a:bc:de:f0:12:34:56:78:9a:bc:de:f0",
        privateKey: PEM,
        privateKeyPassword: "pass",
      },
    });
    expect(destroyOf({ ...explicit, "oci:privateKeyPath": "keys/deployer.pem" }).credentials).toEqual({
      tenancyOcid: "ocid1.tenancy.oc1..aaaa",
      userOcid: "ocid1.user.oc1..bbbb",
      fingerprint: "12:34:56:78:9a:bc:de:f0:12:34:56:78:9a:bc:de:f0",
      privateKeyPath: "/project/keys/deployer.pem",
    });
  });

  it("needs no key at all when the step is turned off", () => {
    expect(
      destroyOf({
        [`${NS}:destroy`]: JSON.stringify({ deactivateBeforeDelete: false }),
        "oci:auth": "InstancePrincipal",
      }),
    ).toEqual({ deactivateBeforeDelete: false });
  });
});

interface BadCase {
  readonly name: string;
  readonly values: Record<string, string>;
  readonly expected: readonly string[];
}

describe("destroy: the secret oci: keys must be stored as secrets", () => {
  const explicit = {
    "oci:tenancyOcid": "ocid1.tenancy.oc1..aaaa",
    "oci:userOcid": "ocid1.user.oc1..bbbb",
    "oci:fingerprint": "12:34",
  };
  const plain: StackConfigContext = { ...context, isSecret: () => false };
  function plainProblems(values: Record<string, string>): string[] {
    try {
      parseStackConfig({ ...base, ...values }, plain);
    } catch (error) {
      if (error instanceof StackConfigError) return error.problems.map((p) => `${p.key}: ${p.text}`);
      throw error;
    }
    throw new Error("expected a StackConfigError");
  }

  it("refuses a private key and its passphrase in plain text, showing neither", () => {
    const found = plainProblems({
      ...explicit,
      "oci:privateKey": PEM,
      "oci:privateKeyPassword": "hunter2",
    });
    expect(found).toEqual([
      "oci:privateKey: is stored in plain text in the stack file, where anyone who can read the file can read it. Set it as a secret: `pulumi config set --secret oci:privateKey < key.pem` (Pulumi then keeps it encrypted in place of the plain value), and replace it if the file was shared or committed.",
      "oci:privateKeyPassword: is stored in plain text in the stack file, where anyone who can read the file can read it. Set it as a secret: `pulumi config set --secret oci:privateKeyPassword` (Pulumi then keeps it encrypted in place of the plain value), and replace it if the file was shared or committed.",
    ]);
    expect(found.join("\n")).not.toContain("PRIVATE KEY");
    expect(found.join("\n")).not.toContain("hunter2");
  });

  it("refuses them even when the deactivation step is off (the OCI provider reads them anyway)", () => {
    expect(
      plainProblems({
        [`${NS}:destroy`]: JSON.stringify({ deactivateBeforeDelete: false }),
        "oci:tokenExchangeClientSecret": "s3cr3t",
      }),
    ).toEqual([
      "oci:tokenExchangeClientSecret: is stored in plain text in the stack file, where anyone who can read the file can read it. Set it as a secret: `pulumi config set --secret oci:tokenExchangeClientSecret` (Pulumi then keeps it encrypted in place of the plain value), and replace it if the file was shared or committed.",
    ]);
  });

  it("shows no value of an oci: key the stack stores as a secret, and cuts and escapes the others", () => {
    const secret: StackConfigContext = { ...context, isSecret: () => true };
    let lines: string[] = [];
    try {
      parseStackConfig({ ...base, ...explicit, "oci:privateKeyPath": "keys/s3cr3t.pem" }, secret);
    } catch (error) {
      if (!(error instanceof StackConfigError)) throw error;
      lines = error.problems.map((p) => `${p.key}: ${p.text}`);
    }
    expect(lines).toEqual([
      "oci:privateKeyPath: (a secret value, not shown) does not exist. Give the path of the API signing key's PEM file.",
    ]);
    expect(problems({ "oci:auth": `Instance\u001b[2J${"x".repeat(200)}` })).toEqual([
      `${NS}:destroy.deactivateBeforeDelete: cannot work with oci:auth "Instance\\u001b[2J${"x".repeat(87)}…": the step that deactivates each app before its delete signs with an API key. Use an API key (oci:auth ApiKey), ${OPT_OUT}.`,
    ]);
  });
});

describe("destroy: bad configs, each with its exact messages", () => {
  it.each<BadCase>([
    {
      name: "an auth mode without an API key",
      values: { "oci:auth": "InstancePrincipal" },
      expected: [
        `${NS}:destroy.deactivateBeforeDelete: cannot work with oci:auth "InstancePrincipal": the step that deactivates each app before its delete signs with an API key. Use an API key (oci:auth ApiKey), ${OPT_OUT}.`,
      ],
    },
    {
      name: "an explicit key with parts missing; the secret key is not shown",
      values: { "oci:privateKey": PEM, "oci:fingerprint": "12:34" },
      expected: [
        `oci:tenancyOcid: is missing, while other parts of the OCI API key are set. Set it, or remove the explicit key to use the OCI config file, ${OPT_OUT}.`,
        `oci:userOcid: is missing, while other parts of the OCI API key are set. Set it, or remove the explicit key to use the OCI config file, ${OPT_OUT}.`,
      ],
    },
    {
      name: "an explicit key without the key itself",
      values: { "oci:tenancyOcid": "t", "oci:userOcid": "u", "oci:fingerprint": "f" },
      expected: [
        "oci:privateKey: is missing, and so is oci:privateKeyPath. Set the PEM key as a secret (pulumi config set --secret oci:privateKey < key.pem) or the path of the key file.",
      ],
    },
    {
      name: "a key file that does not exist",
      values: {
        "oci:tenancyOcid": "t",
        "oci:userOcid": "u",
        "oci:fingerprint": "f",
        "oci:privateKeyPath": "k.pem",
      },
      expected: [
        'oci:privateKeyPath: "k.pem" does not exist (looked for /project/k.pem). Give the path of the API signing key\'s PEM file.',
      ],
    },
    {
      name: "a config file that does not exist, a bad flag and an unknown key",
      values: {
        [`${NS}:destroy`]: JSON.stringify({
          deactivateBeforeDelete: "yes",
          ociConfigFile: "none",
          force: true,
        }),
      },
      expected: [
        `${NS}:destroy.deactivateBeforeDelete: "yes" is not true or false. Set it to true or false (default true).`,
        `${NS}:destroy.ociConfigFile: "none" does not exist (looked for /project/none). Give the path of a file, absolute or relative to the project directory.`,
        `${NS}:destroy.force: is not a known key. Known keys here: deactivateBeforeDelete, ociConfigFile.`,
      ],
    },
  ])("$name", ({ values, expected }) => {
    const found = problems(values);
    expect(found).toEqual(expected);
    expect(found.join("\n")).not.toContain("PRIVATE KEY");
  });
});
