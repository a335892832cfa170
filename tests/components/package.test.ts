import * as path from "node:path";
import { ComponentProvider } from "@pulumi/pulumi/provider/experimental/provider";
import { describe, expect, it } from "vitest";
import { OIC_CONFIDENTIAL_CLIENT_TYPE, OicConfidentialClient } from "../../components/oicConfidentialClient";

interface Property {
  readonly type?: string;
  readonly $ref?: string;
  readonly optional?: boolean;
  readonly plain?: boolean;
  readonly description?: string;
  readonly items?: Property;
}
interface ObjectType {
  readonly type: string;
  readonly properties: Record<string, Property>;
  readonly required: string[];
}
interface Schema {
  readonly name: string;
  readonly types: Record<string, ObjectType>;
  readonly resources: Record<
    string,
    {
      readonly isComponent: boolean;
      readonly inputProperties: Record<string, Property>;
      readonly requiredInputs: string[];
      readonly properties: Record<string, Property>;
    }
  >;
  readonly dependencies: Array<{ name: string; version: string }>;
}

/**
 * What `pulumi package add ./components` does first: the SDK's component provider analyses the TypeScript
 * source of the package and derives the schema other languages' SDKs are generated from. A union or function
 * type in the args, or an output type it cannot express, fails here.
 */
describe("components/ as a Pulumi component package", () => {
  it("yields a schema for OicConfidentialClient with every input documented", async () => {
    const provider = new ComponentProvider({
      name: "oic-client-provisioner",
      dirname: path.resolve(__dirname, "../../components"),
      components: [OicConfidentialClient],
    });
    const schema = JSON.parse(await provider.getSchema()) as Schema;
    expect(schema.name).toBe("oic-client-provisioner");
    expect(Object.keys(schema.resources)).toEqual([OIC_CONFIDENTIAL_CLIENT_TYPE]);
    const resource = schema.resources[OIC_CONFIDENTIAL_CLIENT_TYPE];
    expect(resource?.isComponent).toBe(true);
    expect(resource?.requiredInputs).toEqual([
      "designTimeUrl",
      "displayName",
      "idcsEndpoint",
      "integrationInstance",
      "oicAppId",
      "roles",
    ]);
    const inputs = resource?.inputProperties ?? {};
    expect(Object.keys(inputs)).toEqual([
      "idcsEndpoint",
      "allowPlainHttpOnLoopback",
      "oicAppId",
      "audience",
      "designTimeUrl",
      "integrationInstance",
      "displayName",
      "description",
      "roles",
      "scopes",
      "probe",
      "retryBudgetSeconds",
      "verifyOnEveryUp",
      "concurrency",
      "deactivateBeforeDelete",
      "ociProvider",
      "ociConfigFile",
      "caFile",
    ]);
    for (const [name, input] of Object.entries(inputs)) {
      expect(input.description, name).toMatch(/(Required|Default)/);
    }
    expect(inputs["roles"]).toMatchObject({ type: "array", plain: true, items: { type: "string" } });
    expect(inputs["scopes"]).toMatchObject({ type: "array", optional: true, items: { type: "string" } });
    expect(inputs["deactivateBeforeDelete"]).toMatchObject({ type: "boolean", optional: true, plain: true });
    // Whether the access check exists is decided when the component is built: the probe is a plain value.
    expect(inputs["probe"]).toMatchObject({ type: "string", optional: true, plain: true });
    for (const name of ["retryBudgetSeconds", "concurrency"]) {
      expect(inputs[name], name).toEqual(expect.objectContaining({ type: "number", optional: true }));
      expect(inputs[name]?.plain, name).toBeUndefined();
    }
    expect(inputs["verifyOnEveryUp"]).toMatchObject({ type: "boolean", optional: true });
    // The explicit provider's reference is an object type of the package: a required name, the settings that
    // are not secret and the config keys of the secrets, all strings; no field that holds a secret.
    expect(inputs["ociProvider"]?.$ref).toBe("#/types/oic-client-provisioner:index:OciProviderReference");
    const reference = schema.types["oic-client-provisioner:index:OciProviderReference"];
    expect(reference?.required).toEqual(["name"]);
    expect(Object.keys(reference?.properties ?? {})).toEqual([
      "name",
      "auth",
      "tenancyOcid",
      "userOcid",
      "fingerprint",
      "privateKeyPath",
      "region",
      "configFileProfile",
      "privateKeyConfigKey",
      "privateKeyPasswordConfigKey",
    ]);
    for (const [name, field] of Object.entries(reference?.properties ?? {})) {
      expect(field.type, name).toBe("string");
    }
    expect(inputs["ociConfigFile"]).toMatchObject({ type: "string", optional: true });

    // What a consumer reads: one object of facts (an object type of the package), and the secret apart.
    const outputs = resource?.properties ?? {};
    expect(Object.keys(outputs)).toEqual(["app", "grants", "facts", "clientSecret"]);
    expect(outputs["facts"]?.$ref).toBe("#/types/oic-client-provisioner:index:ClientFacts");
    expect(outputs["clientSecret"]).toMatchObject({ type: "string" });
    const facts = schema.types["oic-client-provisioner:index:ClientFacts"];
    expect(Object.keys(facts?.properties ?? {})).toEqual([
      "displayName",
      "clientId",
      "appId",
      "tokenUrl",
      "scope",
      "allowedScopes",
      "audience",
      "roles",
      "probe",
      "grantIds",
      "designTimeUrl",
      "integrationInstance",
      "accessCheck",
    ]);
    expect(facts?.required).not.toContain("audience");
    expect(facts?.required).not.toContain("accessCheck");
    expect(facts?.properties["accessCheck"]?.$ref).toBe(
      "#/types/oic-client-provisioner:index:AccessCheckFacts",
    );
    const check = schema.types["oic-client-provisioner:index:AccessCheckFacts"];
    expect(Object.keys(check?.properties ?? {})).toEqual([
      "diagnosis",
      "httpStatus",
      "connections",
      "tokenExpiresAt",
      "checkedAt",
    ]);
    expect(check?.required).toEqual(["checkedAt", "diagnosis"]);
    for (const type of [facts, check])
      for (const [name, property] of Object.entries(type?.properties ?? {}))
        expect(property.description, name).toBeTruthy();
    expect(outputs["app"]?.$ref).toBe(
      "/oci/v4.20.0/schema.json#/resources/oci:Identity%2FdomainsApp:DomainsApp",
    );
    expect(outputs["grants"]?.items?.$ref).toBe(
      "/oci/v4.20.0/schema.json#/resources/oci:Identity%2FdomainsGrant:DomainsGrant",
    );
    for (const [name, output] of Object.entries(outputs)) expect(output.description, name).toBeTruthy();
    expect(schema.dependencies).toEqual([{ name: "oci", version: "4.20.0" }]);
  }, 120_000);
});
