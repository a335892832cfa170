import type { z } from "zod";
import {
  DISPLAY_NAME_RULE,
  defaultClientDescription,
  isDisplayName,
  prefixedDisplayName,
  repetitions,
} from "../components/oic";
import { StackConfigError } from "./errors";
import { guideFor } from "./guide";
import { problemsFromIssues, showValue, unknownKeyProblem, type ConfigProblem } from "./issues";
import { CONFIG_NAMESPACE, configKey, TOP_LEVEL_KEYS, type TopLevelKey } from "./keys";
import { plainSecretProblems } from "./ociCredentials";
import { defaultDisplayNamePrefix, stackConfigSchemas, type ClientInput, type SchemaContext } from "./schema";
import type { ClientConfig, StackConfig } from "./types";

export interface StackConfigContext {
  /** The stack's name: the default display-name prefix and the file named in the error. */
  readonly stack: string;
  /** Whether a full config key holds a secret; its value is then never shown. Default: none is. */
  readonly isSecret?: (fullKey: string) => boolean;
  /** Directory relative paths start from (the project directory). Default `process.cwd()`. */
  readonly cwd?: string;
  /** Default: nothing exists, so a `verification.caFile` is refused unless the caller can look. */
  readonly fileExists?: (absolutePath: string) => boolean;
  /** What a leading `~/` of a path stands for. Default `os.homedir()`. */
  readonly homeDir?: string;
}

/**
 * Pulumi hands every config value over as a string; structured values (objects, lists) as JSON. A value that is
 * not JSON is kept as the string, so the schema can say that an object was expected.
 */
function decode(key: TopLevelKey, text: string): unknown {
  if (key === "displayNamePrefix") return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function isTopLevelKey(name: string): name is TopLevelKey {
  return (TOP_LEVEL_KEYS as readonly string[]).includes(name);
}

function plainHttpAllowed(identityDomain: unknown): boolean {
  if (identityDomain === null || typeof identityDomain !== "object") return false;
  if (!Object.hasOwn(identityDomain, "allowPlainHttpOnLoopback")) return false;
  const flag = (identityDomain as Record<string, unknown>)["allowPlainHttpOnLoopback"];
  return flag === true || flag === "true";
}

/**
 * Display names must be unique in the identity domain (`displayName` has `uniqueness: server`), and one the prefix
 * makes must be a display name like one the stack sets (the component checks both the same way).
 */
function clientProblems(
  clients: readonly ClientInput[],
  prefix: string | undefined,
  secret: boolean,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const show = (value: unknown) => (secret ? "(a secret value, not shown)" : showValue(value));
  for (const { index, firstIndex } of repetitions(clients, (client) => client.name)) {
    problems.push({
      key: configKey(["clients", index, "name"]),
      text: `${show(clients[index]?.name)} is already the name of clients[${firstIndex}]. Client names must be unique in a stack.`,
    });
  }
  if (prefix === undefined) return problems;
  const displayNames = clients.map(
    (client) => client.displayName ?? prefixedDisplayName(prefix, client.name),
  );
  const invalid = clients.findIndex(
    (client, index) => client.displayName === undefined && !isDisplayName(displayNames[index] ?? ""),
  );
  if (invalid >= 0) {
    problems.push({
      key: configKey(["displayNamePrefix"]),
      text:
        `${show(prefix)} gives clients[${invalid}] the display name ${show(displayNames[invalid])}, which is not ` +
        `valid: use ${DISPLAY_NAME_RULE}. Change the prefix, or set ${configKey(["clients", invalid, "displayName"])}.`,
    });
  }
  const repeated = repetitions(displayNames, (name) => name.toLowerCase()).filter(
    ({ index, firstIndex }) => clients[index]?.name !== clients[firstIndex]?.name,
  );
  for (const { index, firstIndex } of repeated) {
    const field = clients[index]?.displayName === undefined ? "name" : "displayName";
    problems.push({
      key: configKey(["clients", index, field]),
      text:
        `gives the display name ${show(displayNames[index])}, which clients[${firstIndex}] has too. Display names must ` +
        `be unique in the identity domain: set ${configKey(["clients", index, "displayName"])}.`,
    });
  }
  return problems;
}

/**
 * Validates the raw config of a stack (every `oic-client-provisioner:*` key, as `pulumi.runtime.allConfig()`
 * returns it) and applies the defaults. Throws one `StackConfigError` listing every problem found.
 */
export function parseStackConfig(
  values: Readonly<Record<string, string>>,
  context: StackConfigContext,
): StackConfig {
  const prefix = `${CONFIG_NAMESPACE}:`;
  // Keyed by the stack's own names: a Map, so that nothing is found that the stack did not set.
  const raw = new Map<TopLevelKey, unknown>();
  const secret = new Set<TopLevelKey>();
  const unknownKeys: ConfigProblem[] = [];
  for (const [fullKey, text] of Object.entries(values)) {
    if (!fullKey.startsWith(prefix)) continue;
    const name = fullKey.slice(prefix.length);
    if (!isTopLevelKey(name)) {
      unknownKeys.push(unknownKeyProblem([], name));
      continue;
    }
    raw.set(name, decode(name, text));
    if (context.isSecret?.(fullKey) === true) secret.add(name);
  }

  const schemaContext: SchemaContext = {
    allowPlainHttpOnLoopback: plainHttpAllowed(raw.get("identityDomain")),
    files: {
      cwd: context.cwd ?? process.cwd(),
      fileExists: context.fileExists ?? (() => false),
      ...(context.homeDir === undefined ? {} : { homeDir: context.homeDir }),
    },
  };
  const problems: ConfigProblem[] = [];
  function parse<T>(key: TopLevelKey, schema: z.ZodType<T>, fallback?: unknown): T | undefined {
    const value = raw.get(key) ?? fallback;
    if (value === undefined) {
      problems.push({
        key: configKey([key]),
        text: `is missing. ${capitalise(guideFor([key]) ?? "set it")}.`,
      });
      return undefined;
    }
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    problems.push(...problemsFromIssues(key, value, result.error.issues, secret.has(key)));
    return undefined;
  }

  const schemas = stackConfigSchemas(schemaContext);
  const identityDomain = parse("identityDomain", schemas.identityDomain);
  const integrationInstance = parse("integrationInstance", schemas.integrationInstance);
  const displayNamePrefix = parse(
    "displayNamePrefix",
    schemas.displayNamePrefix,
    defaultDisplayNamePrefix(context.stack),
  );
  const clients = parse("clients", schemas.clients);
  const verification = parse("verification", schemas.verification, {});
  const destroy = parse("destroy", schemas.destroy, {});
  problems.push(...plainSecretProblems(values, (key) => context.isSecret?.(key) === true));
  if (clients !== undefined) {
    const hidden = secret.has("clients") || secret.has("displayNamePrefix");
    problems.push(...clientProblems(clients, displayNamePrefix, hidden));
  }
  problems.push(...unknownKeys);

  if (
    problems.length > 0 ||
    identityDomain === undefined ||
    integrationInstance === undefined ||
    displayNamePrefix === undefined ||
    clients === undefined ||
    verification === undefined ||
    destroy === undefined
  ) {
    throw new StackConfigError(context.stack, problems);
  }
  return {
    stack: context.stack,
    identityDomain,
    integrationInstance,
    displayNamePrefix,
    clients: clients.map((client): ClientConfig => ({
      ...client,
      displayName: client.displayName ?? prefixedDisplayName(displayNamePrefix, client.name),
      description: client.description ?? defaultClientDescription(client.name, context.stack),
    })),
    verification,
    destroy,
  };
}

function capitalise(text: string): string {
  return text.length === 0 ? text : (text[0]?.toUpperCase() ?? "") + text.slice(1);
}
