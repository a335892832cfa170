/**
 * Turns zod issues into the lines of a `StackConfigError`: each names the full key, shows the bad value
 * (unless the key is a secret), says what is wrong and how to fix it.
 */
import type { z } from "zod";
import { ALL_OIC_ROLES, ALL_OIC_SCOPE_KINDS, ALL_PROBES, redactUserInfo } from "../components/oic";
import { escapeUnsafe, quote, truncate } from "./echo";
import { configKey, didYouMean, isPath, nestedKeysOf, TOP_LEVEL_KEYS } from "./keys";

export interface ConfigProblem {
  /** Full key, e.g. `oic-client-provisioner:clients[1].roles`. */
  readonly key: string;
  /** What is wrong and how to fix it, one or two sentences. */
  readonly text: string;
}

/** What a custom issue carries in `params` (see `schema.ts`). */
export interface ProblemParams {
  readonly problem: string;
  readonly fix?: string;
}

const EXAMPLE_ENDPOINT = "https://idcs-0123456789abcdef0123456789abcdef.identity.oraclecloud.com";

/** General advice per key pattern (`[]` for any index); used when a check has no more specific fix. */
export const FIELD_GUIDE: Readonly<Record<string, string>> = {
  identityDomain: `set it to an object with the endpoint, e.g. { endpoint: ${EXAMPLE_ENDPOINT} }`,
  "identityDomain.endpoint": `set it to the Domain URL from the identity domain's Details page, e.g. ${EXAMPLE_ENDPOINT}`,
  "identityDomain.allowPlainHttpOnLoopback": "set it to true or false (default false)",
  integrationInstance:
    "set it to an object with the instance's OCID, e.g. { id: ocid1.integrationinstance.oc1.iad.<unique id> }, " +
    "or with designTimeUrl, name and idcsAppId",
  "integrationInstance.id":
    "set it to the OCID of the integration instance, ocid1.integrationinstance.<realm>.<region>.<unique id>",
  "integrationInstance.designTimeUrl":
    "set it to the instance's design-time URL, e.g. https://design.integration.us-ashburn-1.ocp.oraclecloud.com",
  "integrationInstance.name":
    'set it to the "Service instance" value on the instance\'s About page: lower-case letters, digits and hyphens, ' +
    "e.g. oicdev-axhknnpmgslz-ia",
  "integrationInstance.idcsAppId":
    "set it to the id of the instance's app in the identity domain (idcsInfo.idcsAppId, 32 hex characters)",
  "integrationInstance.audience":
    "set it to the instance's primary audience, e.g. https://<GUID>.integration.<region>.ocp.oraclecloud.com:443",
  "integrationInstance.runtimeUrl":
    "set it to the instance's runtime URL, e.g. https://<name>.integration.<region>.ocp.oraclecloud.com",
  displayNamePrefix:
    'use at most 40 letters, digits, spaces, ".", "_" or "-", or "" for none (default "<stack>-")',
  clients: "list one or more clients, e.g. [{ name: reporting, roles: [ServiceUser] }]",
  "clients[]":
    "each client is an object with name and roles, and optionally displayName, description, scopes, probe",
  "clients[].name":
    "use 1 to 40 lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen",
  "clients[].displayName":
    'use at most 100 letters, digits, spaces, ".", "_", "-", "(" or ")", starting with a letter or digit',
  "clients[].description": "use one line of text, at most 400 characters",
  "clients[].roles": `list one or more of: ${ALL_OIC_ROLES.join(", ")}`,
  "clients[].roles[]": `use one of: ${ALL_OIC_ROLES.join(", ")}`,
  "clients[].scopes": `list one or both of: ${ALL_OIC_SCOPE_KINDS.join(", ")} (default both)`,
  "clients[].scopes[]": `use one of: ${ALL_OIC_SCOPE_KINDS.join(", ")}`,
  "clients[].probe": `use one of: ${ALL_PROBES.join(", ")} (default connections)`,
  verification: "set it to an object, e.g. { retryBudgetSeconds: 120 }, or leave it out for the defaults",
  "verification.retryBudgetSeconds": "use a whole number of seconds from 0 to 1800 (default 120)",
  "verification.verifyOnEveryUp": "set it to true or false (default false)",
  "verification.caFile": "give the path of a PEM file, absolute or relative to the project directory",
  "verification.concurrency": "use a whole number from 1 to 16 (default 4)",
  destroy: "set it to an object, e.g. { deactivateBeforeDelete: true }, or leave it out for the defaults",
  "destroy.deactivateBeforeDelete": "set it to true or false (default true)",
  "destroy.ociConfigFile":
    "give the path of the OCI CLI config file, absolute or relative to the project directory (default ~/.oci/config)",
};

/**
 * The general advice for a key, by its path. Paths hold names from the stack file, so the guide is read with
 * `Object.hasOwn`: a plain object would also answer `constructor` or `toString`.
 */
export function guideFor(path: readonly PropertyKey[]): string | undefined {
  const key = pattern(path);
  return Object.hasOwn(FIELD_GUIDE, key) ? FIELD_GUIDE[key] : undefined;
}

/** The guide's pattern for a path: indexes become `[]`. */
export function pattern(path: readonly PropertyKey[]): string {
  return path
    .map((segment, index) =>
      typeof segment === "number" ? "[]" : (index === 0 ? "" : ".") + String(segment),
    )
    .join("");
}

/**
 * A value as it appears in a message: JSON, credentials in URLs hidden, cut to `ECHO_LIMIT` characters, control
 * and bidi characters escaped (see `echo.ts`).
 */
export function showValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (typeof value === "string") return quote(redactUserInfo(value));
  return escapeUnsafe(truncate(JSON.stringify(value) ?? typeof value));
}

/** The value at `path` in the parsed stack value; only own properties, never one inherited from a prototype. */
export function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = root;
  for (const segment of path) {
    if (current === null || typeof current !== "object" || !Object.hasOwn(current, segment)) return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}

/** Ends `text` with a full stop, leaving its first letter alone (it follows "key: "). */
function period(text: string): string {
  const trimmed = text.trim();
  return trimmed === "" || /[.?!]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

function sentence(text: string): string {
  const trimmed = text.trim();
  if (trimmed === "") return "";
  const capitalised = trimmed[0]?.toUpperCase() + trimmed.slice(1);
  return /[.?!]$/.test(capitalised) ? capitalised : `${capitalised}.`;
}

/** `{sibling:probe}` → the full key of the sibling `probe` of the key in question. */
function resolveSiblings(text: string, path: readonly PropertyKey[]): string {
  return text.replace(/\{sibling:([A-Za-z]+)\}/g, (_, name: string) =>
    configKey([...path.slice(0, -1), name]),
  );
}

const TYPE_NAMES: ReadonlyMap<string, string> = new Map([
  ["object", "an object (a YAML mapping)"],
  ["array", "a list"],
  ["string", "a string"],
  ["boolean", "true or false"],
  ["number", "a number"],
  ["int", "a whole number"],
]);

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "an object";
  return `the ${typeof value}`;
}

function knownKeysAt(path: readonly PropertyKey[]): readonly string[] {
  if (path.length === 0) return TOP_LEVEL_KEYS;
  return nestedKeysOf(String(path[0])) ?? [];
}

/** The line for a key that the schema does not know. */
export function unknownKeyProblem(path: readonly PropertyKey[], name: string): ConfigProblem {
  const known = knownKeysAt(path);
  const guess = didYouMean(name, known);
  const hint =
    guess === undefined ? "" : ` Did you mean ${isPath(guess) ? configKey(guess.split(".")) : `"${guess}"`}?`;
  const nested =
    path.length === 0 && name.includes(".")
      ? ` To set a nested value, use \`pulumi config set --path '${configKey([name])}' <value>\`.`
      : "";
  return {
    key: configKey([...path, name]),
    text: `is not a known key.${nested || hint} Known keys here: ${known.join(", ")}.`,
  };
}

/**
 * One line per problem of one top-level key. `raw` is that key's parsed value; when the key is a secret, neither
 * its value nor a problem or fix that could quote it is shown.
 */
export function problemsFromIssues(
  topKey: string,
  raw: unknown,
  issues: readonly z.core.$ZodIssue[],
  secret: boolean,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const issue of issues) {
    const path: PropertyKey[] = [topKey, ...issue.path];
    const value = valueAt(raw, issue.path);
    const shown = secret ? "(a secret value, not shown)" : showValue(value);
    const guide = guideFor(path);
    const key = configKey(path);
    switch (issue.code) {
      case "unrecognized_keys":
        for (const name of issue.keys) problems.push(unknownKeyProblem(path, name));
        break;
      case "invalid_type":
        problems.push({
          key,
          text:
            value === undefined
              ? `is missing. ${sentence(guide ?? "set it")}`
              : `expected ${TYPE_NAMES.get(issue.expected) ?? issue.expected}, got ${typeOf(value)} ${shown}. ${sentence(guide ?? "")}`.trim(),
        });
        break;
      case "invalid_value": {
        const allowed = issue.values.map(String);
        const guess = typeof value === "string" && !secret ? didYouMean(value, allowed) : undefined;
        problems.push({
          key,
          text:
            `${shown} is not allowed. Use one of: ${allowed.join(", ")}.` +
            (guess === undefined ? "" : ` Did you mean "${guess}"?`),
        });
        break;
      }
      case "too_small":
        problems.push({
          key,
          text: `${issue.origin === "array" ? "is an empty list" : `${shown} is too small`}. ${sentence(guide ?? "")}`.trim(),
        });
        break;
      case "custom": {
        const params = issue.params as ProblemParams | undefined;
        if (params === undefined) {
          problems.push({ key, text: sentence(issue.message) });
          break;
        }
        if (secret) {
          // A problem may quote part of the value (a path, a port), so a secret only gets the general advice.
          problems.push({ key, text: `${shown} is not valid. ${sentence(guide ?? "")}`.trim() });
          break;
        }
        const fix = params.fix ?? guide;
        problems.push({
          key,
          text: `${period(resolveSiblings(params.problem.replace("{value}", shown), path))} ${sentence(
            resolveSiblings(fix ?? "", path),
          )}`.trim(),
        });
        break;
      }
      default:
        problems.push({ key, text: `${sentence(issue.message)} ${sentence(guide ?? "")}`.trim() });
    }
  }
  return problems;
}
