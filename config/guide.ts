/**
 * The general advice per key of the stack config, used when a check has no more specific fix. Keyed by the
 * schema's key patterns (`KeyPattern`, `[]` for any index): a key added to the schema without advice here does not
 * compile. The limits and defaults it quotes are the ones the checks apply, read from their owners.
 */
import {
  ALL_OIC_ROLES,
  ALL_OIC_SCOPE_KINDS,
  ALL_PROBES,
  DEFAULT_PROBE,
  DEFAULT_SCOPE_KINDS,
  DISPLAY_NAME_PREFIX_RULE,
  DISPLAY_NAME_RULE,
  ORACLE_DESIGN_TIME_URL_SHAPE,
  ORACLE_RUNTIME_URL_SHAPE,
  SERVICE_INSTANCE_NAME_CHARACTERS,
  SERVICE_INSTANCE_NAME_EXAMPLE,
  SERVICE_INSTANCE_NAME_SOURCE,
} from "../components/oic";
import type { KeyPattern } from "./keys";
import { CONFIG_DEFAULTS, CONFIG_RANGES, defaultDisplayNamePrefix } from "./schema";
import { CA_FILE_FIX, CLIENT_NAME_MAX_LENGTH, DESCRIPTION_LIMIT } from "./validate";

const EXAMPLE_ENDPOINT = "https://idcs-0123456789abcdef0123456789abcdef.identity.oraclecloud.com";

const { retryBudgetSeconds, concurrency } = CONFIG_RANGES;

const DEFAULT_SCOPES =
  DEFAULT_SCOPE_KINDS.length === ALL_OIC_SCOPE_KINDS.length ? "both" : DEFAULT_SCOPE_KINDS.join(", ");

export const FIELD_GUIDE: Readonly<Record<KeyPattern, string>> = {
  identityDomain: `set it to an object with the endpoint, e.g. { endpoint: ${EXAMPLE_ENDPOINT} }`,
  "identityDomain.endpoint": `set it to the Domain URL from the identity domain's Details page, e.g. ${EXAMPLE_ENDPOINT}`,
  "identityDomain.allowPlainHttpOnLoopback": `set it to true or false (default ${CONFIG_DEFAULTS.allowPlainHttpOnLoopback})`,
  integrationInstance:
    "set it to an object with the instance's OCID, e.g. { id: ocid1.integrationinstance.oc1.iad.<unique id> }, " +
    "or with designTimeUrl, name and idcsAppId",
  "integrationInstance.id":
    "set it to the OCID of the integration instance, ocid1.integrationinstance.<realm>.<region>.<unique id>",
  "integrationInstance.designTimeUrl": `set it to the instance's design-time URL, e.g. ${ORACLE_DESIGN_TIME_URL_SHAPE}`,
  "integrationInstance.name":
    `set it to ${SERVICE_INSTANCE_NAME_SOURCE}: ${SERVICE_INSTANCE_NAME_CHARACTERS}, ` +
    `e.g. ${SERVICE_INSTANCE_NAME_EXAMPLE}`,
  "integrationInstance.idcsAppId":
    "set it to the id of the instance's app in the identity domain (idcsInfo.idcsAppId, 32 hex characters)",
  "integrationInstance.audience":
    "set it to the instance's primary audience, e.g. https://<GUID>.integration.<region>.ocp.oraclecloud.com:443",
  "integrationInstance.runtimeUrl": `set it to the instance's runtime URL, e.g. ${ORACLE_RUNTIME_URL_SHAPE}`,
  displayNamePrefix: `use ${DISPLAY_NAME_PREFIX_RULE}, or "" for none (default "${defaultDisplayNamePrefix("<stack>")}")`,
  clients: "list one or more clients, e.g. [{ name: reporting, roles: [ServiceUser] }]",
  "clients[]":
    "each client is an object with name and roles, and optionally displayName, description, scopes, probe",
  "clients[].name":
    `use 1 to ${CLIENT_NAME_MAX_LENGTH} lower-case letters, digits and hyphens, starting with a letter and ` +
    "not ending with a hyphen",
  "clients[].displayName": `use ${DISPLAY_NAME_RULE}`,
  "clients[].description": `use one line of text, at most ${DESCRIPTION_LIMIT} characters`,
  "clients[].roles": `list one or more of: ${ALL_OIC_ROLES.join(", ")}`,
  "clients[].roles[]": `use one of: ${ALL_OIC_ROLES.join(", ")}`,
  "clients[].scopes": `list one or both of: ${ALL_OIC_SCOPE_KINDS.join(", ")} (default ${DEFAULT_SCOPES})`,
  "clients[].scopes[]": `use one of: ${ALL_OIC_SCOPE_KINDS.join(", ")}`,
  "clients[].probe": `use one of: ${ALL_PROBES.join(", ")} (default ${DEFAULT_PROBE})`,
  verification: `set it to an object, e.g. { retryBudgetSeconds: ${CONFIG_DEFAULTS.retryBudgetSeconds} }, or leave it out for the defaults`,
  "verification.retryBudgetSeconds":
    `use a whole number of seconds from ${retryBudgetSeconds.min} to ${retryBudgetSeconds.max} ` +
    `(default ${CONFIG_DEFAULTS.retryBudgetSeconds})`,
  "verification.verifyOnEveryUp": `set it to true or false (default ${CONFIG_DEFAULTS.verifyOnEveryUp})`,
  "verification.caFile": CA_FILE_FIX,
  "verification.concurrency": `use a whole number from ${concurrency.min} to ${concurrency.max} (default ${CONFIG_DEFAULTS.concurrency})`,
  destroy: `set it to an object, e.g. { deactivateBeforeDelete: ${CONFIG_DEFAULTS.deactivateBeforeDelete} }, or leave it out for the defaults`,
  "destroy.deactivateBeforeDelete": `set it to true or false (default ${CONFIG_DEFAULTS.deactivateBeforeDelete})`,
  "destroy.ociConfigFile":
    "give the path of the OCI CLI config file, absolute or relative to the project directory (default ~/.oci/config)",
};

/**
 * The general advice for a key, by its path. Paths hold names from the stack file, so the guide is read with
 * `Object.hasOwn`: a plain object would also answer `constructor` or `toString`.
 */
export function guideFor(path: readonly PropertyKey[]): string | undefined {
  const key = pattern(path);
  return Object.hasOwn(FIELD_GUIDE, key) ? FIELD_GUIDE[key as KeyPattern] : undefined;
}

/** The guide's pattern for a path: indexes become `[]`. */
export function pattern(path: readonly PropertyKey[]): string {
  return path
    .map((segment, index) =>
      typeof segment === "number" ? "[]" : (index === 0 ? "" : ".") + String(segment),
    )
    .join("");
}
