import { randomBytes, randomUUID } from "node:crypto";

/** Lowercase hex of `bytes` random bytes. */
export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString("hex");
}

/**
 * SCIM resource ids and generated client ids: 32 lowercase hex, as in the examples of
 * https://docs.oracle.com/en-us/iaas/Content/Identity/api-getstarted/OCISResponseBody.htm.
 */
export function newResourceId(): string {
  return randomHex(16);
}

/**
 * Client secrets as identity domains issue them: `idcscs-` + UUID v4 (seen in public code; Oracle documents
 * no format).
 */
export function newClientSecret(): string {
  return `idcscs-${randomUUID()}`;
}

const OCID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

function ocidTail(length: number): string {
  const bytes = randomBytes(length);
  let out = "";
  for (const byte of bytes) out += OCID_ALPHABET[byte % OCID_ALPHABET.length];
  return out;
}

/**
 * An OCID in OCI's shape: `ocid1.<type>.oc1.<region key>.<unique>`; global resources (tenancy, compartment,
 * domain) have an empty region segment and a unique part starting `aaaaaaaa`, regional ones `amaaaaaa`.
 */
export function newOcid(type: string, regionKey = ""): string {
  const prefix = regionKey ? "amaaaaaa" : "aaaaaaaa";
  return `ocid1.${type}.oc1.${regionKey}.${prefix}${ocidTail(52)}`;
}

const REGION_KEYS: Readonly<Record<string, string>> = {
  "us-ashburn-1": "iad",
  "us-phoenix-1": "phx",
  "us-chicago-1": "ord",
  "us-sanjose-1": "sjc",
  "ca-toronto-1": "yyz",
  "eu-frankfurt-1": "fra",
  "eu-amsterdam-1": "ams",
  "eu-paris-1": "cdg",
  "uk-london-1": "lhr",
  "ap-tokyo-1": "nrt",
  "ap-sydney-1": "syd",
  "ap-mumbai-1": "bom",
  "sa-saopaulo-1": "gru",
};

/** The three-letter key OCI uses in regional OCIDs; unknown regions keep their name. */
export function regionKey(region: string): string {
  return REGION_KEYS[region] ?? region;
}
