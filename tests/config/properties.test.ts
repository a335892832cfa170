/**
 * Properties of the config parser over arbitrary input: whatever a stack file or `pulumi config set` holds, the
 * parser returns a config or throws one `StackConfigError` whose lines name keys; it never throws anything else,
 * never shows a secret value, and never echoes a control or bidirectional character or an unbounded text.
 */
import * as fc from "fast-check";
import { describe, expect, it } from "vitest";

import { StackConfigError } from "../../config/errors";
import { NESTED_KEYS, TOP_LEVEL_KEYS } from "../../config/keys";
import { parseStackConfig, type StackConfigContext } from "../../config/parse";
import { ALL_OIC_ROLES, ALL_OIC_SCOPE_KINDS, ALL_PROBES } from "../../components/oic";

const NS = "oic-client-provisioner";
const DOMAIN = "https://idcs-0123456789abcdef0123456789abcdef.identity.oraclecloud.com";
const OCID = "ocid1.integrationinstance.oc1.iad.amaaaaaaexampleuniqueid";

/** Names that a plain object inherits from `Object.prototype`: a lookup that forgets `hasOwn` finds them. */
const PROTOTYPE_NAMES = [
  "__proto__",
  "constructor",
  "toString",
  "hasOwnProperty",
  "valueOf",
  "isPrototypeOf",
  "propertyIsEnumerable",
  "toLocaleString",
  "__defineGetter__",
  "__lookupSetter__",
];
const KNOWN_NAMES = [
  ...TOP_LEVEL_KEYS,
  ...Object.values(NESTED_KEYS).flat(),
  ...ALL_OIC_ROLES,
  ...ALL_OIC_SCOPE_KINDS,
  ...ALL_PROBES,
  "true",
  "false",
  "idcsEndpoint",
];
/** Characters that must never reach a terminal from a message: controls, bidi overrides, zero-width ones. */
const TRICKY = ["\u0000", "\u0007", "\u001b[31m", "\u007f", "\u0085", "\u202e", "\u2066", "\u200b", "\u2028"];

const word: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...PROTOTYPE_NAMES, ...KNOWN_NAMES) },
  { weight: 2, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 12 }) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(...PROTOTYPE_NAMES, ...KNOWN_NAMES), fc.constantFrom(...TRICKY))
      .map(([name, tricky]) => `${name}${tricky}`),
  },
  { weight: 1, arbitrary: fc.string({ minLength: 150, maxLength: 400 }) },
);

/** An object whose own keys are exactly the given ones, `__proto__` included (an assignment would set the prototype). */
function objectOf(entries: ReadonlyArray<readonly [string, unknown]>): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (const [key, value] of entries) {
    Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return object;
}

const { json } = fc.letrec<{ json: unknown }>((tie) => ({
  json: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double(),
    word,
    fc.array(tie("json"), { maxLength: 4 }),
    fc.array(fc.tuple(word, tie("json")), { maxLength: 4 }).map(objectOf),
  ),
}));

/** A field that is usually well formed, sometimes arbitrary, sometimes absent. */
function field(good: fc.Arbitrary<unknown>): fc.Arbitrary<readonly [boolean, unknown]> {
  return fc.oneof(
    fc.tuple(fc.constant(true), good),
    fc.tuple(fc.constant(true), json),
    fc.tuple(fc.constant(false), fc.constant(undefined)),
  );
}

/** An object with these fields, each maybe present, plus up to two extra keys from the alphabet. */
function shaped(fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<Record<string, unknown>> {
  const names = Object.keys(fields);
  return fc
    .tuple(
      fc.tuple(...names.map((name) => field(fields[name] ?? json))),
      fc.array(fc.tuple(word, json), { maxLength: 2 }),
    )
    .map(([values, extra]) =>
      objectOf([
        ...names.flatMap((name, index): Array<[string, unknown]> => {
          const [present, value] = values[index] ?? [false, undefined];
          return present ? [[name, value]] : [];
        }),
        ...extra,
      ]),
    );
}

const listOf = (names: readonly string[]) =>
  fc.array(fc.oneof(fc.constantFrom(...names), word), { maxLength: 3 });

const topLevel: Record<string, fc.Arbitrary<unknown>> = {
  identityDomain: shaped({
    endpoint: fc.constantFrom(
      DOMAIN,
      "https://127.0.0.1:8443",
      "http://127.0.0.1:1",
      `${DOMAIN}.evil.example`,
    ),
    allowPlainHttpOnLoopback: fc.constantFrom(true, false, "true"),
  }),
  integrationInstance: shaped({
    id: fc.constantFrom(OCID, "ocid1.tenancy.oc1..aaaa"),
    designTimeUrl: fc.constant("https://design.integration.us-ashburn-1.ocp.oraclecloud.com"),
    name: fc.constant("oicdev-x-ia"),
    idcsAppId: fc.constant("0123456789abcdef0123456789abcdef"),
    audience: fc.constant("https://ABC.integration.us-ashburn-1.ocp.oraclecloud.com:443"),
    runtimeUrl: fc.constant("https://oicdev-x-ia.integration.us-ashburn-1.ocp.oraclecloud.com"),
  }),
  displayNamePrefix: fc.constantFrom("", "dev-"),
  clients: fc.array(
    shaped({
      name: fc.constantFrom("reporting", "orders"),
      displayName: fc.constant("OIC reporting"),
      description: fc.constant("Nightly report."),
      roles: listOf(ALL_OIC_ROLES),
      scopes: listOf(ALL_OIC_SCOPE_KINDS),
      probe: fc.constantFrom(...ALL_PROBES),
    }),
    { maxLength: 3 },
  ),
  verification: shaped({
    retryBudgetSeconds: fc.constantFrom(30, "30"),
    verifyOnEveryUp: fc.boolean(),
    caFile: fc.constant("ca.pem"),
    concurrency: fc.constantFrom(1, 4),
  }),
  destroy: shaped({ deactivateBeforeDelete: fc.boolean(), ociConfigFile: fc.constant("oci/config") }),
};

/** What the CLI hands the program: full keys, each value a string (structured ones as JSON, or any text). */
const stackValues: fc.Arbitrary<Record<string, string>> = fc
  .tuple(
    fc.tuple(...Object.keys(topLevel).map((name) => field(topLevel[name] ?? json))),
    fc.array(fc.tuple(word, json), { maxLength: 3 }),
    fc.array(
      fc.tuple(
        fc.constantFrom(
          "oci:auth",
          "oci:tenancyOcid",
          "oci:userOcid",
          "oci:fingerprint",
          "oci:privateKey",
          "oci:privateKeyPath",
          "oci:privateKeyPassword",
          "oci:configFileProfile",
        ),
        word,
      ),
      { maxLength: 4 },
    ),
    fc.array(word, { maxLength: 3 }),
  )
  .map(([known, unknownKeys, oci, rawTexts]) => {
    const entries: Array<[string, unknown]> = [];
    Object.keys(topLevel).forEach((name, index) => {
      const [present, value] = known[index] ?? [false, undefined];
      if (present) entries.push([`${NS}:${name}`, value]);
    });
    for (const [name, value] of unknownKeys) entries.push([`${NS}:${name}`, value]);
    for (const [name, value] of oci) entries.push([name, value]);
    // A top-level value that is not JSON reaches the parser as the text itself.
    rawTexts.forEach((text, index) => {
      const entry = entries[index];
      if (entry !== undefined) entry[1] = text;
    });
    return objectOf(
      entries.map(([key, value]) => [key, typeof value === "string" ? value : JSON.stringify(value)]),
    ) as Record<string, string>;
  });

const context: StackConfigContext = {
  stack: "dev",
  cwd: "/project",
  fileExists: (path) => ["/project/ca.pem", "/project/oci/config"].includes(path),
};

/** The problems of a config, or [] when it is accepted; any other exception fails the property. */
function problemsOf(values: Record<string, string>, ctx: StackConfigContext) {
  try {
    parseStackConfig(values, ctx);
    return [];
  } catch (error) {
    if (!(error instanceof StackConfigError)) throw error;
    expect(error.problems.length).toBeGreaterThan(0);
    return error.problems;
  }
}

/** Controls (C0, DEL, C1), format characters (bidi, zero-width), line and paragraph separators. */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

const RUNS = { seed: 20240917, numRuns: 250 };

describe("parseStackConfig on arbitrary input", () => {
  it("returns a config or throws a StackConfigError naming keys, never another exception", () => {
    fc.assert(
      fc.property(stackValues, (values) => {
        for (const problem of problemsOf(values, context)) {
          expect(problem.key).toMatch(/^(oic-client-provisioner|oci):./);
          expect(problem.text).not.toBe("");
        }
      }),
      RUNS,
    );
  });

  it("echoes no control or bidi character and no unbounded text", () => {
    fc.assert(
      fc.property(stackValues, (values) => {
        for (const problem of problemsOf(values, context)) {
          const line = `${problem.key}: ${problem.text}`;
          expect(line).not.toMatch(UNSAFE);
          expect(line.length).toBeLessThan(700);
        }
      }),
      RUNS,
    );
  });

  it("shows nothing of a value whose key is secret", () => {
    const marker = "S3CRETMARK";
    const marked = (value: unknown): unknown => {
      if (typeof value === "string") return `${value}${marker}`;
      if (Array.isArray(value)) return value.map(marked);
      if (value !== null && typeof value === "object") {
        return objectOf(Object.entries(value).map(([key, inner]) => [key, marked(inner)]));
      }
      return value;
    };
    const withMarker = stackValues.map((values) =>
      objectOf(
        Object.entries(values).map(([key, text]) => {
          try {
            return [key, JSON.stringify(marked(JSON.parse(text)))];
          } catch {
            return [key, `${text}${marker}`];
          }
        }),
      ),
    ) as fc.Arbitrary<Record<string, string>>;
    fc.assert(
      fc.property(withMarker, (values) => {
        const secretContext = { ...context, isSecret: () => true };
        for (const problem of problemsOf(values, secretContext)) {
          expect(`${problem.key}: ${problem.text}`).not.toContain(marker);
        }
      }),
      RUNS,
    );
  });
});
