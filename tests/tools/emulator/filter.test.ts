import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FilterSyntaxError, parseFilter, type FilterNode } from "../../../tools/emulator/scim/filter";
import { compileFilter, matches } from "../../../tools/emulator/scim/filterEval";
import { ScimError } from "../../../tools/emulator/scim/errors";
import { APP_ROLE_SCHEMA, APP_SCHEMA } from "../../../tools/emulator/scim/schema";

describe("parseFilter", () => {
  it("builds the tree with not > and > or precedence", () => {
    expect(parseFilter('a eq "1" or b eq "2" and not (c pr)')).toEqual<FilterNode>({
      kind: "or",
      left: { kind: "compare", path: "a", op: "eq", value: "1" },
      right: {
        kind: "and",
        left: { kind: "compare", path: "b", op: "eq", value: "2" },
        right: { kind: "not", expr: { kind: "present", path: "c" } },
      },
    });
  });

  it("parses values: escaped strings, numbers, true, false, null, in any keyword case", () => {
    expect(parseFilter('x EQ "a\\"b\\\\c\\u0041"')).toEqual({
      kind: "compare",
      path: "x",
      op: "eq",
      value: 'a"b\\cA',
    });
    expect(parseFilter("x gt -1.5e2")).toEqual({ kind: "compare", path: "x", op: "gt", value: -150 });
    expect(parseFilter("x Eq TRUE")).toEqual({ kind: "compare", path: "x", op: "eq", value: true });
    expect(parseFilter("x ne false")).toEqual({ kind: "compare", path: "x", op: "ne", value: false });
    expect(parseFilter("x eq null")).toEqual({ kind: "compare", path: "x", op: "eq", value: null });
  });

  it("parses dotted, URN-prefixed and bracketed attribute paths", () => {
    expect(parseFilter('app.value eq "1"')).toEqual({
      kind: "compare",
      path: "app.value",
      op: "eq",
      value: "1",
    });
    expect(parseFilter('urn:ietf:params:scim:schemas:oracle:idcs:App:name sw "x"')).toEqual({
      kind: "compare",
      path: "urn:ietf:params:scim:schemas:oracle:idcs:App:name",
      op: "sw",
      value: "x",
    });
    expect(parseFilter('scopes[value eq "/ic/api/" or fqs ew "x"]')).toEqual({
      kind: "valuePath",
      path: "scopes",
      filter: {
        kind: "or",
        left: { kind: "compare", path: "value", op: "eq", value: "/ic/api/" },
        right: { kind: "compare", path: "fqs", op: "ew", value: "x" },
      },
    });
  });

  it.each([
    ["", "Filter is empty."],
    ["displayName", 'Expected an operator after "displayName" but found the end of the filter.'],
    ['displayName is "x"', 'Expected an operator after "displayName" but found "is" at position 13.'],
    ['displayName eq "x" and', "Expected an attribute name but found the end of the filter."],
    ['not displayName eq "x"', 'Expected "(" after "not" but found "displayName" at position 5.'],
    ['displayName eq "x")', 'Unexpected ")" at position 19.'],
    ['displayName eq "\\q"', "Invalid escape sequence in the string that starts at position 16."],
    ["displayName eq 'x'", 'Unexpected character "\'" at position 16.'],
    ['1abc eq "x"', "Expected an attribute name but found a number at position 1."],
    ['a..b eq "x"', '"a..b" at position 1 is not an attribute path.'],
    ['eq eq "x"', 'Expected an attribute name but found "eq" at position 1.'],
  ])("refuses %j: %s", (input, message) => {
    expect(() => parseFilter(input)).toThrow(new FilterSyntaxError(message));
  });

  it("refuses nesting deeper than 64 levels without exhausting the stack", () => {
    const deep = `${"(".repeat(4_000)}a pr${")".repeat(4_000)}`;
    expect(() => parseFilter(deep)).toThrow(new FilterSyntaxError("Filter nests deeper than 64 levels."));
    expect(parseFilter(`${"(".repeat(60)}a pr${")".repeat(60)}`)).toEqual({ kind: "present", path: "a" });
    expect(() => parseFilter(`a eq "${"x".repeat(9_000)}"`)).toThrow(
      new FilterSyntaxError("Filter is longer than 8192 characters."),
    );
  });
});

describe("compileFilter and matches", () => {
  const role = {
    id: "r1",
    displayName: "ServiceUser",
    adminRole: false,
    app: { value: "APP1", display: "Instance" },
    meta: { created: "2025-01-02T00:00:00.000Z" },
  };
  const app = {
    id: "a1",
    displayName: "client",
    active: true,
    grantedAppRoles: [
      { value: "r1", appId: "APP1" },
      { value: "r2", appId: "APP2" },
    ],
  };

  it.each([
    ['app.value eq "APP1" and displayName eq "serviceuser"', true],
    ['app.value eq "app1"', false],
    ['displayName co "vice" and not (adminRole eq true)', true],
    ['meta.created gt "2025-01-01" and meta.created lt "2025-02-01"', true],
    ["description pr", false],
    ["description eq null", true],
    ['description ne "x"', true],
    ['id sw "r" or displayName ew "nope"', true],
  ])("AppRole %s → %s", (filter, expected) => {
    expect(matches(compileFilter(filter, APP_ROLE_SCHEMA), role, APP_ROLE_SCHEMA)).toBe(expected);
  });

  it.each([
    ['grantedAppRoles[value eq "r2"]', true],
    ['grantedAppRoles[value eq "r3"]', false],
    ['grantedAppRoles.value eq "r1"', true],
    ["active eq true", true],
    ["ACTIVE EQ TRUE", true],
  ])("App %s → %s", (filter, expected) => {
    expect(matches(compileFilter(filter, APP_SCHEMA), app, APP_SCHEMA)).toBe(expected);
  });

  it("turns every problem into a SCIM 400 invalidFilter", () => {
    for (const filter of [
      "(",
      'audience eq "x"',
      'active co "t"',
      "active gt 1",
      'nope eq "x"',
      'displayName[value eq "x"]',
    ]) {
      let error: unknown;
      try {
        compileFilter(filter, APP_SCHEMA);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ScimError);
      expect((error as ScimError).status).toBe(400);
      expect((error as ScimError).scimType).toBe("invalidFilter");
    }
  });
});

describe("properties", () => {
  const attribute = fc.constantFrom(
    "displayName",
    "app.value",
    "id",
    "meta.created",
    "adminRole",
    "APP.VALUE",
  );
  const operator = fc.constantFrom("eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le", "EQ");
  const value = fc.oneof(
    fc.string().map((s) => JSON.stringify(s)),
    fc.integer().map(String),
    fc.constantFrom("true", "false", "null"),
  );
  const atom = fc.oneof(
    fc.tuple(attribute, operator, value).map(([a, o, v]) => `${a} ${o} ${v}`),
    attribute.map((a) => `${a} pr`),
  );
  const expression: fc.Arbitrary<string> = fc.letrec<{ expr: string }>((tie) => ({
    expr: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      atom,
      fc
        .tuple(tie("expr"), fc.constantFrom("and", "or", "AND"), tie("expr"))
        .map(([l, op, r]) => `${l} ${op} ${r}`),
      tie("expr").map((e) => `not (${e})`),
      tie("expr").map((e) => `(${e})`),
    ),
  })).expr;

  it("parses every well-formed filter", () => {
    fc.assert(
      fc.property(expression, (filter) => {
        parseFilter(filter);
      }),
      { numRuns: 300 },
    );
  });

  it("never throws anything but FilterSyntaxError on arbitrary input", () => {
    const noise = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.string({
        unit: fc.constantFrom(
          "(",
          ")",
          "[",
          "]",
          '"',
          "\\",
          " ",
          "a",
          "eq",
          "and",
          "not",
          ".",
          ":",
          "1",
          "-",
        ),
        maxLength: 80,
      }),
      expression.map((e) => e.slice(0, Math.max(0, e.length - 3))),
    );
    fc.assert(
      fc.property(noise, (input) => {
        try {
          parseFilter(input);
        } catch (error) {
          if (!(error instanceof FilterSyntaxError)) throw error;
        }
      }),
      { numRuns: 1000 },
    );
  });

  it("compiles and evaluates any parsed filter without an exception other than ScimError", () => {
    fc.assert(
      fc.property(expression, (filter) => {
        try {
          const node = compileFilter(filter, APP_ROLE_SCHEMA);
          const result = matches(
            node,
            { displayName: "x", app: { value: "y" }, adminRole: true },
            APP_ROLE_SCHEMA,
          );
          expect(typeof result).toBe("boolean");
        } catch (error) {
          if (!(error instanceof ScimError)) throw error;
        }
      }),
      { numRuns: 300 },
    );
  });
});
