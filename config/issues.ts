/**
 * Turns zod issues into the lines of a `StackConfigError`: each names the full key, shows the bad value
 * (unless the key is a secret), says what is wrong and how to fix it.
 */
import type { z } from "zod";
import { redactUserInfo } from "../components/oic";
import { escapeUnsafe, quote, truncate } from "./echo";
import { guideFor } from "./guide";
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
