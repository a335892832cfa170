/**
 * How a dynamic provider reaches the project's engine-free modules. Pulumi serializes a provider's methods
 * into the state and runs them in its own Node process with no TypeScript loader, so the methods capture only
 * where a module is (plain strings, resolved here when the program loads) and load it when they run: a `.ts`
 * source through tsx's scoped require (tsx is a runtime dependency; nothing is registered globally), a
 * compiled `.js` with plain require. Closure serialization: https://github.com/pulumi/pulumi/issues/18997;
 * old serialized code that keeps running: https://github.com/pulumi/pulumi/issues/16826.
 */
import { existsSync } from "node:fs";
import { join, relative } from "node:path";

import type * as nodeFs from "node:fs";
import type * as nodeModule from "node:module";
import type * as nodePath from "node:path";

/** Where a module was when the program ran, and where it is inside the project. */
export interface ModuleEntry {
  readonly absolute: string;
  /** Relative to the folder that holds the package, e.g. `components/verifier/index.ts`. */
  readonly inProject: string;
}

/** This package's folder; the modules the providers load are all inside it. */
const PACKAGE_DIR = __dirname;
const PROJECT_DIR = join(PACKAGE_DIR, "..");

/** The entry of a folder of this package (e.g. `verifier`): its `index.ts` source, or a compiled `index.js` beside it. */
export function moduleEntry(folder: string): ModuleEntry {
  const source = join(PACKAGE_DIR, folder, "index.ts");
  const absolute = existsSync(source) ? source : join(PACKAGE_DIR, folder, "index.js");
  return { absolute, inProject: relative(PROJECT_DIR, absolute) };
}

/**
 * The module's file for this run. A destroy or refresh runs the provider code stored in the state by an earlier
 * `up`, possibly from another checkout (a pipeline's fresh workspace): when the recorded path is gone, the same
 * file in the project directory the engine runs the provider from (its working directory) is used.
 */
export function entryPath(entry: ModuleEntry, cwd: string): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded when the method runs, not captured
  const fs = require("node:fs") as typeof nodeFs;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded when the method runs, not captured
  const path = require("node:path") as typeof nodePath;
  if (fs.existsSync(entry.absolute)) return entry.absolute;
  const moved = path.join(cwd, entry.inProject);
  if (fs.existsSync(moved)) return moved;
  throw new Error(
    `cannot find ${entry.inProject}: not at ${entry.absolute} (where the last \`pulumi up\` ran) nor under ${cwd}; run pulumi from the project directory`,
  );
}

/** Loads a module entry from inside a provider method. */
export function loadModule<T>(entry: ModuleEntry): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded when the method runs, not captured
  const { createRequire } = require("node:module") as typeof nodeModule;
  const file = entryPath(entry, process.cwd());
  const load = createRequire(file);
  if (file.endsWith(".ts")) {
    const tsx = load("tsx/cjs/api") as { require: (id: string, fromFile: string) => unknown };
    return tsx.require(file, file) as T;
  }
  return load(file) as T;
}
