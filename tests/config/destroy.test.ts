import { inspect } from "node:util";

import { describe, expect, it } from "vitest";

import { StackConfigError } from "../../config/errors";
import { destroyCredentialsProblem } from "../../config/ociCredentials";
import { parseStackConfig, type StackConfigContext } from "../../config/parse";
import { CWD, HOME, fakeFiles, labelledKey, profileText } from "../components/signing/credentialFixtures";

const NS = "oic-client-provisioner";
const PEM = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n";

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
  homeDir: "/home/dev",
  isSecret: (key) => key === "oci:privateKey" || key === "oci:privateKeyPassword",
  fileExists: (path) => ["/project/oci/config", "/home/dev/.oci/ci-config"].includes(path),
};

function destroyOf(values: Record<string, string>) {
  return parseStackConfig({ ...base, ...values }, context).destroy;
}

function problems(values: Record<string, string>, given: StackConfigContext = context): string[] {
  try {
    parseStackConfig({ ...base, ...values }, given);
  } catch (error) {
    if (error instanceof StackConfigError) return error.problems.map((p) => `${p.key}: ${p.text}`);
    throw error;
  }
  throw new Error("expected a StackConfigError");
}

describe("destroy: the step's settings, and no credentials", () => {
  it("turns the step on by default, and reads no oci: key into the config: the step reads them when it runs", () => {
    expect(destroyOf({})).toEqual({ deactivateBeforeDelete: true });
    expect(
      destroyOf({
        "oci:tenancyOcid": "ocid1.tenancy.oc1..aaaa",
        "oci:privateKey": PEM,
        "oci:auth": "InstancePrincipal",
      }),
    ).toEqual({ deactivateBeforeDelete: true });
  });

  it("keeps destroy.ociConfigFile as written (relative or under ~/), once it is found", () => {
    expect(destroyOf({ [`${NS}:destroy`]: JSON.stringify({ ociConfigFile: "oci/config" }) })).toEqual({
      deactivateBeforeDelete: true,
      ociConfigFile: "oci/config",
    });
    expect(
      destroyOf({ [`${NS}:destroy`]: JSON.stringify({ ociConfigFile: "~/.oci/ci-config" }) }).ociConfigFile,
    ).toBe("~/.oci/ci-config");
  });

  it("refuses no auth mode: SecurityToken and the principals are the step's too", () => {
    for (const auth of ["SecurityToken", "InstancePrincipal", "ResourcePrincipal", "apikey"]) {
      expect(destroyOf({ "oci:auth": auth })).toEqual({ deactivateBeforeDelete: true });
    }
  });

  it("turns the step off", () => {
    expect(destroyOf({ [`${NS}:destroy`]: JSON.stringify({ deactivateBeforeDelete: false }) })).toEqual({
      deactivateBeforeDelete: false,
    });
  });

  it("names a bad flag, a config file that does not exist (~ expanded) and an unknown key", () => {
    expect(
      problems({
        [`${NS}:destroy`]: JSON.stringify({
          deactivateBeforeDelete: "yes",
          ociConfigFile: "~/none",
          force: true,
        }),
      }),
    ).toEqual([
      `${NS}:destroy.deactivateBeforeDelete: "yes" is not true or false. Set it to true or false (default true).`,
      `${NS}:destroy.ociConfigFile: "~/none" does not exist (looked for /home/dev/none). Give the path of a file, absolute, relative to the project directory or under ~/.`,
      `${NS}:destroy.force: is not a known key. Known keys here: deactivateBeforeDelete, ociConfigFile.`,
    ]);
  });
});

describe("destroy: the secret oci: keys must be stored as secrets", () => {
  const plain: StackConfigContext = { ...context, isSecret: () => false };

  it("refuses a private key and its passphrase in plain text, showing neither", () => {
    const found = problems({ "oci:privateKey": PEM, "oci:privateKeyPassword": "hunter2" }, plain);
    expect(found).toEqual([
      "oci:privateKey: is stored in plain text in the stack file, where anyone who can read the file can read it. Set it as a secret: `pulumi config set --secret oci:privateKey < key.pem` (Pulumi then keeps it encrypted in place of the plain value), and replace it if the file was shared or committed.",
      "oci:privateKeyPassword: is stored in plain text in the stack file, where anyone who can read the file can read it. Set it as a secret: `pulumi config set --secret oci:privateKeyPassword` (Pulumi then keeps it encrypted in place of the plain value), and replace it if the file was shared or committed.",
    ]);
    expect(found.join("\n")).not.toContain("PRIVATE KEY");
    expect(found.join("\n")).not.toContain("hunter2");
  });

  it("refuses them even when the deactivation step is off (the OCI provider reads them anyway)", () => {
    expect(
      problems(
        {
          [`${NS}:destroy`]: JSON.stringify({ deactivateBeforeDelete: false }),
          "oci:tokenExchangeClientSecret": "s3cr3t",
        },
        plain,
      ),
    ).toEqual([
      "oci:tokenExchangeClientSecret: is stored in plain text in the stack file, where anyone who can read the file can read it. Set it as a secret: `pulumi config set --secret oci:tokenExchangeClientSecret` (Pulumi then keeps it encrypted in place of the plain value), and replace it if the file was shared or committed.",
    ]);
  });
});

describe("destroyCredentialsProblem: before anything is declared, the step's credentials resolve", () => {
  const deployer = labelledKey("deployer");
  const on = { deactivateBeforeDelete: true };

  it("passes with the oci: keys, with TF_VAR_* alone, or with a profile of the config file", async () => {
    const files = fakeFiles({
      [`${HOME}/keys/deployer.pem`]: deployer.privateKeyPem,
      [`${HOME}/.oci/config`]: profileText("CI", deployer, "~/keys/deployer.pem"),
    });
    const where = { readFile: files.readFile, homeDir: HOME, cwd: CWD };
    const stack = {
      "oci:tenancyOcid": deployer.tenancy,
      "oci:userOcid": deployer.user,
      "oci:fingerprint": deployer.fingerprint,
      "oci:privateKey": deployer.privateKeyPem,
    };
    expect(await destroyCredentialsProblem(stack, on, { ...where, env: {} })).toBeUndefined();
    const variables = {
      TF_VAR_tenancy_ocid: deployer.tenancy,
      TF_VAR_user_ocid: deployer.user,
      TF_VAR_fingerprint: deployer.fingerprint,
      TF_VAR_private_key_path: "~/keys/deployer.pem",
    };
    expect(await destroyCredentialsProblem({}, on, { ...where, env: variables })).toBeUndefined();
    expect(
      await destroyCredentialsProblem({ "oci:configFileProfile": "CI" }, on, { ...where, env: {} }),
    ).toBeUndefined();
  });

  it("reads destroy.ociConfigFile as written, ~ expanded", async () => {
    const files = fakeFiles({
      [`${HOME}/.oci/ci-config`]: profileText("DEFAULT", deployer, "~/keys/deployer.pem"),
      [`${HOME}/keys/deployer.pem`]: deployer.privateKeyPem,
    });
    const problem = await destroyCredentialsProblem(
      {},
      { ...on, ociConfigFile: "~/.oci/ci-config" },
      { readFile: files.readFile, homeDir: HOME, cwd: CWD, env: {} },
    );
    expect(problem).toBeUndefined();
    expect(files.reads).toContain(`${HOME}/.oci/ci-config`);
  });

  it("names every place it looked, and no secret, when nothing resolves", async () => {
    const files = fakeFiles();
    const problem = await destroyCredentialsProblem({ "oci:privateKey": deployer.privateKeyPem }, on, {
      readFile: files.readFile,
      homeDir: HOME,
      cwd: CWD,
      env: {},
    });
    expect(problem).toEqual({
      key: `${NS}:destroy.deactivateBeforeDelete`,
      text:
        "the step that deactivates each app before its delete, signing as the OCI provider does, could not sign now, so `pulumi destroy` could not either: " +
        "cannot resolve the OCI credentials for auth ApiKey (the default): found a private key (the key in oci:privateKey (stack config)) but no key id (a tenancy, user and fingerprint in one place). " +
        "Looked at, in the OCI provider's order: the provider settings (key id: oci:tenancyOcid (stack config), TF_VAR_tenancy_ocid, OCI_TENANCY_OCID, oci:userOcid (stack config), TF_VAR_user_ocid, OCI_USER_OCID, oci:fingerprint (stack config), TF_VAR_fingerprint, OCI_FINGERPRINT unset); ~/.oci/config [DEFAULT] (key id: no such file); ~/.oraclebmc/config [DEFAULT] (key id: no such file). " +
        `Set them where the OCI provider looks (the oci: keys, the TF_VAR_* or OCI_* variables, or a profile of ~/.oci/config), or set ${NS}:destroy.deactivateBeforeDelete to false and deactivate each app before \`pulumi destroy\`.`,
    });
    expect(inspect(problem)).not.toContain("PRIVATE KEY");
  });

  it("accepts SecurityToken, InstancePrincipal and ResourcePrincipal when what they read is there", async () => {
    const files = fakeFiles({ "/rp/rpst": "token", "/rp/key.pem": deployer.privateKeyPem });
    const where = { readFile: files.readFile, homeDir: HOME, cwd: CWD };
    expect(
      await destroyCredentialsProblem({ "oci:auth": "InstancePrincipal", "oci:region": "us-ashburn-1" }, on, {
        ...where,
        env: {},
      }),
    ).toBeUndefined();
    expect(
      await destroyCredentialsProblem({ "oci:auth": "ResourcePrincipal" }, on, {
        ...where,
        env: {
          OCI_RESOURCE_PRINCIPAL_VERSION: "2.2",
          OCI_RESOURCE_PRINCIPAL_RPST: "/rp/rpst",
          OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM: "/rp/key.pem",
          OCI_RESOURCE_PRINCIPAL_REGION: "us-ashburn-1",
        },
      }),
    ).toBeUndefined();
    const session = await destroyCredentialsProblem({ "oci:auth": "SecurityToken" }, on, {
      ...where,
      env: {},
    });
    expect(session?.text).toContain(
      "cannot resolve the OCI credentials for auth SecurityToken (oci:auth (stack config)): it needs a region",
    );
  });

  it("checks nothing when the step is off", async () => {
    const files = fakeFiles();
    expect(
      await destroyCredentialsProblem(
        {},
        { deactivateBeforeDelete: false },
        { readFile: files.readFile, env: {} },
      ),
    ).toBeUndefined();
    expect(files.reads).toEqual([]);
  });
});
