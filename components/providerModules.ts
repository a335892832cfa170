/**
 * How a dynamic provider reaches the project's engine-free modules. Pulumi serializes a provider's methods into
 * the state and runs them in its own Node process with no TypeScript loader, so the methods capture only a
 * module's path (a plain string, resolved here when the program loads) and load it when they run: a `.ts`
 * source through tsx's scoped require (tsx is a runtime dependency; nothing is registered globally), a compiled
 * `.js` with plain require. Pitfalls D1 and D2 (pulumi#16826).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";

import type * as nodeModule from "node:module";

/** The entry of a project folder (e.g. `verifier`): its `index.ts` source, or a compiled `index.js` beside it. */
export function moduleEntry(folder: string): string {
  const source = join(__dirname, "..", folder, "index.ts");
  return existsSync(source) ? source : join(__dirname, "..", folder, "index.js");
}

/** Loads a module entry from inside a provider method. */
export function loadModule<T>(entry: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded when the method runs, not captured
  const { createRequire } = require("node:module") as typeof nodeModule;
  const load = createRequire(entry);
  if (entry.endsWith(".ts")) {
    const tsx = load("tsx/cjs/api") as { require: (id: string, fromFile: string) => unknown };
    return tsx.require(entry, entry) as T;
  }
  return load(entry) as T;
}
