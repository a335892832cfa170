import { describe, expect, it } from "vitest";
import { configKey, didYouMean, isPath, NESTED_KEYS, TOP_LEVEL_KEYS } from "../../config/keys";

describe("configKey", () => {
  it("writes the full key the way `pulumi config set --path` reads it", () => {
    expect(configKey(["clients", 1, "roles", 0])).toBe("oic-client-provisioner:clients[1].roles[0]");
    expect(configKey(["identityDomain", "endpoint"])).toBe("oic-client-provisioner:identityDomain.endpoint");
    expect(configKey(["clients"])).toBe("oic-client-provisioner:clients");
  });

  it("quotes a name that cannot stand bare in a path, as `pulumi config set --path` reads it", () => {
    expect(configKey([""])).toBe('oic-client-provisioner:[""]');
    expect(configKey(["clients", 0, "ro les"])).toBe('oic-client-provisioner:clients[0]["ro les"]');
    expect(configKey(["verification", "a.b"])).toBe('oic-client-provisioner:verification["a.b"]');
    expect(configKey(["verification", 'say "hi"'])).toBe(
      'oic-client-provisioner:verification["say \\"hi\\""]',
    );
    // At the top level a dot is part of the key as the stack file writes it.
    expect(configKey(["verification.retryBudgetSeconds"])).toBe(
      "oic-client-provisioner:verification.retryBudgetSeconds",
    );
  });
});

describe("didYouMean", () => {
  const keys = ["endpoint", "allowPlainHttpOnLoopback"];
  it.each([
    ["Endpoint", keys, "endpoint"],
    ["edpoint", keys, "endpoint"],
    ["allowPlainHttp", keys, undefined],
    ["allowPlainHttpOnLoopbak", keys, "allowPlainHttpOnLoopback"],
    ["url", keys, undefined],
    ["idcsEndpoint", ["identityDomain", "clients"], "identityDomain.endpoint"],
    ["idcs_endpoint", ["identityDomain", "clients"], "identityDomain.endpoint"],
    ["roles", ["identityDomain", "clients"], "clients[].roles"],
    ["oicAppId", ["id", "idcsAppId", "name"], "idcsAppId"],
    ["instanceUrl", ["id", "runtimeUrl"], "runtimeUrl"],
    ["ServiceUsr", ["ServiceUser", "ServiceViewer", "ServiceInvoker"], "ServiceUser"],
    ["xyz", ["ServiceUser"], undefined],
  ])("%s among %j → %s", (word, candidates, expected) => {
    expect(didYouMean(word, candidates)).toBe(expected);
  });

  it.each(["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf"])(
    "finds nothing for %s, a name every plain object inherits",
    (word) => {
      expect(didYouMean(word, ["endpoint", "allowPlainHttpOnLoopback"])).toBeUndefined();
    },
  );

  it("tells a path elsewhere from a sibling key", () => {
    expect(isPath("identityDomain.endpoint")).toBe(true);
    expect(isPath("clients[].roles")).toBe(true);
    expect(isPath("roles")).toBe(false);
  });
});

describe("the known keys, read off the schema", () => {
  it("lists the top-level keys and the keys under each, in the schema's order", () => {
    expect(TOP_LEVEL_KEYS).toEqual([
      "identityDomain",
      "integrationInstance",
      "displayNamePrefix",
      "clients",
      "verification",
      "destroy",
    ]);
    expect(NESTED_KEYS).toEqual({
      identityDomain: ["endpoint", "allowPlainHttpOnLoopback"],
      integrationInstance: ["id", "designTimeUrl", "name", "idcsAppId", "audience", "runtimeUrl"],
      clients: ["name", "displayName", "description", "roles", "scopes", "probe"],
      verification: ["retryBudgetSeconds", "verifyOnEveryUp", "caFile", "concurrency"],
      destroy: ["deactivateBeforeDelete", "ociConfigFile"],
    });
  });
});
