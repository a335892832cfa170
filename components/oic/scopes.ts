/**
 * The two scopes an Oracle Integration instance's app publishes, and how they become fully qualified.
 * The fully qualified scope (fqs) is the resource app's `audience` followed by the scope `value`, with
 * no separator: `https://<GUID>.integration.<region>.ocp.oraclecloud.com:443urn:opc:resource:consumer::all`.
 * Sources: oci-go-sdk identitydomains/app.go (`Audience`), OIC "call Developer APIs with client credentials".
 */
export const OicScope = {
  /** Integration endpoints and the Developer APIs. */
  consumerAll: "urn:opc:resource:consumer::all",
  /** The Developer APIs only: the narrowest scope that lets a client list connections. */
  icApi: "/ic/api/",
} as const;

export type OicScopeKind = keyof typeof OicScope;

export const ALL_OIC_SCOPE_KINDS: readonly OicScopeKind[] = Object.keys(OicScope) as OicScopeKind[];

/** Audience + value, no separator, exactly as the identity domain computes `scopes[].fqs`. */
export function fullyQualifiedScope(audience: string, value: string): string {
  return `${audience}${value}`;
}
