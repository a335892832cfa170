"use strict";
/**
 * Starts a CLI of this project. `npm run build` (run by `npm ci` through the `prepare` script) bundles each CLI's
 * TypeScript into one JavaScript file in dist/; this runs that file when it is there and no file it was built
 * from has changed since, and otherwise the TypeScript sources through tsx, as before (bin/run-ts.js), so an
 * edited source is never shadowed by an old build. Compiling on every start was most of `oic-verify`'s time
 * (docs/verify.md#benchmark).
 *
 * The bundle runs from a V8 code cache that the build writes beside it, because Node.js 20 has no compile cache
 * of its own (module.enableCompileCache arrived in 22.1.0:
 * https://nodejs.org/api/module.html#moduleenablecompilecachecachedir). V8 rejects a cache made by another V8
 * version or with other flags and then compiles normally (https://nodejs.org/api/vm.html#scriptcacheddatarejected),
 * but it compares a cache with its source by length only, so the cache's name carries the build's id
 * (dist/<name>.<id>.cache): a cache is only ever used with the bundle it was made from.
 */
const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");
const { createRequire } = require("node:module");

const ROOT = path.join(__dirname, "..");
const DIST = path.join(ROOT, "dist");
/** First line of a bundle: this marker, then the JSON of `{ id, builtAt, inputs }` (see tools/build/bundles.ts). */
const MANIFEST_MARKER = "// oic-build ";

/** Where the bundle of a CLI is, and the code cache of its build `id`. */
function bundlePaths(name, id) {
  return { file: path.join(DIST, `${name}.js`), cache: path.join(DIST, `${name}.${id}.cache`) };
}

/** The bundle of `name`, its manifest and its source text, or undefined when there is none this build wrote. */
function readBundle(name) {
  const { file } = bundlePaths(name, "");
  let source;
  try {
    source = fs.readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  const end = source.indexOf("\n");
  if (!source.startsWith(MANIFEST_MARKER) || end < 0) return undefined;
  let manifest;
  try {
    manifest = JSON.parse(source.slice(MANIFEST_MARKER.length, end));
  } catch {
    return undefined;
  }
  if (
    typeof manifest.id !== "string" ||
    !/^[\w-]+$/.test(manifest.id) ||
    typeof manifest.builtAt !== "number" ||
    !Array.isArray(manifest.inputs)
  ) {
    return undefined;
  }
  return { file, cache: bundlePaths(name, manifest.id).cache, source, manifest };
}

/**
 * The bundle of `name`, or undefined when there is none, or one of the files it was built from (paths relative to
 * the project) is gone or was modified after the build began.
 */
function freshBundle(name) {
  const bundle = readBundle(name);
  if (bundle === undefined) return undefined;
  for (const input of bundle.manifest.inputs) {
    let stat;
    try {
      stat = fs.statSync(path.join(ROOT, String(input)));
    } catch {
      return undefined;
    }
    if (stat.mtimeMs > bundle.manifest.builtAt) return undefined;
  }
  return bundle;
}

/** Compiles a bundle as Node.js compiles a CommonJS module, with its code cache when there is one. */
function compileBundle(bundle, useCache) {
  let cachedData;
  if (useCache) {
    try {
      cachedData = fs.readFileSync(bundle.cache);
    } catch {
      cachedData = undefined;
    }
  }
  // The wrapper Node.js gives every CommonJS module, on the bundle's first line so line numbers stay right.
  const wrapped = `(function (exports, require, module, __filename, __dirname) { ${bundle.source}\n})`;
  const importModuleDynamically = vm.constants && vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER;
  const script = new vm.Script(wrapped, {
    filename: bundle.file,
    ...(cachedData ? { cachedData } : {}),
    // A bundle has every module inside it; should one still `import()` a package, Node.js's loader serves it.
    ...(importModuleDynamically ? { importModuleDynamically } : {}),
  });
  const module = { exports: {} };
  script
    .runInThisContext()
    .call(module.exports, module.exports, createRequire(bundle.file), module, bundle.file, DIST);
  return { script, exports: module.exports };
}

/** The CLI's `main(argv): Promise<number>`, run with this process's arguments; its result is the exit code. */
function run(main, argv) {
  return main(argv).then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}

/** Runs the CLI `name` (a bundle in dist/) or, when it has no fresh bundle, its TypeScript `source`. */
function launch(name, source) {
  const bundle = freshBundle(name);
  if (bundle === undefined) {
    require("./run-ts")(source);
    return;
  }
  void run(compileBundle(bundle, true).exports.main, process.argv.slice(2));
}

/**
 * For the build: runs the bundle of `name` just written with `argv` (e.g. `--help`, which loads every module), then
 * writes the code V8 compiled meanwhile to the cache file of that bundle's build, atomically (a CLI starting
 * meanwhile finds no cache or a whole one, never half of one).
 */
function writeCodeCache(name, argv) {
  const bundle = readBundle(name);
  if (bundle === undefined) throw new Error(`dist/${name}.js is missing or was not written by the build`);
  const { script, exports } = compileBundle(bundle, false);
  return run(exports.main, argv).then(() => {
    const partial = `${bundle.cache}.${process.pid}.tmp`;
    fs.writeFileSync(partial, script.createCachedData());
    fs.renameSync(partial, bundle.cache);
  });
}

module.exports = { launch, freshBundle, writeCodeCache, MANIFEST_MARKER };
