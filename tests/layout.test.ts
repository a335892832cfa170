/**
 * The layout's promises (docs/ARCHITECTURE.md), checked from the code's own imports: the emulator stands in for
 * Oracle with its own copy of Oracle's facts, so it imports nothing of the program (a wrong assumption in the
 * program must fail a test, not be echoed back by its stand-in); the component package is whole on its own, so
 * another language's program can install it; the product never depends on the tools that test it.
 */
import { readdirSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(__dirname, "..");

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: "utf8" })
    .filter((name) => /\.(ts|cts|mts|js|cjs)$/.test(name) && !name.endsWith(".d.ts"))
    .map((name) => join(folder, name));
}

/** Every relative module a file names in an import, export … from, import() or require(). */
function relativeImports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const found: string[] = [];
  for (const match of text.matchAll(
    /(?:from\s+|import\s*\(\s*|require\s*\(\s*|import\s+)["'](\.{1,2}\/[^"']+)["']/g,
  )) {
    found.push(match[1] ?? "");
  }
  return found;
}

/** The imports of files under `folder` that reach outside it, as `file -> module` lines. */
function importsLeaving(folder: string): string[] {
  const base = join(ROOT, folder);
  return sourceFiles(base).flatMap((file) =>
    relativeImports(file)
      .filter((module) => relative(base, resolve(dirname(file), module)).startsWith(".."))
      .map((module) => `${relative(ROOT, file)} -> ${module}`),
  );
}

/** The imports of the product (what `pulumi up` and oic-verify run) that reach into tools/ or tests/. */
function productImportsOfTools(): string[] {
  const product = [
    "index.ts",
    ...["components", "config", "cli"].flatMap((folder) => sourceFiles(join(ROOT, folder))),
  ];
  return product.flatMap((file) => {
    const absolute = resolve(ROOT, file);
    return relativeImports(absolute)
      .filter((module) => /^(tools|tests)(\/|$)/.test(relative(ROOT, resolve(dirname(absolute), module))))
      .map((module) => `${relative(ROOT, absolute)} -> ${module}`);
  });
}

describe("layout", () => {
  it("the emulator imports nothing outside tools/emulator/", () => {
    expect(importsLeaving("tools/emulator")).toEqual([]);
  });

  it("the component package imports nothing outside components/", () => {
    expect(importsLeaving("components")).toEqual([]);
  });

  it("the product never imports the tools or the tests", () => {
    expect(productImportsOfTools()).toEqual([]);
  });

  it("finds an import that leaves a folder (the check can fail)", () => {
    expect(importsLeaving("tests/support")).toContain("tests/support/emulator.ts -> ../../tools/emulator");
    expect(importsLeaving("tools/faults")).toContain("tools/faults/world.ts -> ../emulator");
  });
});

/** The npm packages that files under `folder` import or require, type-only imports included, builtins left out. */
function packagesImported(folder: string): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const file of sourceFiles(join(ROOT, folder))) {
    const text = readFileSync(file, "utf8");
    for (const match of text.matchAll(
      /(?:from\s+|import\s*\(\s*|require\s*\(\s*|import\s+)["']([^"'.][^"']*)["']/g,
    )) {
      const specifier = match[1] ?? "";
      if (specifier.startsWith("node:") || builtinModules.includes(specifier.split("/")[0] ?? "")) continue;
      const parts = specifier.split("/");
      const name = specifier.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] ?? "");
      found.set(name, [...(found.get(name) ?? []), relative(ROOT, file)]);
    }
  }
  return found;
}

interface PackageJson {
  readonly name: string;
  readonly dependencies?: Record<string, string>;
  readonly devDependencies?: Record<string, string>;
}

function packageJson(path: string): PackageJson {
  return JSON.parse(readFileSync(join(ROOT, path), "utf8")) as PackageJson;
}

/**
 * Dependencies of the component package that none of its files names: `typescript` is what @pulumi/pulumi's
 * component provider derives the package schema with when the package runs as a plugin (an optional peer of
 * @pulumi/pulumi, which otherwise falls back to its vendored TypeScript 3.8).
 */
const COMPONENT_DEPENDENCIES_NOT_IMPORTED = ["typescript"];

describe("components/package.json", () => {
  const manifest = packageJson("components/package.json");
  const root = packageJson("package.json");

  it("lists every package that components/ imports, and nothing else", () => {
    const imported = packagesImported("components");
    const listed = Object.keys(manifest.dependencies ?? {});
    expect([...imported.keys()].filter((name) => !listed.includes(name))).toEqual([]);
    expect(listed.filter((name) => !imported.has(name)).sort()).toEqual(COMPONENT_DEPENDENCIES_NOT_IMPORTED);
  });

  it("pins each dependency to the version the project installs", () => {
    const installed = { ...root.devDependencies, ...root.dependencies };
    for (const [name, version] of Object.entries(manifest.dependencies ?? {})) {
      expect(`${name}@${version}`).toBe(`${name}@${installed[name]}`);
    }
  });

  it("is a package of its own, with a tsconfig of its own and the project's compiler options", () => {
    expect(manifest.name).not.toBe(root.name);
    const own = JSON.parse(readFileSync(join(ROOT, "components/tsconfig.json"), "utf8")) as {
      extends?: string;
      compilerOptions: Record<string, unknown>;
    };
    const project = JSON.parse(readFileSync(join(ROOT, "tsconfig.json"), "utf8")) as {
      compilerOptions: Record<string, unknown>;
    };
    expect(own.extends).toBeUndefined();
    const { outDir: _outDir, ...options } = project.compilerOptions;
    expect(own.compilerOptions).toEqual(options);
  });

  it("is named so that a Node.js host's inference gives the Pulumi package of the component's type token", () => {
    // @pulumi/pulumi cmd/run-plugin/run.js: `@scope/name` is served as package `name` in namespace `scope`.
    const token = /OIC_CONFIDENTIAL_CLIENT_TYPE = "([^":]+):/.exec(
      readFileSync(join(ROOT, "components/oicConfidentialClient.ts"), "utf8"),
    )?.[1];
    expect(token).toBe("oic-client-provisioner");
    expect(manifest.name.replace(/^@[^/]+\//, "")).toBe(token);
  });

  it("finds a package import (the check can fail)", () => {
    expect(packagesImported("tools/engine").get("@grpc/grpc-js")).toContain("tools/engine/ociPlugin/main.ts");
  });
});
