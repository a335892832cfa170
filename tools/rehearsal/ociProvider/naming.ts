/**
 * How the OCI Terraform provider, bridged into `@pulumi/oci`, names the JSON attributes of the identity domain
 * and of the OCI control plane. The TF schema spells each attribute in snake_case (`is_oauth_client`,
 * `client_ip_checking`, `service_type_urn`) and the bridge turns that into camelCase (`isOauthClient`), so
 * acronyms lose their capitals; a nested object becomes a one-element list with a plural name (`meta` →
 * `metas`, `idcsCreatedBy` → `idcsCreatedBies`, `idcsInfo` → `idcsInfos`) unless the schema declares it
 * `MaxItems: 1` on a resource, where the bridge flattens it back to an object (`basedOnTemplate`, `grantee`).
 * Checked against the names `@pulumi/oci` 4.20.0 declares in its `types/output.d.ts`
 * (tests/rehearsal/declaredShape.ts).
 */

/** JSON name → Pulumi name where lower-casing an acronym is not mechanical (or TF renamed the attribute). */
const JSON_TO_PULUMI: Readonly<Record<string, string>> = {
  isOAuthClient: "isOauthClient",
  isOAuthResource: "isOauthResource",
  clientIPChecking: "clientIpChecking",
  serviceTypeURN: "serviceTypeUrn",
  $ref: "ref",
  // OCI control plane: TF names every resource's `lifecycleState` `state`.
  lifecycleState: "state",
};

const PULUMI_TO_JSON: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(JSON_TO_PULUMI).map(([json, pulumi]) => [pulumi, json]),
);

/** Lower-cases the tail of every run of capitals, as snake_case then camelCase does: `userIDs` → `userIds`. */
function lowerAcronyms(name: string): string {
  return name.replace(/([A-Z])([A-Z]+)(?=[A-Z][a-z]|$|[0-9])/g, (_, first: string, rest: string) => {
    return first + rest.toLowerCase();
  });
}

export function pulumiName(jsonName: string): string {
  return JSON_TO_PULUMI[jsonName] ?? lowerAcronyms(jsonName);
}

export function jsonName(pulumiPropertyName: string): string {
  return PULUMI_TO_JSON[pulumiPropertyName] ?? pulumiPropertyName;
}

/** The bridge's plural for a list attribute: `meta` → `metas`, `idcsCreatedBy` → `idcsCreatedBies`. */
export function pluralName(name: string): string {
  if (name.endsWith("s")) return name;
  if (/[^aeiou]y$/.test(name)) return `${name.slice(0, -1)}ies`;
  return `${name}s`;
}
