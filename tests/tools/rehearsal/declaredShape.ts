/**
 * Checks a value against a type that `@pulumi/oci` declares: every property name at every depth must exist in
 * the declaration (`pulumi.Output<T>` unwrapped, arrays followed). It proves that the rehearsal's translation of
 * the emulator's JSON yields the names the program's code is typed against. The declarations are read with the
 * TypeScript parser alone (the type checker needs ~35 s for the whole package; one namespace parses in <1 s).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

import ts from "typescript";

const packageRoot = dirname(createRequire(__filename).resolve("@pulumi/oci/package.json"));

type Members = ReadonlyMap<string, string>;
const cache = new Map<string, ReadonlyMap<string, Members>>();

function membersOf(node: ts.InterfaceDeclaration | ts.ClassDeclaration, source: ts.SourceFile): Members {
  const members = new Map<string, string>();
  for (const member of node.members) {
    if ((ts.isPropertySignature(member) || ts.isPropertyDeclaration(member)) && member.type) {
      members.set(member.name.getText(source), member.type.getText(source));
    }
  }
  return members;
}

/** Interfaces and classes of a source text, by name. */
function declarations(text: string): ReadonlyMap<string, Members> {
  const source = ts.createSourceFile("declarations.d.ts", text, ts.ScriptTarget.Latest, true);
  const found = new Map<string, Members>();
  const visit = (node: ts.Node): void => {
    if ((ts.isInterfaceDeclaration(node) || ts.isClassDeclaration(node)) && node.name) {
      found.set(node.name.text, membersOf(node, source));
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function moduleDeclarations(relativePath: string): ReadonlyMap<string, Members> {
  const cached = cache.get(relativePath);
  if (cached) return cached;
  const parsed = declarations(readFileSync(join(packageRoot, relativePath), "utf8"));
  cache.set(relativePath, parsed);
  return parsed;
}

/** One namespace of `types/output.d.ts` (e.g. `Identity`), sliced out before parsing. */
function outputNamespace(namespace: string): ReadonlyMap<string, Members> {
  const key = `output:${namespace}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const text = readFileSync(join(packageRoot, "types", "output.d.ts"), "utf8");
  const start = text.indexOf(`export declare namespace ${namespace} {`);
  if (start < 0) throw new Error(`no namespace ${namespace} in @pulumi/oci types/output.d.ts`);
  const next = text.indexOf("\nexport declare namespace ", start + 1);
  const parsed = declarations(text.slice(start, next < 0 ? undefined : next));
  cache.set(key, parsed);
  return parsed;
}

/** The members of the type a property is declared with, or undefined for a scalar or a map. */
function membersOfType(typeText: string): Members | undefined {
  const unwrapped = typeText
    .replace(/^pulumi\.Output<(.*)>$/s, "$1")
    .replace(/\s*\|\s*undefined$/, "")
    .replace(/\[\]$/, "");
  const reference = /^outputs\.(\w+)\.(\w+)$/.exec(unwrapped);
  if (reference === null) return undefined;
  const [, namespace, name] = reference as unknown as [string, string, string];
  const members = outputNamespace(namespace).get(name);
  if (members === undefined) throw new Error(`@pulumi/oci declares no outputs.${namespace}.${name}`);
  return members;
}

function walk(members: Members, value: unknown, path: string, unknown: string[]): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => walk(members, item, `${path}[${index}]`, unknown));
    return;
  }
  if (typeof value !== "object" || value === null) return;
  for (const [key, child] of Object.entries(value)) {
    const typeText = members.get(key);
    if (typeText === undefined) {
      unknown.push(`${path}.${key}`);
      continue;
    }
    const nested = membersOfType(typeText);
    if (nested !== undefined) walk(nested, child, `${path}.${key}`, unknown);
  }
}

/**
 * The property paths of `value` that `@pulumi/oci` does not declare for `typeName` in `modulePath` (relative to
 * the package, e.g. `identity/domainsApp.d.ts`); empty when the shape conforms.
 */
export function undeclaredPaths(modulePath: string, typeName: string, value: unknown): string[] {
  const members = moduleDeclarations(modulePath).get(typeName);
  if (members === undefined || members.size === 0)
    throw new Error(`@pulumi/oci ${modulePath} declares no ${typeName}`);
  const unknown: string[] = [];
  walk(members, value, "$", unknown);
  return unknown;
}
