import { describe, expect, expectTypeOf, it } from "vitest";
import {
  DEFAULT_DEPLOYMENT_CONCURRENCY,
  DEFAULT_RETRY_BUDGET_SECONDS,
} from "../../components/verifier/defaults";
import type { InstanceFactOverrides } from "../../components/oic";
import { FIELD_GUIDE, guideFor } from "../../config/guide";
import { NESTED_KEYS, TOP_LEVEL_KEYS, type KeyPattern } from "../../config/keys";
import type { IntegrationInstanceConfig } from "../../config/types";

describe("the guide", () => {
  it("has advice for every key the schema knows, and for nothing else", () => {
    const patterns = [
      ...TOP_LEVEL_KEYS,
      ...Object.entries(NESTED_KEYS).flatMap(([top, nested]) =>
        nested.map((name) => (top === "clients" ? `clients[].${name}` : `${top}.${name}`)),
      ),
      "clients[]",
      "clients[].roles[]",
      "clients[].scopes[]",
    ];
    expect(Object.keys(FIELD_GUIDE).sort()).toEqual([...patterns].sort());
    expectTypeOf<keyof typeof FIELD_GUIDE>().toEqualTypeOf<KeyPattern>();
  });

  it("finds the advice for a path, indexes written []", () => {
    expect(guideFor(["clients", 3, "roles", 0])).toBe(FIELD_GUIDE["clients[].roles[]"]);
    expect(guideFor(["clients", 0, "constructor"])).toBeUndefined();
  });

  it("quotes the defaults the verifier and the access check use", () => {
    expect(FIELD_GUIDE["verification.retryBudgetSeconds"]).toContain(
      `(default ${DEFAULT_RETRY_BUDGET_SECONDS})`,
    );
    expect(FIELD_GUIDE["verification.concurrency"]).toContain(`(default ${DEFAULT_DEPLOYMENT_CONCURRENCY})`);
  });
});

describe("the config's types", () => {
  it("give the component's instance overrides exactly the keys the stack may set", () => {
    expectTypeOf<keyof IntegrationInstanceConfig>().toEqualTypeOf<keyof InstanceFactOverrides>();
    expectTypeOf<IntegrationInstanceConfig>().toExtend<InstanceFactOverrides>();
  });
});
