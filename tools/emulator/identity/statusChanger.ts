/**
 * `PUT /admin/v1/AppStatusChanger/{appId}`
 * (https://docs.oracle.com/en-us/iaas/Content/Identity/api-getstarted/CreateActivateOAuthClientApp.htm):
 * activates or deactivates an App; the path id is the App's id. Answers an AppStatusChanger resource and its
 * `ETag`.
 */
import { type EmulatorContext } from "../context";
import { jsonReply } from "../http";
import { type Router } from "../router";
import { missingAttributes } from "../scim/errors";
import { APP_STATUS_CHANGER_SCHEMA_URN } from "../scim/schema";
import { etagOf, type Json, obj, str } from "../store";
import { setActive } from "./appModel";
import { checkCustomerApp, checkIfMatch, findApp } from "./apps";
import { adminRoute, jsonBody } from "./scimRoute";
import { invalidValue } from "../scim/errors";

export function registerStatusChanger(router: Router, ctx: EmulatorContext): void {
  router.add(
    "PUT",
    "/admin/v1/AppStatusChanger/:id",
    adminRoute(ctx, (request, principal) => {
      const id = request.params.id ?? "";
      const record = findApp(ctx, id);
      checkCustomerApp(record);
      checkIfMatch(request, record);
      const body = jsonBody(request);
      const missing = ["schemas", "active"].filter((key) => body[key] === undefined || body[key] === null);
      if (missing.length > 0) throw missingAttributes(missing);
      const schemas = body.schemas;
      if (!Array.isArray(schemas) || !schemas.includes(APP_STATUS_CHANGER_SCHEMA_URN)) {
        throw invalidValue(`Attribute "schemas" must contain "${APP_STATUS_CHANGER_SCHEMA_URN}".`);
      }
      if (typeof body.active !== "boolean") throw invalidValue('Attribute "active" must be a boolean.');
      setActive(ctx, record, body.active, principal);
      const app = record.resource;
      const appMeta = obj(app, "meta") ?? {};
      const changer: Json = {
        schemas: [APP_STATUS_CHANGER_SCHEMA_URN],
        id,
        ocid: str(app, "ocid"),
        active: app.active,
        meta: {
          ...appMeta,
          resourceType: "AppStatusChanger",
          location: `${ctx.info.idcsUrl}/admin/v1/AppStatusChanger/${id}`,
        },
        idcsCreatedBy: app.idcsCreatedBy,
        idcsLastModifiedBy: app.idcsLastModifiedBy,
        domainOcid: app.domainOcid,
        compartmentOcid: app.compartmentOcid,
        tenancyOcid: app.tenancyOcid,
      };
      return jsonReply(200, changer, { etag: etagOf(app) });
    }),
  );
}
