import { beforeAll, describe, expect, it } from "vitest";
import { useEmulator } from "../../support/emulator";

const env = useEmulator({ instances: [{ name: "oictest-emulator-ia", connections: 1 }] });

const GRANT_SCHEMA = "urn:ietf:params:scim:schemas:oracle:idcs:Grant";
const SCIM_ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";

const roleIds = new Map<string, string>();

async function roleId(appId: string, displayName: string): Promise<string> {
  const key = `${appId}/${displayName}`;
  const cached = roleIds.get(key);
  if (cached) return cached;
  const filter = encodeURIComponent(`app.value eq "${appId}" and displayName eq "${displayName}"`);
  const response = await env.admin("GET", `/admin/v1/AppRoles?filter=${filter}`);
  const id = String(response.json<{ Resources: { id: string }[] }>().Resources[0]?.id);
  roleIds.set(key, id);
  return id;
}

function grantBody(granteeId: string, appId: string, role: string, overrides: Record<string, unknown> = {}) {
  return {
    schemas: [GRANT_SCHEMA],
    grantMechanism: "ADMINISTRATOR_TO_APP",
    grantee: { type: "App", value: granteeId },
    app: { value: appId },
    entitlement: { attributeName: "appRoles", attributeValue: role },
    ...overrides,
  };
}

let clientId = "";

beforeAll(async () => {
  const client = await env.createClient({ roles: [] });
  clientId = client.appId;
});

describe("POST /admin/v1/Grants", () => {
  it("grants an app role: 201, Location, ETag, and the grantee's grantedAppRoles follows", async () => {
    const serviceUser = await roleId(env.emu.oicAppId, "ServiceUser");
    const response = await env.admin(
      "POST",
      "/admin/v1/Grants",
      grantBody(clientId, env.emu.oicAppId, serviceUser),
    );
    expect(response.status).toBe(201);
    const grant = response.json();
    const id = String(grant.id);
    expect(response.headers.location).toBe(`${env.emu.idcsUrl}/admin/v1/Grants/${id}`);
    expect(response.headers.etag).toBe(`W/"${String((grant.meta as Record<string, unknown>).version)}"`);
    expect(grant).toMatchObject({
      schemas: [GRANT_SCHEMA],
      grantMechanism: "ADMINISTRATOR_TO_APP",
      grantee: { type: "App", value: clientId, $ref: `${env.emu.idcsUrl}/admin/v1/Apps/${clientId}` },
      app: { value: env.emu.oicAppId, $ref: `${env.emu.idcsUrl}/admin/v1/Apps/${env.emu.oicAppId}` },
      entitlement: { attributeName: "appRoles", attributeValue: serviceUser },
      // grantor.display is `returned: request` (oci-go-sdk grant_grantor.go), so only type, value and $ref
      // show.
      grantor: { type: "App", value: expect.stringMatching(/^[0-9a-f]{32}$/) as string },
      isFulfilled: true,
      meta: { resourceType: "Grant", location: `${env.emu.idcsUrl}/admin/v1/Grants/${id}` },
    });
    expect(grant).not.toHaveProperty("compositeKey");
    const oicApp = (await env.admin("GET", `/admin/v1/Apps/${env.emu.oicAppId}`)).json();
    const client = (await env.admin("GET", `/admin/v1/Apps/${clientId}`)).json();
    expect(client.grantedAppRoles).toEqual([
      {
        value: serviceUser,
        $ref: `${env.emu.idcsUrl}/admin/v1/AppRoles/${serviceUser}`,
        appId: env.emu.oicAppId,
        display: "ServiceUser",
        type: "direct",
        appName: oicApp.name,
        adminRole: false,
      },
    ]);
    expect((await env.admin("GET", `/admin/v1/Grants/${id}`)).json()).toEqual(grant);
  });

  it("answers 409 for the same grant twice", async () => {
    const viewer = await roleId(env.emu.oicAppId, "ServiceViewer");
    expect(
      (await env.admin("POST", "/admin/v1/Grants", grantBody(clientId, env.emu.oicAppId, viewer))).status,
    ).toBe(201);
    const again = await env.admin("POST", "/admin/v1/Grants", grantBody(clientId, env.emu.oicAppId, viewer));
    expect(again.status).toBe(409);
    expect(again.json()).toEqual({
      schemas: [SCIM_ERROR],
      detail: "A Grant with the same grantee, app and entitlement already exists.",
      status: "409",
      scimType: "uniqueness",
    });
  });

  it("validates grantee, app, role and the role's app", async () => {
    const serviceUser = await roleId(env.emu.oicAppId, "ServiceUser");
    const otherInstance = env.emu.instances[1]?.oicAppId ?? "";
    const otherRole = await roleId(otherInstance, "ServiceUser");
    const cases: [Record<string, unknown>, string][] = [
      [
        grantBody("ffffffffffffffffffffffffffffffff", env.emu.oicAppId, serviceUser),
        'Invalid grantee: no App with id "ffffffffffffffffffffffffffffffff" exists.',
      ],
      [
        grantBody(clientId, "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee", serviceUser),
        'Invalid app: no App with id "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee" exists.',
      ],
      [
        grantBody(clientId, env.emu.oicAppId, "dddddddddddddddddddddddddddddddd"),
        'Invalid entitlement: no AppRole with id "dddddddddddddddddddddddddddddddd" exists.',
      ],
      [
        grantBody(clientId, env.emu.oicAppId, otherRole),
        `Invalid entitlement: the AppRole "${otherRole}" does not belong to the App "${env.emu.oicAppId}".`,
      ],
      [
        grantBody(clientId, env.emu.oicAppId, serviceUser, { grantMechanism: "MAGIC" }),
        expect.stringMatching(
          /^Invalid value "MAGIC" for attribute "grantMechanism"\. Allowed values: IMPORT_APPROLE_MEMBERS, /,
        ),
      ],
      [
        grantBody(clientId, env.emu.oicAppId, serviceUser, { grantMechanism: "ADMINISTRATOR_TO_USER" }),
        "grantMechanism ADMINISTRATOR_TO_USER does not go with a grantee of type App.",
      ],
      [
        grantBody(clientId, env.emu.oicAppId, serviceUser, { grantee: { type: "Robot", value: clientId } }),
        'Invalid value "Robot" for attribute "grantee.type". Allowed values: User, Group, App, DynamicResourceGroup.',
      ],
      [
        grantBody(clientId, env.emu.oicAppId, serviceUser, {
          entitlement: { attributeName: "groups", attributeValue: "x" },
        }),
        'Unsupported entitlement.attributeName "groups": use "appRoles".',
      ],
      [
        { schemas: [GRANT_SCHEMA], grantee: { type: "App" }, entitlement: {} },
        "Missing required attribute(s): grantMechanism,grantee.value,app,entitlement.attributeName,entitlement.attributeValue.",
      ],
      [
        grantBody(clientId, env.emu.oicAppId, serviceUser, { schemas: ["urn:x"] }),
        `Attribute "schemas" must contain "${GRANT_SCHEMA}".`,
      ],
    ];
    for (const [body, detail] of cases) {
      const response = await env.admin("POST", "/admin/v1/Grants", body);
      expect(response.status).toBe(400);
      expect(response.json().detail).toEqual(detail);
    }
  });

  it("lists with a filter on grantee.value and entitlement.attributeValue (the idempotent lookup)", async () => {
    const serviceUser = await roleId(env.emu.oicAppId, "ServiceUser");
    const filter = encodeURIComponent(
      `grantee.value eq "${clientId}" and entitlement.attributeValue eq "${serviceUser}"`,
    );
    const response = await env.admin("GET", `/admin/v1/Grants?filter=${filter}`);
    const body = response.json<{ totalResults: number; Resources: { grantee: { value: string } }[] }>();
    expect(body.totalResults).toBe(1);
    expect(body.Resources[0]?.grantee.value).toBe(clientId);
  });
});

describe("POST …/.search on AppRoles and Grants", () => {
  it("takes the filter, paging and projection from a SearchRequest body", async () => {
    const schemas = ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"];
    const roles = await env.admin("POST", "/admin/v1/AppRoles/.search", {
      schemas,
      filter: `app.value eq "${env.emu.oicAppId}" and displayName sw "Service"`,
      sortBy: "displayName",
      count: 3,
      attributes: ["displayName"],
    });
    expect(roles.status).toBe(200);
    const body = roles.json<{
      totalResults: number;
      itemsPerPage: number;
      Resources: Record<string, unknown>[];
    }>();
    expect(body.totalResults).toBe(8);
    expect(body.itemsPerPage).toBe(3);
    expect(body.Resources.map((r) => r.displayName)).toEqual([
      "ServiceAdministrator",
      "ServiceDeployer",
      "ServiceDeveloper",
    ]);
    expect(Object.keys(body.Resources[0] ?? {}).sort()).toEqual([
      "app",
      "displayName",
      "id",
      "schemas",
      "uniqueName",
    ]);
    const grants = await env.admin("POST", "/admin/v1/Grants/.search", {
      schemas,
      filter: `grantee.value eq "${clientId}"`,
    });
    expect(grants.json<{ totalResults: number }>().totalResults).toBe(2);
  });
});

describe("DELETE /admin/v1/Grants/{id} and cascades", () => {
  it("deletes a grant (204) and removes the role from grantedAppRoles", async () => {
    const client = await env.createClient({ roles: ["ServiceDeveloper"] });
    const grantId = String(client.grantIds[0]);
    const deleted = await env.admin("DELETE", `/admin/v1/Grants/${grantId}?forceDelete=true`);
    expect(deleted.status).toBe(204);
    expect((await env.admin("GET", `/admin/v1/Grants/${grantId}`)).status).toBe(404);
    expect((await env.admin("GET", `/admin/v1/Apps/${client.appId}`)).json().grantedAppRoles).toEqual([]);
    const again = await env.admin("DELETE", `/admin/v1/Grants/${grantId}`);
    expect(again.json()).toEqual({
      schemas: [SCIM_ERROR],
      detail: `Resource Grant with id ${grantId} not found.`,
      status: "404",
    });
  });

  it("deletes the grants of a deleted app", async () => {
    const client = await env.createClient({ roles: ["ServiceUser", "ServiceInvoker"], active: false });
    expect((await env.admin("DELETE", `/admin/v1/Apps/${client.appId}`)).status).toBe(204);
    for (const grantId of client.grantIds) {
      expect((await env.admin("GET", `/admin/v1/Grants/${grantId}`)).status).toBe(404);
    }
    expect(env.emu.control.state().grants.filter((g) => g.granteeId === client.appId)).toEqual([]);
  });
});

describe("AppRoles and Grants operations the emulator does not implement", () => {
  it("reads a role by id, 404s an unknown one, and answers 501 for role changes and grant patches", async () => {
    const id = await roleId(env.emu.oicAppId, "ServiceMonitor");
    const role = await env.admin("GET", `/admin/v1/AppRoles/${id}?attributes=description`);
    expect(role.json()).toMatchObject({
      id,
      displayName: "ServiceMonitor",
      uniqueName: expect.stringMatching(/_ServiceMonitor$/) as string,
    });
    expect(role.json()).not.toHaveProperty("adminRole");
    expect((await env.admin("GET", "/admin/v1/AppRoles/cccccccccccccccccccccccccccccccc")).status).toBe(404);
    const create = await env.admin("POST", "/admin/v1/AppRoles", { displayName: "x" });
    expect(create.status).toBe(501);
    expect(create.json().detail).toBe("Changing AppRoles is not implemented by the emulator.");
    expect((await env.admin("PATCH", `/admin/v1/Grants/${id}`, {})).status).toBe(501);
  });
});
