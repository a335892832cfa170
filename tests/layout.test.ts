/**
 * The layout's promises (docs/ARCHITECTURE.md), checked from the code's own imports: the emulator stands in for
 * Oracle with its own copy of Oracle's facts, so it imports nothing of the program (a wrong assumption in the
 * program must fail a test, not be echoed back by its stand-in); the component package is whole on its own, so
 * another language's program can install it; the product never depends on the tools that test it.
 */
import { readdirSync, readFileSync } from "node:fs";
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
