/**
 * `npm run build` (and `prepare`, which `npm ci` runs): each CLI of the project bundled into one CommonJS file in
 * dist/ with esbuild, dependencies included, plus the V8 code cache it starts from (bin/launch.js runs them).
 * Bundling matters as much as compiling: resolving and reading the hundreds of files of zod, axios, jose and
 * commander took a third of `oic-verify`'s start-up (docs/verify.md#benchmark has the figures).
 *
 * The first line of each bundle records when the build began and the project files it was built from, so the
 * launcher can tell a bundle older than its sources and run the sources instead. Files are written to a
 * temporary name and renamed: a CLI starting during a build reads a whole old bundle or a whole new one.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";

import { build, type BuildOptions, type Metafile } from "esbuild";

import { freshBundle, MANIFEST_MARKER, type BundleManifest } from "../../bin/launch";

export const PROJECT_ROOT = resolve(__dirname, "../..");
const DIST = join(PROJECT_ROOT, "dist");

/** The CLIs shipped as bundles: their name in dist/ and their TypeScript entry, which exports `main`. */
export const BUNDLES = [
  { name: "oic-verify", entry: "cli/oic-verify.ts" },
  { name: "oic-emulator", entry: "tools/emulator/cli.ts" },
] as const;
export type BundleName = (typeof BUNDLES)[number]["name"];

/**
 * Files outside the import graph whose change must also make a bundle stale: npm rewrites
 * node_modules/.package-lock.json on every install (https://docs.npmjs.com/cli/v10/configuring-npm/package-lock-json#hidden-lockfiles),
 * and esbuild reads compiler options from tsconfig.json.
 */
const EXTRA_INPUTS = ["node_modules/.package-lock.json", "tsconfig.json"];

const OPTIONS = {
  bundle: true,
  platform: "node",
  // package.json's engines: node >= 20.19.
  target: "node20.19",
  format: "cjs",
  absWorkingDir: PROJECT_ROOT,
  // Minified, the bundle starts about 5% sooner (less to read, and to parse for what the cache lacks); names are kept
  // because minifying and merging modules would rename classes and functions whose `name` messages print.
  minify: true,
  keepNames: true,
  sourcemap: "linked",
  sourcesContent: false,
  legalComments: "eof",
  metafile: true,
  write: false,
  logLevel: "warning",
} as const satisfies BuildOptions;

export interface BuiltBundle {
  readonly name: BundleName;
  readonly file: string;
  /** false when the bundle was fresh and left as it was. */
  readonly rebuilt: boolean;
  readonly inputs: number;
  readonly bytes: number;
}

function writeAtomically(file: string, contents: string | Uint8Array): void {
  const partial = `${file}.${process.pid}.tmp`;
  writeFileSync(partial, contents);
  renameSync(partial, file);
}

/** The project files among esbuild's inputs (node_modules' are covered by its hidden lockfile). */
function projectInputs(metafile: Metafile): string[] {
  const fromGraph = Object.keys(metafile.inputs).filter((input) => !input.includes("node_modules/"));
  return [...fromGraph, ...EXTRA_INPUTS].sort();
}

/** Writes the code cache by running the new bundle with `--help`, which loads every module it has. */
function writeCodeCache(name: BundleName): Promise<void> {
  const script = `require(${JSON.stringify(join(PROJECT_ROOT, "bin", "launch.js"))}).writeCodeCache(${JSON.stringify(name)}, ["--help"])`;
  return new Promise((resolvePromise, reject) => {
    execFile(process.execPath, ["-e", script], { cwd: PROJECT_ROOT }, (error, _stdout, stderr) => {
      if (error) reject(new Error(`writing the code cache of ${name} failed: ${stderr || error.message}`));
      else resolvePromise();
    });
  });
}

async function buildOne(name: BundleName, entry: string): Promise<BuiltBundle> {
  const file = join(DIST, `${name}.js`);
  const builtAt = Date.now();
  const result = await build({ ...OPTIONS, entryPoints: [entry], outfile: file });
  const inputs = projectInputs(result.metafile);
  const id = `${builtAt.toString(36)}-${randomBytes(4).toString("hex")}`;
  const manifest: BundleManifest = { id, builtAt, inputs };
  const header = `${MANIFEST_MARKER}${JSON.stringify(manifest)}\n`;
  let bytes = 0;
  for (const output of result.outputFiles) {
    if (output.path === file) {
      bytes = output.contents.byteLength;
      writeAtomically(file, header + output.text);
    } else if (output.path === `${file}.map`) {
      // The header is one more line above the code: each ";" of a source map's mappings starts a generated line
      // (https://tc39.es/ecma426/#sec-mappings).
      const map = JSON.parse(output.text) as { mappings: string; sources: string[] };
      writeAtomically(output.path, JSON.stringify({ ...map, mappings: `;${map.mappings}` }));
    } else {
      throw new Error(`esbuild wrote an unexpected file: ${relative(PROJECT_ROOT, output.path)}`);
    }
  }
  await writeCodeCache(name);
  // Older builds' caches: a CLI that started before the new bundle was in place has already read its own.
  for (const entry of readdirSync(DIST)) {
    if (entry.startsWith(`${name}.`) && entry.endsWith(".cache") && entry !== `${name}.${id}.cache`) {
      rmSync(join(DIST, entry), { force: true });
    }
  }
  return { name, file, rebuilt: true, inputs: inputs.length, bytes };
}

/**
 * Builds every bundle, or only those that are missing or stale (`onlyStale`, for the test suite's global setup:
 * a bundle newer than all its inputs is left alone).
 */
export async function buildBundles(options: { onlyStale?: boolean } = {}): Promise<BuiltBundle[]> {
  mkdirSync(DIST, { recursive: true });
  return Promise.all(
    BUNDLES.map(async ({ name, entry }): Promise<BuiltBundle> => {
      const fresh = options.onlyStale === true ? freshBundle(name) : undefined;
      if (fresh === undefined) return buildOne(name, entry);
      return { name, file: fresh.file, rebuilt: false, inputs: 0, bytes: statSync(fresh.file).size };
    }),
  );
}
