import { describe, expect, it } from "vitest";
import { configKey, didYouMean, isPath } from "../../config/keys";

describe("configKey", () => {
  it("writes the full key the way `pulumi config set --path` reads it", () => {
    expect(configKey(["clients", 1, "roles", 0])).toBe("oic-client-provisioner:clients[1].roles[0]");
    expect(configKey(["identityDomain", "endpoint"])).toBe("oic-client-provisioner:identityDomain.endpoint");
    expect(configKey(["clients"])).toBe("oic-client-provisioner:clients");
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

  it("tells a path elsewhere from a sibling key", () => {
    expect(isPath("identityDomain.endpoint")).toBe(true);
    expect(isPath("clients[].roles")).toBe(true);
    expect(isPath("roles")).toBe(false);
  });
});
