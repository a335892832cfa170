/**
 * Runs the real program more than once in one process. The rehearsal loads `index.ts` as the language host does
 * (`require`), and a module runs once per process: so before each run the program's own modules (the entry, its
 * config, components and OIC rules) are dropped from the module cache, as a new `pulumi up` process would start
 * without them. The engine's side (rehearsal/, emulator/, http/, the SDKs) stays loaded.
 */
import { join, sep } from "node:path";

export const PROJECT_ROOT = join(__dirname, "..", "..");

const PROGRAM_PARTS = ["index.ts", `config${sep}`, `components${sep}`, `oic${sep}`].map((part) =>
  join(PROJECT_ROOT, part),
);

/** Forgets the program's modules, so that the next `require` of `index.ts` runs it again. */
export function forgetProgram(): void {
  for (const key of Object.keys(require.cache)) {
    if (PROGRAM_PARTS.some((part) => key === part || key.startsWith(part))) delete require.cache[key];
  }
}

/** `RehearsalOptions.load`: the program, run afresh. */
export function loadProgram(path: string): Promise<Record<string, unknown>> {
  forgetProgram();
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the program is loaded as the language host does
  return Promise.resolve(require(path) as Record<string, unknown>);
}
