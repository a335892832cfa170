/**
 * The keys the stack config knows, read off the schema (`schema.ts`), so that a key added there is known here, in
 * "did you mean" and in the guide (`guide.ts`, whose type requires a fix for every key pattern) at once.
 */
import type { z } from "zod";
import { stackConfigSchemas, type SchemaContext, type StackConfigSchemas } from "./schema";

export { CONFIG_NAMESPACE, configKey } from "./configKey";

export type TopLevelKey = keyof StackConfigSchemas;

/** A schema without the wrappers that do not change its shape: optional, default, readonly. */
type Bare<S> = S extends { readonly _zod: { readonly def: { readonly innerType: infer Inner } } }
  ? Bare<Inner>
  : S;

/** The keys of an object schema, or of the objects a list schema holds; never for anything else. */
type FieldsOf<S> =
  Bare<S> extends z.ZodObject<infer Shape>
    ? keyof Shape & string
    : Bare<S> extends z.ZodArray<infer Element>
      ? FieldsOf<Element>
      : never;

/** `P.field`, `P[]` and so on below a key, the way the guide writes patterns (`clients[].roles[]`). */
type PatternsBelow<S, P extends string> =
  Bare<S> extends z.ZodObject<infer Shape>
    ? { [K in keyof Shape & string]: `${P}.${K}` | PatternsBelow<Shape[K], `${P}.${K}`> }[keyof Shape &
        string]
    : Bare<S> extends z.ZodArray<infer Element>
      ? `${P}[]` | PatternsBelow<Element, `${P}[]`>
      : never;

/** Every key pattern of the stack config: `identityDomain`, `identityDomain.endpoint`, `clients[].roles[]`… */
export type KeyPattern = { [K in TopLevelKey]: K | PatternsBelow<StackConfigSchemas[K], K> }[TopLevelKey];

/** The keys known under each top-level key that has them. */
export type NestedKeys = {
  readonly [K in TopLevelKey as FieldsOf<StackConfigSchemas[K]> extends never ? never : K]: readonly FieldsOf<
    StackConfigSchemas[K]
  >[];
};

/** Only the shapes are read, never a value parsed: the context the checks would use does not matter. */
const SHAPES_ONLY: SchemaContext = {
  allowPlainHttpOnLoopback: false,
  files: { cwd: "/", fileExists: () => false },
};

/** The keys of an object schema or of the objects a list holds, in the schema's order; undefined for others. */
function fieldsOf(schema: z.ZodType): readonly string[] | undefined {
  const def = schema.def as {
    readonly innerType?: z.ZodType;
    readonly element?: z.ZodType;
    readonly shape?: object;
  };
  if (def.innerType !== undefined) return fieldsOf(def.innerType);
  if (def.element !== undefined) return fieldsOf(def.element);
  return def.shape === undefined ? undefined : Object.keys(def.shape);
}

const SCHEMAS = stackConfigSchemas(SHAPES_ONLY);

/** The top-level keys, one per concern, in the schema's order. */
export const TOP_LEVEL_KEYS = Object.keys(SCHEMAS) as readonly TopLevelKey[];

export const NESTED_KEYS = Object.fromEntries(
  TOP_LEVEL_KEYS.flatMap((key) => {
    const fields = fieldsOf(SCHEMAS[key]);
    return fields === undefined ? [] : [[key, fields]];
  }),
) as NestedKeys;

/**
 * Names people reach for, from the console, Terraform and other tools, mapped to where they belong here.
 * A cheap "did you mean" for the mistakes a newcomer makes first. A `Map`, not an object literal: the word looked
 * up is the user's, and an object would also answer `constructor`, `toString`… from `Object.prototype`.
 */
const ALIASES: ReadonlyMap<string, string> = new Map([
  ["idcsendpoint", "identityDomain.endpoint"],
  ["idcsurl", "identityDomain.endpoint"],
  ["domainurl", "identityDomain.endpoint"],
  ["endpoint", "identityDomain.endpoint"],
  ["identitydomainurl", "identityDomain.endpoint"],
  ["integrationinstanceid", "integrationInstance.id"],
  ["instanceid", "integrationInstance.id"],
  ["oicinstance", "integrationInstance"],
  ["instance", "integrationInstance"],
  ["client", "clients"],
  ["app", "clients"],
  ["apps", "clients"],
  ["roles", "clients[].roles"],
  ["scopes", "clients[].scopes"],
  ["probe", "clients[].probe"],
  ["prefix", "displayNamePrefix"],
  ["servicerole", "roles"],
  ["approles", "roles"],
  ["grants", "roles"],
  ["allowedscopes", "scopes"],
  ["serviceinstance", "name"],
  ["servicename", "name"],
  ["oicappid", "idcsAppId"],
  ["appid", "idcsAppId"],
  ["primaryaudience", "audience"],
  ["instanceurl", "runtimeUrl"],
  ["instancedesigntimeurl", "designTimeUrl"],
  ["designurl", "designTimeUrl"],
  ["retries", "retryBudgetSeconds"],
  ["timeout", "retryBudgetSeconds"],
  ["cafile", "caFile"],
  ["ca", "caFile"],
]);

/** The keys known under a top-level key, or undefined when `name` is not one that has nested keys. */
export function nestedKeysOf(name: string): readonly string[] | undefined {
  return Object.hasOwn(NESTED_KEYS, name) ? NESTED_KEYS[name as keyof NestedKeys] : undefined;
}

function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0] ?? 0;
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j] ?? 0;
      const left = previous[j - 1] ?? 0;
      previous[j] = Math.min(above + 1, left + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length] ?? 0;
}

/**
 * The closest known name to `word`: the same letters in another case, a known alias, or a name with at most a
 * third of its letters wrong. An alias may be a path elsewhere (`identityDomain.endpoint`), which is shown as a
 * full key. Undefined when nothing is close enough to be a useful guess.
 */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  const sameLetters = candidates.find((candidate) => candidate.toLowerCase() === lower);
  if (sameLetters !== undefined) return sameLetters;
  const alias = ALIASES.get(lower.replace(/[^a-z]/g, ""));
  if (alias !== undefined && (candidates.includes(alias) || isPath(alias))) return alias;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(word.length / 3)) ? best : undefined;
}

/** A suggestion that points at another place in the config rather than a sibling key. */
export function isPath(suggestion: string): boolean {
  return suggestion.includes(".") || suggestion.includes("[");
}
