import { describe, expect, it } from "vitest";
import { useEmulator } from "../../support/emulator";

const env = useEmulator();

const APP_SCHEMA = "urn:ietf:params:scim:schemas:oracle:idcs:App";
const SCIM_ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";
const HEX32 = /^[0-9a-f]{32}$/;

let counter = 0;
function clientBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  counter += 1;
  return {
    schemas: [APP_SCHEMA],
    displayName: `apps-test-${counter}`,
    basedOnTemplate: { value: "CustomWebAppTemplateId" },
    isOAuthClient: true,
    clientType: "confidential",
    allowedGrants: ["client_credentials"],
    allowedScopes: [{ fqs: env.emu.scopes.icApi }],
    active: true,
    ...overrides,
  };
}

async function create(overrides: Record<string, unknown> = {}) {
  const response = await env.admin("POST", "/admin/v1/Apps", clientBody(overrides));
  expect(response.status).toBe(201);
  return response.json();
}

describe("POST /admin/v1/Apps", () => {
  it("creates a confidential client with a client id, a secret, resolved scopes, meta, Location and ETag", async () => {
    const body = clientBody({ description: "made by a test" });
    const response = await env.admin("POST", "/admin/v1/Apps", body);
    expect(response.status).toBe(201);
    const app = response.json();
    const meta = app.meta as Record<string, string>;
    expect(app.id).toMatch(HEX32);
    expect(app.name).toMatch(HEX32);
    expect(app.name).not.toBe(app.id);
    expect(app.clientSecret).toMatch(
      /^idcscs-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(response.headers.location).toBe(`${env.emu.idcsUrl}/admin/v1/Apps/${String(app.id)}`);
    expect(response.headers.etag).toBe(`W/"${meta.version}"`);
    expect(response.headers["content-type"]).toBe("application/json;charset=utf-8");
    expect(meta).toEqual({
      resourceType: "App",
      created: meta.created,
      lastModified: meta.created,
      location: `${env.emu.idcsUrl}/admin/v1/Apps/${String(app.id)}`,
      version: expect.stringMatching(HEX32) as string,
    });
    expect(new Date(String(meta.created)).toISOString()).toBe(meta.created);
    expect(app).toMatchObject({
      schemas: [APP_SCHEMA],
      displayName: body.displayName,
      description: "made by a test",
      active: true,
      isOAuthClient: true,
      isOAuthResource: false,
      clientType: "confidential",
      allowedGrants: ["client_credentials"],
      trustScope: "Explicit",
      clientIPChecking: "anywhere",
      allowedScopes: [{ fqs: env.emu.scopes.icApi, idOfDefiningApp: env.emu.oicAppId, readOnly: false }],
      basedOnTemplate: {
        value: "CustomWebAppTemplateId",
        wellKnownId: "CustomWebAppTemplateId",
        $ref: `${env.emu.idcsUrl}/admin/v1/AppTemplates/CustomWebAppTemplateId`,
      },
      grantedAppRoles: [],
      meterAsOPCService: false,
      isAliasApp: false,
    });
    expect(app.idcsCreatedBy).toMatchObject({ type: "App", display: "oic-emulator-admin" });
  });

  it("keeps a valid supplied name and accepts application/json and unknown extra fields", async () => {
    const response = await env.request(`${env.emu.idcsUrl}/admin/v1/Apps?attributeSets=all&attributes=name`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${await env.adminToken()}`,
        "content-type": "application/json",
        "opc-request-id": "test-request-42",
        date: new Date().toUTCString(),
      },
      body: JSON.stringify(
        clientBody({
          name: "My_Client_1",
          ocid: "ocid1.domainapp.oc1..mine",
          somethingUnknown: { x: 1 },
          urnNotAnExtension: 3,
        }),
      ),
    });
    expect(response.status).toBe(201);
    expect(response.headers["opc-request-id"]).toBe("test-request-42");
    const app = response.json();
    expect(app.name).toBe("My_Client_1");
    expect(app.ocid).toMatch(/^ocid1\.domainapp\.oc1\.\.aaaaaaaa[a-z0-9]{52}$/);
    expect(Object.keys(app).slice(0, 3)).toEqual(["schemas", "id", "ocid"]);
    expect(app).not.toHaveProperty("somethingUnknown");
    expect(app).not.toHaveProperty("urnNotAnExtension");
  });

  it("makes up an opc-request-id when none is sent", async () => {
    const response = await env.admin("GET", "/admin/v1/Apps?count=1");
    expect(response.headers["opc-request-id"]).toMatch(/^[0-9A-F]{32}$/);
  });

  it("starts an app inactive when active is omitted, and gives a public client no secret", async () => {
    const app = await create({ active: undefined, clientType: "public", allowedScopes: undefined });
    expect(app.active).toBe(false);
    expect(app).not.toHaveProperty("clientSecret");
    expect(app).not.toHaveProperty("trustScope");
  });

  it("refuses a name with characters other than letters, digits and _", async () => {
    const response = await env.admin("POST", "/admin/v1/Apps", clientBody({ name: "bad-name" }));
    expect(response.status).toBe(400);
    expect(response.json()).toEqual({
      schemas: [SCIM_ERROR],
      detail: 'Invalid value "bad-name" for attribute "name": only letters, digits and _ are allowed.',
      status: "400",
      scimType: "invalidValue",
    });
  });

  it("lists every missing required attribute with Oracle's messageId", async () => {
    const response = await env.admin("POST", "/admin/v1/Apps", { isOAuthClient: true });
    expect(response.status).toBe(400);
    expect(response.json()).toEqual({
      schemas: [SCIM_ERROR, "urn:ietf:params:scim:api:oracle:idcs:extension:messages:Error"],
      detail: "Missing required attribute(s): schemas,displayName,basedOnTemplate,clientType.",
      status: "400",
      scimType: "invalidValue",
      "urn:ietf:params:scim:api:oracle:idcs:extension:messages:Error": {
        messageId: "error.common.validation.missingReqAttributes",
      },
    });
  });

  it("answers 409 for a duplicate displayName (not case-exact) and a duplicate name", async () => {
    const first = await create({ name: "Unique_Name_A" });
    const byDisplayName = await env.admin(
      "POST",
      "/admin/v1/Apps",
      clientBody({ displayName: String(first.displayName).toUpperCase() }),
    );
    expect(byDisplayName.status).toBe(409);
    expect(byDisplayName.json()).toEqual({
      schemas: [SCIM_ERROR],
      detail: `An App with displayName "${String(first.displayName).toUpperCase()}" already exists.`,
      status: "409",
      scimType: "uniqueness",
    });
    const byName = await env.admin("POST", "/admin/v1/Apps", clientBody({ name: "unique_name_a" }));
    expect(byName.status).toBe(409);
    expect(byName.json().detail).toBe('An App with name "unique_name_a" already exists.');
  });

  it("refuses an allowed scope that no resource app publishes", async () => {
    const fqs = `${env.emu.audience}/not/a/scope`;
    const response = await env.admin("POST", "/admin/v1/Apps", clientBody({ allowedScopes: [{ fqs }] }));
    expect(response.status).toBe(400);
    expect(response.json().detail).toBe(
      `Invalid value for attribute "allowedScopes": "${fqs}" is not a scope published by any resource App.`,
    );
  });

  it("answers 400 invalidSyntax for bad JSON and for a non-object, 415 for another media type", async () => {
    const token = await env.adminToken();
    const post = (body: string, type: string) =>
      env.request(`${env.emu.idcsUrl}/admin/v1/Apps`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": type },
        body,
      });
    const bad = await post("{not json", "application/json");
    expect(bad.status).toBe(400);
    expect(bad.json()).toEqual({
      schemas: [SCIM_ERROR],
      detail: "The request body is not valid JSON.",
      status: "400",
      scimType: "invalidSyntax",
    });
    const array = await post("[1,2]", "application/scim+json");
    expect(array.json().detail).toBe("The request body must be a JSON object.");
    const form = await post("a=b", "application/x-www-form-urlencoded");
    expect(form.status).toBe(415);
    expect(form.json().detail).toBe(
      'Unsupported media type "application/x-www-form-urlencoded": send application/json or application/scim+json.',
    );
  });

  it("checks the JSON types of known attributes and the enums", async () => {
    const wrongType = await env.admin("POST", "/admin/v1/Apps", clientBody({ active: "yes" }));
    expect(wrongType.status).toBe(400);
    expect(wrongType.json().detail).toBe('Attribute "active" must be a boolean.');
    const wrongList = await env.admin(
      "POST",
      "/admin/v1/Apps",
      clientBody({ allowedGrants: "client_credentials" }),
    );
    expect(wrongList.json().detail).toBe('Attribute "allowedGrants" must be an array of string values.');
    const wrongEnum = await env.admin("POST", "/admin/v1/Apps", clientBody({ clientType: "secret" }));
    expect(wrongEnum.json().detail).toBe(
      'Invalid value "secret" for attribute "clientType". Allowed values: confidential, public, trusted.',
    );
    const template = await env.admin(
      "POST",
      "/admin/v1/Apps",
      clientBody({ basedOnTemplate: { value: "Nope" } }),
    );
    expect(template.json().detail).toBe(
      'Invalid value "Nope" for attribute "basedOnTemplate.value". Allowed values: CustomWebAppTemplateId, CustomBrowserMobileTemplateId, CustomSAMLAppTemplateId, CustomEnterpriseAppTemplateId.',
    );
  });

  it("replays a create retried with the same opc-retry-token instead of answering 409", async () => {
    const token = await env.adminToken();
    const body = JSON.stringify(clientBody());
    const send = (retryToken: string, payload: string) =>
      env.request(`${env.emu.idcsUrl}/admin/v1/Apps`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": "application/json",
          "opc-retry-token": retryToken,
        },
        body: payload,
      });
    const first = await send("retry-1", body);
    const again = await send("retry-1", body);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.json().id).toBe(first.json().id);
    expect(again.json().clientSecret).toBe(first.json().clientSecret);
    const otherToken = await send("retry-2", body);
    expect(otherToken.status).toBe(409);
  });
});

describe("GET, PUT, PATCH and DELETE /admin/v1/Apps/{id}", () => {
  it("reads an app with its clientSecret (returned: default) and 404s an unknown id", async () => {
    const created = await create();
    const read = await env.admin("GET", `/admin/v1/Apps/${String(created.id)}`);
    expect(read.status).toBe(200);
    expect(read.json()).toEqual(created);
    expect(read.headers.etag).toBe(`W/"${String((created.meta as Record<string, unknown>).version)}"`);
    const missing = await env.admin("GET", "/admin/v1/Apps/0123456789abcdef0123456789abcdef");
    expect(missing.status).toBe(404);
    expect(missing.json()).toEqual({
      schemas: [SCIM_ERROR],
      detail: "Resource App with id 0123456789abcdef0123456789abcdef not found.",
      status: "404",
    });
  });

  it("replaces the app on PUT: server fields survive, omitted attributes go, version changes", async () => {
    const created = await create({ description: "before" });
    const id = String(created.id);
    const put = await env.admin("PUT", `/admin/v1/Apps/${id}?attributeSets=all`, {
      ...clientBody({
        displayName: created.displayName,
        name: created.name,
        // As a provider sends an unset optional sub-attribute: not a change of the immutable template.
        basedOnTemplate: { value: "CustomWebAppTemplateId", wellKnownId: "" },
        allowedScopes: [{ fqs: env.emu.scopes.consumerAll }],
      }),
      id: "ignored-read-only",
      clientSecret: "ignored-read-only",
    });
    expect(put.status).toBe(200);
    const replaced = put.json();
    const before = created.meta as Record<string, string>;
    const after = replaced.meta as Record<string, string>;
    expect(replaced.id).toBe(id);
    expect(replaced.name).toBe(created.name);
    expect(replaced.clientSecret).toBe(created.clientSecret);
    expect(replaced).not.toHaveProperty("description");
    expect(replaced.allowedScopes).toEqual([
      { fqs: env.emu.scopes.consumerAll, idOfDefiningApp: env.emu.oicAppId, readOnly: false },
    ]);
    expect(after.created).toBe(before.created);
    expect(after.version).not.toBe(before.version);
    expect(put.headers.etag).toBe(`W/"${after.version}"`);
  });

  it("refuses to change an immutable attribute and honours If-Match", async () => {
    const created = await create();
    const id = String(created.id);
    const changedName = await env.admin(
      "PUT",
      `/admin/v1/Apps/${id}`,
      clientBody({ displayName: created.displayName, name: "Other_Name" }),
    );
    expect(changedName.status).toBe(400);
    expect(changedName.json()).toEqual({
      schemas: [SCIM_ERROR],
      detail: 'Attribute "name" is immutable and cannot be changed.',
      status: "400",
      scimType: "mutability",
    });
    const token = await env.adminToken();
    const put = (ifMatch: string) =>
      env.request(`${env.emu.idcsUrl}/admin/v1/Apps/${id}`, {
        method: "PUT",
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": "application/json",
          "if-match": ifMatch,
        },
        body: JSON.stringify(clientBody({ displayName: created.displayName })),
      });
    const stale = await put('W/"00000000000000000000000000000000"');
    expect(stale.status).toBe(412);
    expect(stale.json().detail).toBe(
      "Failed to update, as resource changed: the If-Match version is not current.",
    );
    const current = await put(`W/"${String((created.meta as Record<string, unknown>).version)}"`);
    expect(current.status).toBe(200);
  });

  it("patches with add, replace and remove (op case-insensitive) and rejects read-only paths", async () => {
    const created = await create();
    const id = String(created.id);
    const patched = await env.admin("PATCH", `/admin/v1/Apps/${id}`, {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [
        { op: "REPLACE", path: "active", value: false },
        { op: "add", path: "allowedScopes", value: [{ fqs: env.emu.scopes.consumerAll }] },
        { op: "remove", path: `allowedScopes[fqs eq "${env.emu.scopes.icApi}"]` },
        { op: "add", value: { description: "patched" } },
      ],
    });
    expect(patched.status).toBe(200);
    expect(patched.json()).toMatchObject({
      active: false,
      description: "patched",
      allowedScopes: [
        { fqs: env.emu.scopes.consumerAll, idOfDefiningApp: env.emu.oicAppId, readOnly: false },
      ],
      clientSecret: created.clientSecret,
    });
    const readOnly = await env.admin("PATCH", `/admin/v1/Apps/${id}`, {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [{ op: "replace", path: "clientSecret", value: "x" }],
    });
    expect(readOnly.status).toBe(400);
    expect(readOnly.json()).toMatchObject({
      detail: 'Attribute "clientSecret" is read-only.',
      scimType: "mutability",
    });
    const badOp = await env.admin("PATCH", `/admin/v1/Apps/${id}`, {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [{ op: "move", path: "active", value: true }],
    });
    expect(badOp.json().detail).toBe('Invalid PATCH op "move". Allowed values: add, replace, remove.');
  });

  it("refuses to delete an active app even with forceDelete=true, then deletes it once deactivated", async () => {
    const created = await create();
    const id = String(created.id);
    const refused = await env.admin("DELETE", `/admin/v1/Apps/${id}?forceDelete=true`);
    expect(refused.status).toBe(400);
    expect(refused.json()).toEqual({
      schemas: [SCIM_ERROR],
      detail: `The App ${String(created.displayName)} is active and cannot be deleted. Deactivate it first.`,
      status: "400",
    });
    const changer = await env.admin("PUT", `/admin/v1/AppStatusChanger/${id}`, {
      active: false,
      schemas: ["urn:ietf:params:scim:schemas:oracle:idcs:AppStatusChanger"],
    });
    expect(changer.status).toBe(200);
    const deleted = await env.admin("DELETE", `/admin/v1/Apps/${id}?forceDelete=true`);
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe("");
    expect((await env.admin("GET", `/admin/v1/Apps/${id}`)).status).toBe(404);
    expect((await env.admin("DELETE", `/admin/v1/Apps/${id}`)).status).toBe(404);
  });

  it("404s PUT, PATCH and DELETE of an unknown app", async () => {
    const id = "abcdefabcdefabcdefabcdefabcdefab";
    const put = await env.admin("PUT", `/admin/v1/Apps/${id}`, clientBody());
    const patch = await env.admin("PATCH", `/admin/v1/Apps/${id}`, {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [{ op: "replace", path: "active", value: false }],
    });
    const del = await env.admin("DELETE", `/admin/v1/Apps/${id}`);
    for (const response of [put, patch, del]) {
      expect(response.status).toBe(404);
      expect(response.json().detail).toBe(`Resource App with id ${id} not found.`);
    }
  });

  it("answers 403 for changes to Oracle-managed apps", async () => {
    const response = await env.admin("DELETE", `/admin/v1/Apps/${env.emu.oicAppId}`);
    expect(response.status).toBe(403);
    expect(response.json().detail).toBe(
      `The App ${env.emu.oicAppId} is managed by Oracle; this operation isn't supported.`,
    );
  });
});

describe("PUT /admin/v1/AppStatusChanger/{id}", () => {
  it("answers the AppStatusChanger resource with an ETag and changes the app", async () => {
    const created = await create({ active: false });
    const id = String(created.id);
    const response = await env.admin("PUT", `/admin/v1/AppStatusChanger/${id}`, {
      active: true,
      schemas: ["urn:ietf:params:scim:schemas:oracle:idcs:AppStatusChanger"],
    });
    expect(response.status).toBe(200);
    const changer = response.json();
    expect(changer).toMatchObject({
      schemas: ["urn:ietf:params:scim:schemas:oracle:idcs:AppStatusChanger"],
      id,
      active: true,
      meta: {
        resourceType: "AppStatusChanger",
        location: `${env.emu.idcsUrl}/admin/v1/AppStatusChanger/${id}`,
      },
    });
    const app = (await env.admin("GET", `/admin/v1/Apps/${id}`)).json();
    expect(app.active).toBe(true);
    expect(response.headers.etag).toBe(`W/"${String((app.meta as Record<string, unknown>).version)}"`);
  });

  it("validates its body and 404s an unknown app", async () => {
    const created = await create();
    const missing = await env.admin("PUT", `/admin/v1/AppStatusChanger/${String(created.id)}`, {
      active: true,
    });
    expect(missing.status).toBe(400);
    expect(missing.json().detail).toBe("Missing required attribute(s): schemas.");
    const notBoolean = await env.admin("PUT", `/admin/v1/AppStatusChanger/${String(created.id)}`, {
      active: "true",
      schemas: ["urn:ietf:params:scim:schemas:oracle:idcs:AppStatusChanger"],
    });
    expect(notBoolean.json().detail).toBe('Attribute "active" must be a boolean.');
    const unknown = await env.admin("PUT", "/admin/v1/AppStatusChanger/ffffffffffffffffffffffffffffffff", {
      active: true,
      schemas: ["urn:ietf:params:scim:schemas:oracle:idcs:AppStatusChanger"],
    });
    expect(unknown.status).toBe(404);
  });
});

describe("routing errors on the identity host", () => {
  it("answers 405 with Allow for a wrong method and 404 for an unknown path, both as SCIM errors", async () => {
    const wrongMethod = await env.admin("POST", "/admin/v1/Apps/0123456789abcdef0123456789abcdef", {});
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.allow).toBe("GET, PUT, PATCH, DELETE");
    expect(wrongMethod.json()).toEqual({
      schemas: [SCIM_ERROR],
      detail: "Method POST is not allowed on /admin/v1/Apps/0123456789abcdef0123456789abcdef.",
      status: "405",
    });
    const unknown = await env.admin("GET", "/admin/v1/Users");
    expect(unknown.status).toBe(404);
    expect(unknown.json()).toEqual({
      schemas: [SCIM_ERROR],
      detail: "No route for GET /admin/v1/Users.",
      status: "404",
    });
  });
});
