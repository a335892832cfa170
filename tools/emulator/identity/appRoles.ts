/**
 * `/admin/v1/AppRoles`
 * (https://docs.oracle.com/en-us/iaas/Content/Identity/api-getstarted/WorkingWithApps.htm): read and list
 * with filters, e.g. `app.value eq "<oicAppId>" and displayName eq "ServiceUser"`. Every OIC instance's app
 * defines the same role names, so clients must filter by `app.value` too. Creating roles is not emulated
 * (501).
 */
import { type EmulatorContext } from "../context";
import { jsonReply } from "../http";
import { type Router } from "../router";
import { parseProjection, project } from "../scim/attributes";
import { notFound, ScimError } from "../scim/errors";
import { APP_ROLE_SCHEMA } from "../scim/schema";
import { etagOf } from "../store";
import { list, queryFromSearchBody, queryFromUrl } from "./listing";
import { adminRoute, jsonBody } from "./scimRoute";

export function registerAppRoles(router: Router, ctx: EmulatorContext): void {
  const allRoles = () => [...ctx.store.roles.values()].map((role) => role.resource);
  const notEmulated = adminRoute(ctx, () => {
    throw new ScimError(501, "Changing AppRoles is not implemented by the emulator.");
  });

  router.add(
    "GET",
    "/admin/v1/AppRoles",
    adminRoute(ctx, (request) => list(allRoles(), queryFromUrl(request), APP_ROLE_SCHEMA)),
  );
  router.add(
    "POST",
    "/admin/v1/AppRoles/.search",
    adminRoute(ctx, (request) => list(allRoles(), queryFromSearchBody(jsonBody(request)), APP_ROLE_SCHEMA)),
  );
  router.add(
    "GET",
    "/admin/v1/AppRoles/:id",
    adminRoute(ctx, (request) => {
      const id = request.params.id ?? "";
      const role = ctx.store.roles.get(id);
      if (!role) throw notFound("AppRole", id);
      const projection = parseProjection(
        request.query.getAll("attributes"),
        request.query.getAll("attributeSets"),
        APP_ROLE_SCHEMA,
      );
      return jsonReply(200, project(role.resource, projection, APP_ROLE_SCHEMA), {
        etag: etagOf(role.resource),
      });
    }),
  );
  router.add("POST", "/admin/v1/AppRoles", notEmulated);
  for (const method of ["PUT", "PATCH", "DELETE"]) router.add(method, "/admin/v1/AppRoles/:id", notEmulated);
}
