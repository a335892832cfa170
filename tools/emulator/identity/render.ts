/**
 * Full SCIM representations with the attributes identity domains compute rather than store: an App's
 * `grantedAppRoles` (the app roles granted to it, as in step 4 of
 * https://docs.oracle.com/en-us/iaas/Content/Identity/api-getstarted/WorkingWithApps.htm) and `grants`
 * (grants of its own roles or access, `returned: request`).
 */
import { type EmulatorContext } from "../context";
import { type AppRecord, type Json, str } from "../store";

export function renderApp(ctx: EmulatorContext, record: AppRecord): Json {
  const id = str(record.resource, "id") ?? "";
  const base = ctx.info.idcsUrl;
  const grantedAppRoles: Json[] = [];
  for (const grant of ctx.store.grantsTo(id)) {
    const role = grant.roleId ? ctx.store.roles.get(grant.roleId) : undefined;
    if (!role || grantedAppRoles.some((g) => g.value === role.id)) continue;
    const owner = ctx.store.apps.get(role.appId);
    grantedAppRoles.push({
      value: role.id,
      $ref: `${base}/admin/v1/AppRoles/${role.id}`,
      appId: role.appId,
      display: role.displayName,
      type: "direct",
      appName: owner ? str(owner.resource, "name") : undefined,
      adminRole: role.resource.adminRole === true,
      readOnly: false,
    });
  }
  const grants = ctx.store.grantsOn(id).map((grant) => ({
    value: grant.id,
    $ref: `${base}/admin/v1/Grants/${grant.id}`,
    granteeId: grant.granteeId,
    granteeType: grant.granteeType,
    grantMechanism: str(grant.resource, "grantMechanism"),
  }));
  return {
    ...record.resource,
    grantedAppRoles,
    ...(grants.length > 0 ? { grants } : {}),
  };
}
