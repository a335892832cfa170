/**
 * Oracle's own TypeScript SDK (oci-identitydomains + oci-common) drives the admin API, signing every request
 * with an API key the emulator verifies: if a SCIM shape were off, the SDK's (de)serialization would show it.
 * Plain HTTP: the SDK's fetch cannot be given a CA without a dependency on undici.
 */
import * as common from "oci-common";
import * as identitydomains from "oci-identitydomains";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { useEmulator } from "../../support/emulator";
import { newApiKey, provider } from "./ociSigning";

const key = newApiKey("ocid1.user.oc1..aaaaaaaasdkuser");
const env = useEmulator({ http: true, adminPublicKeyPem: key.publicKeyPem });
const { models } = identitydomains;

let client: identitydomains.IdentityDomainsClient;

/** oci-common's retrier console.warns "Request cannot be retried" for every expected error below. */
const warnings = vi.spyOn(console, "warn").mockImplementation(() => undefined);
afterAll(() => warnings.mockRestore());

beforeAll(() => {
  // One-off calls in a test: the SDK's default circuit breaker would only add state between tests.
  common.CircuitBreaker.EnableGlobalCircuitBreaker = false;
  client = new identitydomains.IdentityDomainsClient({ authenticationDetailsProvider: provider(key) });
  client.endpoint = env.emu.idcsUrl;
});

async function rejection(promise: Promise<unknown>): Promise<common.OciError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof common.OciError) return error;
    throw error;
  }
  throw new Error("expected the SDK call to fail");
}

describe("the admin API through IdentityDomainsClient", () => {
  it("creates, reads, lists, grants, deactivates and deletes a confidential client", async () => {
    const created = await client.createApp({
      app: {
        schemas: ["urn:ietf:params:scim:schemas:oracle:idcs:App"],
        displayName: "sdk-client",
        description: "created by oci-identitydomains",
        basedOnTemplate: { value: "CustomWebAppTemplateId" },
        isOAuthClient: true,
        clientType: models.App.ClientType.Confidential,
        allowedGrants: ["client_credentials"],
        allowedScopes: [{ fqs: env.emu.scopes.consumerAll }, { fqs: env.emu.scopes.icApi }],
        active: true,
      },
      attributeSets: [models.AttributeSets.All],
    });
    const app = created.app;
    expect(app.id).toMatch(/^[0-9a-f]{32}$/);
    expect(app.name).toMatch(/^[0-9a-f]{32}$/);
    expect(app.clientSecret).toMatch(/^idcscs-/);
    expect(app.allowedScopes?.map((s) => [s.fqs, s.idOfDefiningApp])).toEqual([
      [env.emu.scopes.consumerAll, env.emu.oicAppId],
      [env.emu.scopes.icApi, env.emu.oicAppId],
    ]);
    expect(app.basedOnTemplate.ref).toBe(`${env.emu.idcsUrl}/admin/v1/AppTemplates/CustomWebAppTemplateId`);
    expect(app.meta?.resourceType).toBe("App");
    expect(created.etag).toBe(`W/"${String(app.meta?.version)}"`);
    // The SDK sends its own opc-request-id (hex groups with dashes); the emulator echoes it.
    expect(created.opcRequestId).toMatch(/^[0-9A-F]{12}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/);
    const appId = String(app.id);

    const read = await client.getApp({ appId, attributeSets: [models.AttributeSets.All] });
    expect(read.app).toEqual(app);

    const listed = await client.listApps({
      filter: 'displayName eq "sdk-client"',
      attributeSets: [models.AttributeSets.Default, models.AttributeSets.Always],
    });
    expect(listed.apps.totalResults).toBe(1);
    expect(listed.apps.itemsPerPage).toBe(50);
    expect(listed.apps.startIndex).toBe(1);
    expect(listed.apps.resources.map((a) => a.id)).toEqual([appId]);

    const roles = await client.listAppRoles({
      filter: `app.value eq "${env.emu.oicAppId}" and displayName eq "ServiceUser"`,
    });
    expect(roles.appRoles.totalResults).toBe(1);
    const role = roles.appRoles.resources[0];
    expect(role?.app.value).toBe(env.emu.oicAppId);
    expect(role?.displayName).toBe("ServiceUser");

    const grant = await client.createGrant({
      grant: {
        schemas: ["urn:ietf:params:scim:schemas:oracle:idcs:Grant"],
        grantMechanism: models.Grant.GrantMechanism.AdministratorToApp,
        grantee: { type: models.GrantGrantee.Type.App, value: appId },
        app: { value: env.emu.oicAppId },
        entitlement: { attributeName: "appRoles", attributeValue: String(role?.id) },
      },
    });
    expect(grant.grant.grantee.value).toBe(appId);
    expect(grant.grant.entitlement?.attributeValue).toBe(role?.id);
    const withRole = await client.getApp({ appId });
    expect(withRole.app.grantedAppRoles?.map((r) => [r.display, r.appId, r.ref])).toEqual([
      ["ServiceUser", env.emu.oicAppId, `${env.emu.idcsUrl}/admin/v1/AppRoles/${String(role?.id)}`],
    ]);

    const token = await env.token(String(app.name), String(app.clientSecret), env.emu.scopes.icApi);
    expect(token.status).toBe(200);

    const activeDelete = await rejection(client.deleteApp({ appId, forceDelete: true }));
    expect(activeDelete.statusCode).toBe(400);
    // A SCIM body has no code/message, so the SDK falls back to the status text (Go reports BadErrorResponse).
    expect(activeDelete.serviceCode).toBe("None");

    const changed = await client.putAppStatusChanger({
      appStatusChangerId: appId,
      appStatusChanger: {
        active: false,
        schemas: ["urn:ietf:params:scim:schemas:oracle:idcs:AppStatusChanger"],
      },
    });
    expect(changed.appStatusChanger.active).toBe(false);
    expect(changed.appStatusChanger.id).toBe(appId);

    await client.deleteApp({ appId, forceDelete: true });
    const gone = await rejection(client.getApp({ appId }));
    expect(gone.statusCode).toBe(404);
    expect((await rejection(client.getGrant({ grantId: String(grant.grant.id) }))).statusCode).toBe(404);
  });

  it("replaces an app with putApp as the provider's Update does, keeping the client id and secret", async () => {
    const created = await client.createApp({
      app: {
        schemas: ["urn:ietf:params:scim:schemas:oracle:idcs:App"],
        displayName: "sdk-put",
        basedOnTemplate: { value: "CustomWebAppTemplateId" },
        isOAuthClient: true,
        clientType: models.App.ClientType.Confidential,
        allowedGrants: ["client_credentials"],
        active: true,
      },
    });
    const app = created.app;
    const replaced = await client.putApp({
      appId: String(app.id),
      app: {
        schemas: ["urn:ietf:params:scim:schemas:oracle:idcs:App"],
        displayName: "sdk-put-renamed",
        name: app.name,
        basedOnTemplate: { value: "CustomWebAppTemplateId" },
        isOAuthClient: true,
        clientType: models.App.ClientType.Confidential,
        allowedGrants: ["client_credentials"],
        allowedScopes: [{ fqs: env.emu.scopes.icApi }],
        active: false,
      },
      attributeSets: [models.AttributeSets.All],
    });
    expect(replaced.app).toMatchObject({
      id: app.id,
      name: app.name,
      clientSecret: app.clientSecret,
      displayName: "sdk-put-renamed",
      active: false,
    });
    expect(replaced.etag).toBe(`W/"${String(replaced.app.meta?.version)}"`);
  });

  it("surfaces SCIM errors as OciError with the HTTP status", async () => {
    const duplicate = await rejection(
      client.createApp({
        app: {
          schemas: ["urn:ietf:params:scim:schemas:oracle:idcs:App"],
          displayName: "sdk-put-renamed",
          basedOnTemplate: { value: "CustomWebAppTemplateId" },
        },
      }),
    );
    expect(duplicate.statusCode).toBe(409);
    const badFilter = await rejection(client.listApps({ filter: "displayName eq" }));
    expect(badFilter.statusCode).toBe(400);
  });
});
