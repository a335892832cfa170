/**
 * The stack config as the program reads it: the output of the schemas in `schema.ts` (each field's comment is
 * there), with the defaults that depend on the stack applied by `parseStackConfig`.
 */
import type { z } from "zod";
import type { TopLevelKey } from "./keys";
import type { ClientInput, StackConfigSchemas } from "./schema";

/** Each top-level key as its schema gives it. */
type Parsed = { readonly [K in TopLevelKey]: Readonly<z.output<StackConfigSchemas[K]>> };

export type IdentityDomainConfig = Parsed["identityDomain"];

export type IntegrationInstanceConfig = Parsed["integrationInstance"];

/** One client, its display name and description filled in when the stack leaves them out. */
export type ClientConfig = Readonly<Required<ClientInput>>;

export type VerificationConfig = Parsed["verification"];

/**
 * `destroy.deactivateBeforeDelete` and `destroy.ociConfigFile` (as written). No credentials: the step resolves
 * them when it runs, from the `oci:` keys, the environment and the config file (`destroyCredentialsProblem` checks
 * before anything is declared that it can).
 */
export type DestroyConfig = Parsed["destroy"];

/**
 * Everything a stack sets, validated, normalised and with defaults applied: every top-level key of the schema
 * (a new one is missing from `parseStackConfig`'s result until it is added there), the clients completed and the
 * destroy step's settings.
 */
export type StackConfig = Readonly<
  Omit<Parsed, "clients"> & {
    stack: string;
    clients: readonly ClientConfig[];
  }
>;
