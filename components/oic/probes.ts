import { ROLES_THAT_CAN_VIEW_CONNECTIONS, type OicRole } from "./roles";
import { OicScope, type OicScopeKind } from "./scopes";

/**
 * What the post-deploy access check does to prove a client works.
 * - `connections`: token, then `GET /ic/api/integration/v1/connections` on the design-time host.
 * - `token`: token only (for clients that only invoke integrations, e.g. ServiceInvoker alone).
 * - `none`: no check.
 */
export const Probe = {
  connections: "connections",
  token: "token",
  none: "none",
} as const;

export type Probe = (typeof Probe)[keyof typeof Probe];

export const ALL_PROBES: readonly Probe[] = Object.values(Probe);

/** The probe when none is given: the one that proves the client can use the Developer API. */
export const DEFAULT_PROBE: Probe = Probe.connections;

/**
 * The Developer API resource the `connections` probe lists, on the design-time host
 * (https://docs.oracle.com/en/cloud/paas/application-integration/rest-api/SendRequests.html).
 */
export const CONNECTIONS_PATH = "/ic/api/integration/v1/connections";

/** The `connections` probe's request as messages name it. */
export const CONNECTIONS_REQUEST = `GET ${CONNECTIONS_PATH}`;

/** The roles of which the client needs at least one for the probe to pass; empty when any role will do. */
export function rolesRequiredBy(probe: Probe): readonly OicRole[] {
  return probe === Probe.connections ? ROLES_THAT_CAN_VIEW_CONNECTIONS : [];
}

export function probeCanPassWith(probe: Probe, roles: readonly string[]): boolean {
  const required = rolesRequiredBy(probe) as readonly string[];
  return required.length === 0 || roles.some((role) => required.includes(role));
}

/**
 * The scope the probe asks a token for: the narrowest of the client's scopes that suffices.
 * `/ic/api/` covers the Developer APIs only, `consumer::all` covers them and integration endpoints.
 */
export function probeScopeKind(probe: Probe, allowed: readonly OicScopeKind[]): OicScopeKind | undefined {
  const preference: readonly OicScopeKind[] =
    probe === Probe.connections ? ["icApi", "consumerAll"] : ["consumerAll", "icApi"];
  return preference.find((kind) => allowed.includes(kind) && kind in OicScope);
}
