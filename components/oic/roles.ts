/**
 * Oracle Integration service roles, as every OIC instance's identity-domain app defines them.
 * Source: "Oracle Integration Service Roles"
 * https://docs.oracle.com/en-us/iaas/integration/doc/oracle-integration-roles.html
 */
export const OicRole = {
  ServiceAdministrator: "ServiceAdministrator",
  ServiceDeveloper: "ServiceDeveloper",
  ServiceMonitor: "ServiceMonitor",
  ServiceDeployer: "ServiceDeployer",
  ServiceUser: "ServiceUser",
  ServiceInvoker: "ServiceInvoker",
  ServiceViewer: "ServiceViewer",
  ServiceEndUser: "ServiceEndUser",
} as const;

export type OicRole = (typeof OicRole)[keyof typeof OicRole];

export const ALL_OIC_ROLES: readonly OicRole[] = Object.values(OicRole);

/**
 * Roles that may list and view connections through the Developer API.
 * "What Users Can Do in the Integrations Design Section by Role", Connections → View:
 * Administrator, Developer, ServiceUser and ServiceViewer yes; ServiceInvoker and Monitor no.
 * https://docs.oracle.com/en/cloud/paas/integration-cloud/integration-cloud-auton/what-users-can-do-integrations-design-section-role.html
 */
export const ROLES_THAT_CAN_VIEW_CONNECTIONS: readonly OicRole[] = [
  OicRole.ServiceAdministrator,
  OicRole.ServiceDeveloper,
  OicRole.ServiceUser,
  OicRole.ServiceViewer,
];

/** "ServiceUser is the minimum role required to call the Developer APIs" (check-roles-assigned-your-confidential-application.html). */
export const MINIMUM_DEVELOPER_API_ROLE: OicRole = OicRole.ServiceUser;

export function isOicRole(value: string): value is OicRole {
  return (ALL_OIC_ROLES as readonly string[]).includes(value);
}
