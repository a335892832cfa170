import { readFileSync } from "node:fs";
import { join } from "node:path";

import { load } from "js-yaml";

/** What the Pulumi CLI hands a program for a stack file: full keys, each value a string, structured ones as JSON. */
export type StackConfigValues = Record<string, string>;

export class StackFileError extends Error {
  override readonly name = "StackFileError";
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
  return join(stacksDir, `Pulumi.${stack}.yaml`);
}

export function readStackFile(path: string): StackConfigValues {
  let document: unknown;
  try {
    document = load(readFileSync(path, "utf8"));
  } catch (error) {
    throw new StackFileError(
      `cannot read the stack file ${path}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const config = (document as { config?: unknown } | null)?.config;
  if (config === null || typeof config !== "object" || Array.isArray(config)) {
    throw new StackFileError(`the stack file ${path} has no "config:" map`);
  }
  return Object.fromEntries(
    Object.entries(config as Record<string, unknown>).map(([key, value]) => [
      key,
      typeof value === "string" ? value : JSON.stringify(value),
    ]),
  );
}

/** Sets `field` of the JSON object stored under `key` (as `pulumi config set --path key.field` would). */
export function setNested(
  values: StackConfigValues,
  key: string,
  field: string,
  value: string,
): StackConfigValues {
  const current = values[key];
  let object: Record<string, unknown> = {};
  if (current !== undefined) {
    const parsed = JSON.parse(current) as unknown;
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
      throw new StackFileError(`${key} is not an object, so ${key}.${field} cannot be set`);
    }
    object = parsed as Record<string, unknown>;
  }
  return { ...values, [key]: JSON.stringify({ ...object, [field]: value }) };
}
