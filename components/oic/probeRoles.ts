import { rolesRequiredBy, probeCanPassWith, type Probe } from "./probes";
import { MINIMUM_DEVELOPER_API_ROLE } from "./roles";

/**
 * Why a probe cannot pass with these roles, or undefined when it can. ServiceInvoker may only invoke
 * integrations; listing connections needs ServiceUser or a role above it ("ServiceUser is the minimum role
 * required to call the Developer APIs",
 * https://docs.oracle.com/en/cloud/paas/application-integration/integrations-user/check-roles-assigned-your-confidential-application.html).
 */
export function probeRoleProblem(probe: Probe, roles: readonly string[]): string | undefined {
  if (probeCanPassWith(probe, roles)) return undefined;
  const needed = rolesRequiredBy(probe).join(", ");
  return (
    `The "${probe}" probe cannot pass with the roles ${JSON.stringify(roles)}: ` +
    `GET /ic/api/integration/v1/connections needs one of ${needed}. ` +
    `Add "${MINIMUM_DEVELOPER_API_ROLE}" (the documented minimum for the Developer APIs), or use the "token" probe.`
  );
}
