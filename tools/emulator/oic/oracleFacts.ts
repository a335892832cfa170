/**
 * Oracle's facts about an Oracle Integration instance, as the emulator plays them. The emulator keeps its own copy,
 * apart from the program's rules (`components/oic/`), so that a wrong assumption in the program fails a test instead of being
 * echoed back by its stand-in.
 */

/** The service roles every OIC instance's app defines (https://docs.oracle.com/en-us/iaas/integration/doc/oracle-integration-roles.html). */
export const OIC_ROLES = [
  "ServiceAdministrator",
  "ServiceDeveloper",
  "ServiceMonitor",
  "ServiceDeployer",
  "ServiceUser",
  "ServiceInvoker",
  "ServiceViewer",
  "ServiceEndUser",
] as const;

/**
 * Roles whose holders may view connections ("What Users Can Do in the Integrations Design Section by Role",
 * https://docs.oracle.com/en/cloud/paas/integration-cloud/integration-cloud-auton/what-users-can-do-integrations-design-section-role.html):
 * ServiceInvoker and ServiceMonitor may not.
 */
export const CONNECTION_VIEWER_ROLES: readonly string[] = [
  "ServiceAdministrator",
  "ServiceDeveloper",
  "ServiceUser",
  "ServiceViewer",
];

/** The two scopes an OIC instance's app publishes. */
export const OIC_SCOPE_VALUES = {
  consumerAll: "urn:opc:resource:consumer::all",
  icApi: "/ic/api/",
} as const;

/** `scopes[].fqs` as the identity domain computes it: the resource app's audience, then the value, no separator. */
export function publishedFqs(audience: string, value: string): string {
  return audience + value;
}
