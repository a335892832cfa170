/**
 * The service-instance name: the `integrationInstance` query value that every design-time Developer API call
 * needs (OIC "Send Requests", https://docs.oracle.com/en/cloud/paas/application-integration/rest-api/SendRequests.html),
 * shown as "Service instance" on the instance's About page. It is also the first DNS label of the runtime URL:
 * "replace design with the service instance name", `https://<name>.integration.<region>.ocp.oraclecloud.com`.
 * The stack config, the component and the verifier (names typed by users of oic-verify) all check it here.
 */

/**
 * A DNS label as it stands in a URL: 1 to 63 characters (RFC 1035 §2.3.4), letters, digits and inner hyphens,
 * a digit allowed first (RFC 1123 §2.1). Lower case only: a URL parser lower-cases the host
 * (https://url.spec.whatwg.org/#host-parsing), so the label Oracle puts in the runtime URL is lower case, and OIC
 * documents no case folding of the query value.
 */
export const SERVICE_INSTANCE_NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** The rule in words, for messages. */
export const SERVICE_INSTANCE_NAME_CHARACTERS = "lower-case letters, digits and hyphens";

/** A real name's shape, `<display name>-<tenancy namespace>-<region key>`, for messages. */
export const SERVICE_INSTANCE_NAME_EXAMPLE = "oicdev-axhknnpmgslz-ia";

/** Where a user finds the name, for fixes. */
export const SERVICE_INSTANCE_NAME_SOURCE = `the "Service instance" value on the instance's About page`;

export function isServiceInstanceName(value: string): boolean {
  return SERVICE_INSTANCE_NAME.test(value);
}

/** The runtime URL the name can be read from, as messages show it. */
export const ORACLE_RUNTIME_URL_SHAPE = "https://<name>.integration.<region>.ocp.oraclecloud.com";

// `<name>.integration.<region>.ocp.<realm domain>`, e.g. oraclecloud.com or oraclegovcloud.com.
const ORACLE_RUNTIME_HOST = /^([a-z0-9-]+)\.integration\.[a-z0-9-]+\.ocp\.[a-z0-9-]+(?:\.[a-z0-9-]+)+$/;

/**
 * The service-instance name, when the runtime host is in Oracle's shape (`ORACLE_RUNTIME_URL_SHAPE`). Anything else (a custom endpoint, the design-time host
 * itself) gives undefined.
 */
export function serviceInstanceNameFromRuntimeUrl(runtimeUrl: string): string | undefined {
  let hostname: string;
  try {
    hostname = new URL(runtimeUrl).hostname.toLowerCase();
  } catch {
    return undefined;
  }
  const name = ORACLE_RUNTIME_HOST.exec(hostname)?.[1];
  if (name === undefined || name === "design" || !isServiceInstanceName(name)) return undefined;
  return name;
}
