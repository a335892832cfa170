/**
 * The stack config as the program reads it: the output of the schemas in `schema.ts` (each field's comment is
 * there), with the defaults that depend on the stack applied by `parseStackConfig`.
 */
import type { z } from "zod";
import type { OciApiKeyCredentials } from "../components/signing";
import type { TopLevelKey } from "./keys";
import type { ClientInput, StackConfigSchemas } from "./schema";

/** Each top-level key as its schema gives it. */
type Parsed = { readonly [K in TopLevelKey]: Readonly<z.output<StackConfigSchemas[K]>> };

export type IdentityDomainConfig = Parsed["identityDomain"];

export type IntegrationInstanceConfig = Parsed["integrationInstance"];

/** One client, its display name and description filled in when the stack leaves them out. */
export type ClientConfig = Readonly<Required<ClientInput>>;

export type VerificationConfig = Parsed["verification"];

/** `destroy.deactivateBeforeDelete`, and the API key the step signs with, read from the `oci:` keys. */
export type DestroyConfig = Readonly<
  Pick<Parsed["destroy"], "deactivateBeforeDelete"> & {
    /**
     * Where the step's API key comes from: the explicit `oci:tenancyOcid`, `oci:userOcid`, `oci:fingerprint`,
     * `oci:privateKey` (secret) or `oci:privateKeyPath`, `oci:privateKeyPassword` (secret) when they are set, else
     * profile `oci:configFileProfile` (default DEFAULT) of `destroy.ociConfigFile` (default ~/.oci/config).
     * Absent when `deactivateBeforeDelete` is false.
     */
    credentials?: OciApiKeyCredentials;
  }
>;

/**
 * Everything a stack sets, validated, normalised and with defaults applied: every top-level key of the schema
 * (a new one is missing from `parseStackConfig`'s result until it is added there), the clients completed and the
 * destroy step's API key read.
 */
export type StackConfig = Readonly<
  Omit<Parsed, "clients" | "destroy"> & {
    stack: string;
    clients: readonly ClientConfig[];
    destroy: DestroyConfig;
  }
>;
