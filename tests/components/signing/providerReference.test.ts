import { describe, expect, it } from "vitest";

import {
  providerSettingsOf,
  referenceProblems,
  stackSettings,
  type StackConfigReader,
} from "../../../components/signing";

const PEM = "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n";

function configOf(values: Record<string, string>): StackConfigReader {
  return { get: (key) => (Object.hasOwn(values, key) ? values[key] : undefined) };
}

describe("stackSettings", () => {
  it("reads every sign-in setting of the default provider from its oci: key, and nothing else", () => {
    expect(
      stackSettings(
        configOf({
          "oci:auth": "SecurityToken",
          "oci:tenancyOcid": "ocid1.tenancy.oc1..t",
          "oci:userOcid": "ocid1.user.oc1..u",
          "oci:fingerprint": "12:34",
          "oci:privateKeyPath": "~/.oci/key.pem",
          "oci:privateKey": PEM,
          "oci:privateKeyPassword": "pass",
          "oci:region": "us-ashburn-1",
          "oci:configFileProfile": "CI",
          "oci:tokenExchangeClientSecret": "not a sign-in setting",
          "acme:privateKey": PEM,
        }),
      ),
    ).toEqual({
      auth: "SecurityToken",
      tenancyOcid: "ocid1.tenancy.oc1..t",
      userOcid: "ocid1.user.oc1..u",
      fingerprint: "12:34",
      privateKeyPath: "~/.oci/key.pem",
      privateKey: PEM,
      privateKeyPassword: "pass",
      region: "us-ashburn-1",
      configFileProfile: "CI",
    });
  });

  it("leaves an empty value unset, so that the environment stands in for it", () => {
    expect(stackSettings(configOf({ "oci:tenancyOcid": "", "oci:region": "eu-frankfurt-1" }))).toEqual({
      region: "eu-frankfurt-1",
    });
  });
});

describe("referenceProblems", () => {
  it("accepts a name, the settings that are not secret and the config keys of the secrets", () => {
    expect(
      referenceProblems({
        name: "acme",
        auth: "ApiKey",
        tenancyOcid: "t",
        userOcid: "u",
        fingerprint: "f",
        privateKeyPath: "~/acme.pem",
        region: "eu-frankfurt-1",
        configFileProfile: "ACME",
        privateKeyConfigKey: "tenants:acmeKey",
        privateKeyPasswordConfigKey: "tenants:acmePassphrase",
      }),
    ).toEqual([]);
  });

  it("refuses a secret, an unknown field, a value that is not a string, a key without its namespace", () => {
    expect(
      referenceProblems({
        name: "",
        privateKey: PEM,
        privateKeyPassword: "hunter2",
        tokenExchangeClientSecret: "s",
        region: 1,
        privateKeyConfigKey: "acmeKey",
      }),
    ).toEqual([
      "name must be the provider resource's name",
      "privateKey is a secret and would be kept in the state: store it in the stack config (pulumi config set --secret <namespace>:<key>) and name that key in privateKeyConfigKey",
      "privateKeyPassword is a secret and would be kept in the state: store it in the stack config (pulumi config set --secret <namespace>:<key>) and name that key in privateKeyPasswordConfigKey",
      "tokenExchangeClientSecret is not a setting this step reads; known: name, auth, tenancyOcid, userOcid, fingerprint, privateKeyPath, region, configFileProfile, privateKeyConfigKey, privateKeyPasswordConfigKey",
      "region must be a string",
      'privateKeyConfigKey must be a full stack config key, <namespace>:<key>; got "acmeKey"',
    ]);
    expect(referenceProblems("acme")).toEqual(["must be an object with the provider's name and settings"]);
  });
});

describe("providerSettingsOf", () => {
  const config = configOf({
    "oci:tenancyOcid": "ocid1.tenancy.oc1..stack",
    "tenants:acmeKey": PEM,
    "tenants:acmePassphrase": "pass",
  });

  it("is the stack's oci: keys without a reference", () => {
    expect(providerSettingsOf(undefined, config)).toEqual({
      ok: true,
      settings: { tenancyOcid: "ocid1.tenancy.oc1..stack" },
      origin: { kind: "stack" },
    });
  });

  it("is the reference's values and the secrets its config keys hold, and none of the stack's", () => {
    expect(
      providerSettingsOf(
        {
          name: "acme",
          tenancyOcid: "ocid1.tenancy.oc1..acme",
          privateKeyConfigKey: "tenants:acmeKey",
          privateKeyPasswordConfigKey: "tenants:acmePassphrase",
        },
        config,
      ),
    ).toEqual({
      ok: true,
      settings: { tenancyOcid: "ocid1.tenancy.oc1..acme", privateKey: PEM, privateKeyPassword: "pass" },
      origin: { kind: "provider", name: "acme" },
    });
  });

  it("says which named key the stack config does not set", () => {
    expect(providerSettingsOf({ name: "acme", privateKeyConfigKey: "tenants:missing" }, config)).toEqual({
      ok: false,
      problem:
        'the OCI provider "acme": privateKeyConfigKey names tenants:missing, which the stack config does not set (pulumi config set --secret tenants:missing)',
    });
  });
});
