import { beforeAll, describe, expect, it } from "vitest";
import { useEmulator } from "../../support/emulator";

const env = useEmulator({ instances: [{ name: "oicprod-emulator-ia", connections: 3 }] });

const LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
const SCIM_ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";

interface ListBody {
  schemas: string[];
  totalResults: number;
  Resources: Record<string, unknown>[];
  startIndex: number;
  itemsPerPage: number;
}

async function list(resource: string, query: Record<string, string | string[]>): Promise<ListBody> {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) for (const v of [value].flat()) params.append(key, v);
  const response = await env.admin("GET", `/admin/v1/${resource}?${params.toString()}`);
  expect(response.status).toBe(200);
  return response.json<ListBody>();
}

async function filterError(resource: string, filter: string): Promise<Record<string, unknown>> {
  const response = await env.admin("GET", `/admin/v1/${resource}?filter=${encodeURIComponent(filter)}`);
  expect(response.status).toBe(400);
  return response.json();
}

const PAGE_APPS = ["page-a", "page-b", "page-c", "page-d", "page-e"];

beforeAll(async () => {
  for (const displayName of [...PAGE_APPS].reverse()) {
    const response = await env.admin("POST", "/admin/v1/Apps", {
      schemas: ["urn:ietf:params:scim:schemas:oracle:idcs:App"],
      displayName,
      basedOnTemplate: { value: "CustomWebAppTemplateId" },
      isOAuthClient: true,
      clientType: "confidential",
      allowedGrants: ["client_credentials"],
      active: displayName === "page-c",
    });
    expect(response.status).toBe(201);
  }
});

describe("GET /admin/v1/AppRoles filters", () => {
  it("finds exactly the instance's role with app.value and displayName, as the program looks it up", async () => {
    const oicApp = (await env.admin("GET", `/admin/v1/Apps/${env.emu.oicAppId}`)).json();
    const body = await list("AppRoles", {
      filter: `app.value eq "${env.emu.oicAppId}" and displayName eq "ServiceUser"`,
    });
    expect(body).toMatchObject({
      schemas: [LIST_RESPONSE],
      totalResults: 1,
      startIndex: 1,
      itemsPerPage: 50,
    });
    const role = body.Resources[0] ?? {};
    expect(role).toMatchObject({
      schemas: ["urn:ietf:params:scim:schemas:oracle:idcs:AppRole"],
      displayName: "ServiceUser",
      uniqueName: `${String(oicApp.name)}_ServiceUser`,
      app: {
        value: env.emu.oicAppId,
        display: oicApp.displayName,
        name: oicApp.name,
        $ref: `${env.emu.idcsUrl}/admin/v1/Apps/${env.emu.oicAppId}`,
        serviceInstanceIdentifier: env.emu.integrationInstance,
      },
      adminRole: false,
      availableToClients: true,
      meta: { resourceType: "AppRole" },
    });
    expect(role.id).toMatch(/^[0-9a-f]{32}$/);
    // Exactly the attributes oci-go-sdk app_role.go declares (serviceInstanceIdentifier lives in `app`).
    expect(Object.keys(role).sort()).toEqual([
      "adminRole",
      "app",
      "availableToClients",
      "availableToGroups",
      "availableToUsers",
      "compartmentOcid",
      "description",
      "displayName",
      "domainOcid",
      "id",
      "idcsCreatedBy",
      "idcsLastModifiedBy",
      "limitedToOneOrMoreGroups",
      "meta",
      "ocid",
      "public",
      "schemas",
      "tenancyOcid",
      "uniqueName",
    ]);
  });

  it("shows why app.value matters: every instance defines the same role names", async () => {
    const body = await list("AppRoles", { filter: 'displayName eq "ServiceInvoker"' });
    expect(body.totalResults).toBe(2);
    expect(body.Resources.map((r) => (r.app as Record<string, unknown>).value).sort()).toEqual(
      env.emu.instances.map((i) => i.oicAppId).sort(),
    );
  });

  it("treats operators, keywords and attribute names case-insensitively and displayName as not case-exact", async () => {
    const body = await list("AppRoles", {
      filter: `APP.VALUE EQ "${env.emu.oicAppId}" AnD displayname Eq "serviceuser"`,
    });
    expect(body.Resources.map((r) => r.displayName)).toEqual(["ServiceUser"]);
  });

  it.each([
    ['displayName sw "Service" and not (displayName eq "ServiceInvoker")', 7],
    ['(displayName eq "ServiceUser" or displayName eq "ServiceViewer")', 2],
    ['displayName co "Invoker"', 1],
    ['displayName ew "User"', 2],
    ["meta.created pr", 8],
    ['displayName eq "a\\"b"', 0],
    ['displayName gt "ServiceU"', 2],
    ['displayName le "ServiceAdministrator"', 1],
    ['displayName ne "ServiceUser"', 7],
    ['urn:ietf:params:scim:schemas:oracle:idcs:AppRole:displayName eq "ServiceUser"', 1],
  ])("%s within one instance → %i roles", async (filter, count) => {
    const body = await list("AppRoles", { filter: `app.value eq "${env.emu.oicAppId}" and (${filter})` });
    expect(body.totalResults).toBe(count);
  });

  it("answers SCIM 400 invalidFilter for bad syntax, unknown attributes and invalid comparisons", async () => {
    expect(await filterError("AppRoles", "displayName eq")).toEqual({
      schemas: [SCIM_ERROR],
      detail:
        "Invalid filter: Expected a value (a quoted string, a number, true, false or null) but found the end of the filter.",
      status: "400",
      scimType: "invalidFilter",
    });
    expect((await filterError("AppRoles", 'nope eq "x"')).detail).toBe(
      'Invalid filter: "nope" is not an attribute of AppRole.',
    );
    expect((await filterError("AppRoles", '(displayName eq "x"')).detail).toBe(
      'Invalid filter: Expected ")" but found the end of the filter.',
    );
    expect((await filterError("AppRoles", "adminRole gt true")).detail).toBe(
      'Invalid filter: "gt" cannot compare the boolean "adminRole".',
    );
    expect((await filterError("Apps", 'audience eq "https://x"')).detail).toBe(
      'Invalid filter: App cannot be searched by "audience".',
    );
    expect((await filterError("Apps", 'displayName eq "unterminated')).detail).toBe(
      "Invalid filter: Unterminated string that starts at position 16.",
    );
  });
});

describe("GET /admin/v1/Apps filters, paging and sorting", () => {
  it("filters on booleans, ne and value paths", async () => {
    const resources = await list("Apps", { filter: "isOAuthResource eq true", sortBy: "displayName" });
    expect(resources.Resources.map((r) => r.id).sort()).toEqual(
      ["IDCSAppId", ...env.emu.instances.map((i) => i.oicAppId)].sort(),
    );
    const notIdcs = await list("Apps", { filter: 'id ne "IDCSAppId" and isOAuthResource eq true' });
    expect(notIdcs.totalResults).toBe(2);
    const roles = await list("AppRoles", {
      filter: 'app.value eq "IDCSAppId" and displayName eq "Identity Domain Administrator"',
    });
    const roleId = String(roles.Resources[0]?.id);
    const admins = await list("Apps", { filter: `grantedAppRoles[value eq "${roleId}" or value eq "x"]` });
    expect(admins.Resources.map((r) => r.name)).toEqual([env.emu.admin.clientId]);
    const dotted = await list("Apps", { filter: `grantedAppRoles.value eq "${roleId}"` });
    expect(dotted.Resources).toEqual(admins.Resources);
    // Only idcsSearchable sub-attributes can be filtered on (oci-go-sdk app_granted_app_roles.go: display is
    // not).
    expect((await filterError("Apps", 'grantedAppRoles[display eq "x"]')).detail).toBe(
      'Invalid filter: App cannot be searched by "grantedAppRoles.display".',
    );
    const active = await list("Apps", { filter: 'displayName sw "page-" and active eq true' });
    expect(active.Resources.map((r) => r.displayName)).toEqual(["page-c"]);
  });

  it("pages with startIndex and count and reports the page size as itemsPerPage", async () => {
    const filter = 'displayName sw "page-"';
    const first = await list("Apps", { filter, sortBy: "displayName", count: "2" });
    expect(first).toMatchObject({ totalResults: 5, startIndex: 1, itemsPerPage: 2 });
    expect(first.Resources.map((r) => r.displayName)).toEqual(["page-a", "page-b"]);
    const last = await list("Apps", { filter, sortBy: "displayName", startIndex: "5", count: "2" });
    expect(last).toMatchObject({ totalResults: 5, startIndex: 5, itemsPerPage: 2 });
    expect(last.Resources.map((r) => r.displayName)).toEqual(["page-e"]);
    const descending = await list("Apps", {
      filter,
      sortBy: "displayName",
      sortOrder: "descending",
      count: "1",
    });
    expect(descending.Resources.map((r) => r.displayName)).toEqual(["page-e"]);
    expect(await list("Apps", { filter, startIndex: "0", count: "-3" })).toMatchObject({
      startIndex: 1,
      itemsPerPage: 50,
    });
    expect(await list("Apps", { filter, count: "5000" })).toMatchObject({ itemsPerPage: 1000 });
    const zero = await list("Apps", { filter, count: "0" });
    expect(zero).toMatchObject({ totalResults: 5, Resources: [], itemsPerPage: 0 });
  });

  it("walks all pages with the Terraform data sources' loop", async () => {
    const filter = 'displayName sw "page-"';
    let page = await list("Apps", { filter, sortBy: "displayName", count: "2" });
    const seen = page.Resources.map((r) => r.displayName);
    let startIndex = page.startIndex;
    while (startIndex + page.itemsPerPage <= page.totalResults) {
      startIndex += page.itemsPerPage;
      page = await list("Apps", {
        filter,
        sortBy: "displayName",
        count: "2",
        startIndex: String(startIndex),
      });
      seen.push(...page.Resources.map((r) => r.displayName));
    }
    expect(seen).toEqual(PAGE_APPS);
  });

  it("always sends every ListResponse field, also for an empty result", async () => {
    const response = await env.admin(
      "GET",
      `/admin/v1/Apps?filter=${encodeURIComponent('displayName eq "nothing"')}`,
    );
    expect(response.json()).toEqual({
      schemas: [LIST_RESPONSE],
      totalResults: 0,
      Resources: [],
      startIndex: 1,
      itemsPerPage: 50,
    });
  });

  it("refuses non-integer paging values and unknown sort attributes", async () => {
    const count = await env.admin("GET", "/admin/v1/Apps?count=ten");
    expect(count.status).toBe(400);
    expect(count.json()).toEqual({
      schemas: [SCIM_ERROR],
      detail: 'Invalid value "ten" for count: expected an integer.',
      status: "400",
      scimType: "invalidValue",
    });
    const sortBy = await env.admin("GET", "/admin/v1/Apps?sortBy=colour");
    expect(sortBy.json().detail).toBe('Invalid sortBy "colour": not an attribute of App.');
    const sortOrder = await env.admin("GET", "/admin/v1/Apps?sortBy=displayName&sortOrder=up");
    expect(sortOrder.json().detail).toBe('Invalid sortOrder "up". Allowed values: ascending, descending.');
  });

  it("serves POST /admin/v1/Apps/.search with the same pipeline", async () => {
    const response = await env.admin("POST", "/admin/v1/Apps/.search", {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
      filter: 'displayName sw "page-"',
      sortBy: "displayName",
      startIndex: 2,
      count: 2,
      attributes: ["displayName"],
    });
    expect(response.status).toBe(200);
    const body = response.json<ListBody>();
    expect(body).toMatchObject({ totalResults: 5, startIndex: 2, itemsPerPage: 2 });
    expect(body.Resources.map((r) => r.displayName)).toEqual(["page-b", "page-c"]);
    const bad = await env.admin("POST", "/admin/v1/Apps/.search", { filter: "x" });
    expect(bad.json().detail).toBe(
      'Attribute "schemas" must contain "urn:ietf:params:scim:api:messages:2.0:SearchRequest".',
    );
  });
});

describe("attributes and attributeSets", () => {
  const filter = 'displayName eq "page-a"';

  it("returns only the always-returned attributes plus the named ones", async () => {
    const body = await list("Apps", { filter, attributes: "displayName" });
    expect(Object.keys(body.Resources[0] ?? {}).sort()).toEqual([
      "basedOnTemplate",
      "displayName",
      "id",
      "isAliasApp",
      "meterAsOPCService",
      "schemas",
    ]);
    // basedOnTemplate.value is `returned: always`, so it comes back alone inside its parent.
    expect(body.Resources[0]?.basedOnTemplate).toEqual({ value: "CustomWebAppTemplateId" });
    const sub = await list("Apps", { filter, attributes: "meta.created,clientType" });
    const app = body.Resources[0] ?? {};
    expect(sub.Resources[0]).toEqual({
      schemas: app.schemas,
      id: app.id,
      displayName: "page-a",
      meterAsOPCService: false,
      isAliasApp: false,
      basedOnTemplate: { value: "CustomWebAppTemplateId" },
      clientType: "confidential",
      meta: { created: expect.any(String) as string },
    });
  });

  it("treats attributeSets case-insensitively, comma-separated or repeated", async () => {
    const always = await list("Apps", { filter, attributeSets: "ALWAYS" });
    expect(Object.keys(always.Resources[0] ?? {}).sort()).toEqual([
      "basedOnTemplate",
      "displayName",
      "id",
      "isAliasApp",
      "meterAsOPCService",
      "schemas",
    ]);
    const never = await list("Apps", { filter, attributeSets: "never" });
    expect(never.Resources).toEqual(always.Resources);
    const comma = await list("Apps", { filter, attributeSets: "always,default" });
    const repeated = await list("Apps", { filter, attributeSets: ["always", "default"] });
    const plain = await list("Apps", { filter });
    expect(comma.Resources).toEqual(plain.Resources);
    expect(repeated.Resources).toEqual(plain.Resources);
    expect(plain.Resources[0]).toHaveProperty("clientSecret");
  });

  it("adds request-only attributes with all or request, e.g. the OIC app's grants and a Grant's compositeKey", async () => {
    const client = await env.createClient({ roles: ["ServiceViewer"] });
    const byId = `id eq "${env.emu.oicAppId}"`;
    expect((await list("Apps", { filter: byId })).Resources[0]).not.toHaveProperty("grants");
    const all = (await list("Apps", { filter: byId, attributeSets: "all" })).Resources[0] ?? {};
    expect(all.grants).toEqual([
      {
        value: client.grantIds[0],
        $ref: `${env.emu.idcsUrl}/admin/v1/Grants/${String(client.grantIds[0])}`,
        granteeId: client.appId,
        granteeType: "App",
        grantMechanism: "ADMINISTRATOR_TO_APP",
      },
    ]);
    const grantFilter = `grantee.value eq "${client.appId}"`;
    expect((await list("Grants", { filter: grantFilter })).Resources[0]).not.toHaveProperty("compositeKey");
    const requested =
      (await list("Grants", { filter: grantFilter, attributeSets: "request" })).Resources[0] ?? {};
    expect(requested.compositeKey).toEqual(expect.stringContaining(client.appId));
    expect(requested).not.toHaveProperty("grantMechanism");
    expect(
      (await list("Grants", { filter: grantFilter, attributes: "compositeKey" })).Resources[0],
    ).toHaveProperty("compositeKey");
  });

  it("refuses an unknown attribute set", async () => {
    const response = await env.admin("GET", "/admin/v1/Apps?attributeSets=bogus");
    expect(response.status).toBe(400);
    expect(response.json().detail).toBe(
      'Invalid attributeSets value "bogus". Allowed values: all, always, never, request, default.',
    );
  });

  it("projects single reads and writes too (GET, POST and PUT take attributes and attributeSets)", async () => {
    const read = await env.admin("GET", `/admin/v1/Apps/${env.emu.oicAppId}?attributes=audience`);
    expect(read.json()).toEqual({
      schemas: ["urn:ietf:params:scim:schemas:oracle:idcs:App"],
      id: env.emu.oicAppId,
      displayName: env.emu.integrationInstance,
      meterAsOPCService: true,
      isAliasApp: false,
      basedOnTemplate: { value: "OPCServiceAppTemplateId" },
      audience: env.emu.audience,
    });
  });
});
