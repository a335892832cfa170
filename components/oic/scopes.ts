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

/** The scopes a client gets when none are given: both, as Oracle's recipe adds both to the app. */
export const DEFAULT_SCOPE_KINDS: readonly OicScopeKind[] = ALL_OIC_SCOPE_KINDS;

/**
 * Splits a fully qualified scope into the audience and the bare value, or undefined when it is not one: the value
 * is its suffix (fqs = audience + value) and the audience may not be empty.
 */
export function splitFullyQualifiedScope(fqs: string): { audience: string; value: string } | undefined {
  for (const value of Object.values(OicScope)) {
    if (fqs.endsWith(value) && fqs.length > value.length) {
      return { audience: fqs.slice(0, -value.length), value };
    }
  }
  return undefined;
}
