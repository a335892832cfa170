import { echo, quote } from "./echo";

/** The project's config namespace (Pulumi.yaml `name`): every key a stack sets is `oic-client-provisioner:<key>`. */
export const CONFIG_NAMESPACE = "oic-client-provisioner";

/** The top-level keys, one per concern. */
export const TOP_LEVEL_KEYS = [
  "identityDomain",
  "integrationInstance",
  "displayNamePrefix",
  "clients",
  "verification",
  "destroy",
] as const;

export type TopLevelKey = (typeof TOP_LEVEL_KEYS)[number];

export const NESTED_KEYS = {
  identityDomain: ["endpoint", "allowPlainHttpOnLoopback"],
  integrationInstance: ["id", "designTimeUrl", "name", "idcsAppId", "audience", "runtimeUrl"],
  clients: ["name", "displayName", "description", "roles", "scopes", "probe"],
  verification: ["retryBudgetSeconds", "verifyOnEveryUp", "caFile", "concurrency"],
  destroy: ["deactivateBeforeDelete", "ociConfigFile"],
} as const;

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
  return Object.hasOwn(NESTED_KEYS, name) ? NESTED_KEYS[name as keyof typeof NESTED_KEYS] : undefined;
}

/**
 * A name as it can stand bare in a key path: visible ASCII other than quotes, brackets and backslashes (and, below
 * the top level, dots). Others (an empty name, a space, an invisible character) are written the way
 * `pulumi config set --path` reads any name, `["…"]`, quoted and escaped
 * (https://www.pulumi.com/docs/iac/cli/commands/pulumi_config_set/).
 */
const PLAIN_NAME = /^[!#-Z^-~]+$/;

/**
 * `oic-client-provisioner:clients[1].roles` from `["clients", 1, "roles"]`. Names come from the stack file, so each
 * is cut to a readable length and cannot carry a control or bidi character into the message.
 */
export function configKey(path: readonly PropertyKey[]): string {
  let key = CONFIG_NAMESPACE + ":";
  path.forEach((segment, index) => {
    if (typeof segment === "number") key += `[${segment}]`;
    else if (index === 0 && PLAIN_NAME.test(String(segment))) key += echo(String(segment));
    else if (PLAIN_NAME.test(String(segment)) && !String(segment).includes("."))
      key += `.${echo(String(segment))}`;
    else key += `[${quote(String(segment))}]`;
  });
  return key;
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
