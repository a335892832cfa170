/**
 * `/admin/v1/Apps` (oci-go-sdk identitydomains/identitydomains_client.go): create, read, list, search,
 * replace, patch, delete. Every answer honours `attributes` / `attributeSets`; writes answer with `ETag`,
 * creates with `Location`.
 */
import { type EmulatorContext } from "../context";
import { header, jsonReply, emptyReply, type EmuRequest, type Reply } from "../http";
import { type Router } from "../router";
import { notFound, ScimError } from "../scim/errors";
import { parseProjection, project } from "../scim/attributes";
import { APP_SCHEMA } from "../scim/schema";
import { type AppRecord, etagOf, ifMatchHolds, str } from "../store";
import { appLocation, createAppRecord, replaceAppRecord } from "./appModel";
import { patchApp } from "./appPatch";
import { type Principal } from "./auth";
import { list, queryFromSearchBody, queryFromUrl } from "./listing";
import { renderApp } from "./render";
import { adminRoute, jsonBody, type RetryTokens } from "./scimRoute";

export function findApp(ctx: EmulatorContext, id: string): AppRecord {
  const record = ctx.store.apps.get(id);
  if (!record) throw notFound("App", id);
  return record;
}

export function checkIfMatch(request: EmuRequest, record: AppRecord): void {
  if (!ifMatchHolds(header(request, "if-match"), record.resource)) {
    throw new ScimError(412, "Failed to update, as resource changed: the If-Match version is not current.");
  }
}

/** Oracle-managed apps (an OIC instance's app, IDCSAppId) are not the customer's to change. */
export function checkCustomerApp(record: AppRecord): void {
  if (record.origin === "oracle") {
    throw new ScimError(
      403,
      `The App ${str(record.resource, "id") ?? ""} is managed by Oracle; this operation isn't supported.`,
    );
  }
}

export function appReply(
  ctx: EmulatorContext,
  request: EmuRequest,
  record: AppRecord,
  status: number,
): Reply {
  const projection = parseProjection(
    request.query.getAll("attributes"),
    request.query.getAll("attributeSets"),
    APP_SCHEMA,
  );
  const headers: Record<string, string> = { etag: etagOf(record.resource) };
  if (status === 201) headers.location = appLocation(ctx, str(record.resource, "id") ?? "");
  return jsonReply(status, project(renderApp(ctx, record), projection, APP_SCHEMA), headers);
}

export function registerApps(router: Router, ctx: EmulatorContext, retryTokens: RetryTokens): void {
  const allApps = () => [...ctx.store.apps.values()].map((record) => renderApp(ctx, record));

  router.add(
    "POST",
    "/admin/v1/Apps",
    adminRoute(ctx, (request: EmuRequest, principal: Principal) => {
      const replayed = retryTokens.replay(request, ctx.now());
      if (replayed) return replayed;
      const body = jsonBody(request);
      // Validate the query before changing anything, so a bad attributeSets cannot leave a half-done create.
      parseProjection(request.query.getAll("attributes"), request.query.getAll("attributeSets"), APP_SCHEMA);
      const record = createAppRecord(ctx, body, principal);
      ctx.store.apps.set(str(record.resource, "id") ?? "", record);
      const reply = appReply(ctx, request, record, 201);
      retryTokens.remember(request, reply, ctx.now());
      return reply;
    }),
  );

  router.add(
    "GET",
    "/admin/v1/Apps",
    adminRoute(ctx, (request) => list(allApps(), queryFromUrl(request), APP_SCHEMA)),
  );

  router.add(
    "POST",
    "/admin/v1/Apps/.search",
    adminRoute(ctx, (request) => list(allApps(), queryFromSearchBody(jsonBody(request)), APP_SCHEMA)),
  );

  router.add(
    "GET",
    "/admin/v1/Apps/:id",
    adminRoute(ctx, (request) => appReply(ctx, request, findApp(ctx, request.params.id ?? ""), 200)),
  );

  // PUT replaces the app, PATCH applies operations; both only to a customer app, honouring If-Match.
  for (const [method, change] of [
    ["PUT", replaceAppRecord],
    ["PATCH", patchApp],
  ] as const) {
    router.add(
      method,
      "/admin/v1/Apps/:id",
      adminRoute(ctx, (request, principal) => {
        const record = findApp(ctx, request.params.id ?? "");
        checkCustomerApp(record);
        checkIfMatch(request, record);
        const body = jsonBody(request);
        parseProjection(
          request.query.getAll("attributes"),
          request.query.getAll("attributeSets"),
          APP_SCHEMA,
        );
        change(ctx, record, body, principal);
        return appReply(ctx, request, record, 200);
      }),
    );
  }

  router.add(
    "DELETE",
    "/admin/v1/Apps/:id",
    adminRoute(ctx, (request) => {
      const record = findApp(ctx, request.params.id ?? "");
      checkCustomerApp(record);
      checkIfMatch(request, record);
      // Active apps cannot be deleted, `forceDelete=true` or not
      // (https://github.com/oracle/terraform-provider-oci/issues/2507). Status 400 and this detail are
      // unconfirmed (no public source shows them); 400 matches the `400-BadErrorResponse` users report.
      if (record.resource.active === true) {
        throw new ScimError(
          400,
          `The App ${str(record.resource, "displayName") ?? ""} is active and cannot be deleted. Deactivate it first.`,
        );
      }
      ctx.store.deleteApp(str(record.resource, "id") ?? "");
      return emptyReply(204);
    }),
  );
}
