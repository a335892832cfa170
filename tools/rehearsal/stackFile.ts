/**
 * A stack file as the Pulumi CLI hands it to a program: full keys, each value a string (structured ones as JSON),
 * the keys that hold a `secure:` value marked secret. Then the stack is validated as written, before the rehearsal
 * points anything at the emulator, so that it refuses what `pulumi up` would refuse, with the same message.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";

import { CORE_SCHEMA, load, Type, YAMLException } from "js-yaml";

import {
  configKey,
  CONFIG_NAMESPACE,
  parseStackConfig,
  StackConfigError,
  TOP_LEVEL_KEYS,
  type ConfigProblem,
} from "../../config";
import { echo, quote } from "../../config/echo";

/** What the Pulumi CLI hands a program for a stack file: full keys, each value a string, structured ones as JSON. */
export type StackConfigValues = Record<string, string>;

export interface StackFile {
  readonly values: StackConfigValues;
  /** Keys that hold a `secure:` value anywhere: Pulumi treats the whole key as a secret. */
  readonly secretKeys: readonly string[];
  /** Where each `secure:` value sits, as a full key path (`oic-client-provisioner:clients[0].description`). */
  readonly secureValues: readonly string[];
}

export class StackFileError extends Error {
  override readonly name = "StackFileError";
}

/**
 * How much a stack file may hold once YAML aliases are expanded, and how deep. A stack of this project holds a few
 * hundred values four levels deep; a few lines of aliases of aliases expand into billions ("billion laughs",
 * CVE-2003-1564), which would take the rehearsal minutes and gigabytes to turn into JSON.
 */
export const STACK_FILE_LIMITS = { values: 10_000, depth: 64 } as const;

/**
 * The value the rehearsal puts where the stack has a `secure:` value: it runs without the stack's secrets provider,
 * so it cannot decrypt it, and the ciphertext is never passed on (nor shown).
 */
const SECURE_PLACEHOLDER = "(secure value, not decrypted by the rehearsal)";

/**
 * YAML 1.2's core schema (null, booleans, numbers, strings; a date stays a string, as the Pulumi CLI's YAML parser
 * keeps it) plus merge keys (`<<: *base`, https://yaml.org/type/merge.html), which the Pulumi CLI accepts. js-yaml
 * merges into a mapping any key whose tag is this one (js-yaml `lib/type/merge.js`).
 */
const SCHEMA = CORE_SCHEMA.extend({
  implicit: [
    new Type("tag:yaml.org,2002:merge", {
      kind: "scalar",
      resolve: (data: unknown) => data === "<<" || data === null,
    }),
  ],
});

/** "Stack names may only contain alphanumeric characters, hyphens, underscores, or periods" (Pulumi, Stacks). */
const STACK_NAME = /^[A-Za-z0-9_.-]+$/;

/** Why `stack` cannot name a stack file, or undefined when it can. */
export function stackNameProblem(stack: string): string | undefined {
  return STACK_NAME.test(stack)
    ? undefined
    : `--stack ${quote(stack)} is not a stack name: Pulumi's stack names have only letters, digits, "-", "_" and ".".`;
}

/** The project's stack files are in `stacks/` (Pulumi.yaml `stackConfigDir: stacks`). */
export function stacksDirOf(projectRoot: string): string {
  return join(projectRoot, "stacks");
}

export function stackFilePath(
  projectRoot: string,
  stack: string,
  stacksDir = stacksDirOf(projectRoot),
): string {
  const problem = stackNameProblem(stack);
  if (problem !== undefined) throw new StackFileError(problem);
  return join(stacksDir, `Pulumi.${stack}.yaml`);
}

function stacksIn(directory: string): string {
  let names: string[] = [];
  try {
    names = readdirSync(directory)
      .map((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1])
      .filter((name): name is string => name !== undefined)
      .sort();
  } catch {
    // No directory: no stacks.
  }
  return names.length === 0 ? "none" : names.map(echo).join(", ");
}

function readText(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") {
      throw new StackFileError(
        `There is no stack file ${path}. Stacks there: ${stacksIn(dirname(path))}. Use one of them with --stack, or create the file.`,
      );
    }
    throw new StackFileError(`The stack file ${path} cannot be read (${code ?? "unknown error"}).`);
  }
}

/**
 * The document, or a message naming the place of a YAML error. js-yaml's own message quotes the lines around the
 * error, which may hold a private key or ciphertext, so only its reason and position are kept.
 */
function parse(path: string, text: string): unknown {
  try {
    return load(text, { schema: SCHEMA });
  } catch (error) {
    if (error instanceof YAMLException) {
      const where = `line ${error.mark.line + 1}, column ${error.mark.column + 1}`;
      const reason = echo(error.reason);
      const fix =
        error.reason === "duplicated mapping key"
          ? "A key may appear once in a mapping: remove or merge the repeated one."
          : "Correct the YAML there.";
      throw new StackFileError(`The stack file ${path} is not valid YAML: ${where}: ${reason}. ${fix}`);
    }
    if (error instanceof RangeError) {
      throw new StackFileError(`The stack file ${path} is nested too deeply to be read. Flatten it.`);
    }
    throw error;
  }
}

function isMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function kindOf(value: unknown): string {
  if (value === null || value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  return `a ${typeof value}`;
}

function configOf(path: string, document: unknown): Record<string, unknown> {
  let what: string | undefined;
  if (document === null || document === undefined) what = "it is empty";
  else if (!isMap(document)) what = `it holds ${kindOf(document)}`;
  else if (!Object.hasOwn(document, "config")) what = 'it has no "config:" key';
  else if (!isMap(document["config"])) what = `"config:" holds ${kindOf(document["config"])}`;
  if (what !== undefined || !isMap(document) || !isMap(document["config"])) {
    throw new StackFileError(
      `The stack file ${path} has no "config:" map (${what ?? "unknown"}). A stack file is a YAML map whose ` +
        `"config:" key maps each setting (namespace:name) to its value: a line "config:", then indented lines such ` +
        `as "  oci:region: us-ashburn-1".`,
    );
  }
  return document["config"];
}

/** A full key path for a place inside the value of `key`, as messages name it. */
function keyPath(key: string, path: ReadonlyArray<string | number>): string {
  const prefix = `${CONFIG_NAMESPACE}:`;
  if (key.startsWith(prefix)) return configKey([key.slice(prefix.length), ...path]);
  return (
    echo(key) +
    path.map((segment) => (typeof segment === "number" ? `[${segment}]` : `.${echo(segment)}`)).join("")
  );
}

class TooLarge extends Error {}
class TooDeep extends Error {}

interface Walk {
  /** Values seen so far in the whole config, aliases counted each time they are used. */
  count: number;
  readonly secure: string[];
}

/**
 * A copy of `value` with each `secure:` value replaced and recorded; it counts every value it visits, so an alias
 * used a billion times stops the walk at the limit instead of being expanded.
 */
function expand(value: unknown, key: string, path: Array<string | number>, walk: Walk): unknown {
  walk.count += 1;
  if (walk.count > STACK_FILE_LIMITS.values) throw new TooLarge();
  if (path.length > STACK_FILE_LIMITS.depth) throw new TooDeep();
  if (Array.isArray(value)) return value.map((item, index) => expand(item, key, [...path, index], walk));
  if (!isMap(value)) return value;
  const entries = Object.entries(value);
  const [only] = entries;
  if (entries.length === 1 && only !== undefined && only[0] === "secure" && typeof only[1] === "string") {
    walk.secure.push(keyPath(key, path));
    return SECURE_PLACEHOLDER;
  }
  const copy: Record<string, unknown> = {};
  for (const [name, inner] of entries) {
    // defineProperty: a key named __proto__ stays a key, as JSON.parse would make it.
    Object.defineProperty(copy, name, {
      value: expand(inner, key, [...path, name], walk),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return copy;
}

/** Reads a stack file as the Pulumi CLI would hand it to the program. Throws a `StackFileError` naming the problem. */
export function readStack(path: string): StackFile {
  const config = configOf(path, parse(path, readText(path)));
  const values: StackConfigValues = {};
  const secretKeys: string[] = [];
  const walk: Walk = { count: 0, secure: [] };
  for (const [key, value] of Object.entries(config)) {
    const before = walk.secure.length;
    let expanded: unknown;
    try {
      expanded = expand(value, key, [], walk);
    } catch (error) {
      if (error instanceof TooLarge) {
        throw new StackFileError(
          `The stack file ${path} is too large once its YAML aliases are expanded: it holds more than ` +
            `${STACK_FILE_LIMITS.values} values, the last of them in ${keyPath(key, [])} (a stack of this project ` +
            "holds a few hundred). Write the values out instead of aliases of aliases.",
        );
      }
      if (error instanceof TooDeep) {
        throw new StackFileError(
          `The stack file ${path} nests ${keyPath(key, [])} more than ${STACK_FILE_LIMITS.depth} levels deep ` +
            "(a stack of this project nests four). Flatten it.",
        );
      }
      throw error;
    }
    Object.defineProperty(values, key, {
      value: typeof expanded === "string" ? expanded : JSON.stringify(expanded),
      enumerable: true,
      writable: true,
      configurable: true,
    });
    if (walk.secure.length > before) secretKeys.push(key);
  }
  return { values, secretKeys, secureValues: walk.secure };
}

/** The values of a stack file (see `readStack`). */
export function readStackFile(path: string): StackConfigValues {
  return readStack(path).values;
}

function isFile(absolutePath: string): boolean {
  return existsSync(absolutePath) && statSync(absolutePath).isFile();
}

/** `oic-client-provisioner:clients[0].description` → `clients`, when it is one of the project's keys. */
function topLevelKeyOf(fullKey: string): string | undefined {
  const prefix = `${CONFIG_NAMESPACE}:`;
  if (!fullKey.startsWith(prefix)) return undefined;
  const name = /^[^.[]*/.exec(fullKey.slice(prefix.length))?.[0] ?? "";
  return (TOP_LEVEL_KEYS as readonly string[]).includes(name) ? name : undefined;
}

/**
 * Validates the stack as `pulumi up` would read it, before the rehearsal points anything at the emulator: throws
 * the `StackConfigError` the program would throw. A `secure:` value of one of the project's keys cannot be
 * decrypted here, so instead of a problem about a value it does not know, the rehearsal says that.
 */
export function validateAsWritten(stack: string, file: StackFile, projectRoot: string): void {
  const secret = new Set(file.secretKeys);
  let problems: ConfigProblem[] = [];
  try {
    parseStackConfig(file.values, {
      stack,
      isSecret: (key) => secret.has(key),
      cwd: projectRoot,
      fileExists: isFile,
    });
  } catch (error) {
    if (!(error instanceof StackConfigError)) throw error;
    problems = [...error.problems];
  }
  const encrypted = file.secureValues.filter((key) => topLevelKeyOf(key) !== undefined);
  const hidden = new Set(encrypted.map(topLevelKeyOf));
  const cannotDecrypt = encrypted.map((key): ConfigProblem => ({
    key,
    text:
      "is encrypted (secure:), and the rehearsal cannot decrypt it: it runs without the stack's secrets provider. " +
      `None of ${CONFIG_NAMESPACE}'s settings is a secret: to rehearse this stack, store it in plain text ` +
      `(pulumi config set --plaintext --path '${key}' <value>).`,
  }));
  const all = [...cannotDecrypt, ...problems.filter((problem) => !hidden.has(topLevelKeyOf(problem.key)))];
  if (all.length > 0) throw new StackConfigError(stack, all);
}

/** Sets `field` of the map stored under `key` (as `pulumi config set --path key.field` would). */
export function setNested(
  values: StackConfigValues,
  key: string,
  field: string,
  value: string,
): StackConfigValues {
  const current = Object.hasOwn(values, key) ? values[key] : undefined;
  let object: Record<string, unknown> = {};
  if (current !== undefined) {
    let parsed: unknown = current;
    try {
      parsed = JSON.parse(current);
    } catch {
      // Not JSON: a scalar, refused below.
    }
    if (!isMap(parsed)) {
      throw new StackFileError(
        `${key} is not a map, so ${key}.${field} cannot be pointed at the emulator. Set it to a map (validating the stack as written says how).`,
      );
    }
    object = parsed;
  }
  return { ...values, [key]: JSON.stringify({ ...object, [field]: value }) };
}

/** The value of the map stored under `key`'s `field`, or undefined (also when the value is not a map). */
export function nestedValue(values: StackConfigValues, key: string, field: string): unknown {
  const current = Object.hasOwn(values, key) ? values[key] : undefined;
  if (current === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(current);
    return isMap(parsed) && Object.hasOwn(parsed, field) ? parsed[field] : undefined;
  } catch {
    return undefined;
  }
}
