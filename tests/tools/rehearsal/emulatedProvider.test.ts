import { beforeAll, describe, expect, it } from "vitest";

import {
  emulatedOciProvider,
  OciProviderError,
  type EmulatedOciProvider,
} from "../../../tools/rehearsal/ociProvider/emulatedProvider";
import { newApiKey, signedClient } from "../emulator/ociSigning";
import { useEmulator } from "../../support/emulator";
import { undeclaredPaths } from "./declaredShape";

const key = newApiKey();
const env = useEmulator({ adminPublicKeyPem: key.publicKeyPem });
let provider: EmulatedOciProvider;

beforeAll(() => {
  provider = emulatedOciProvider({
    client: signedClient(key, env.emu.caFile),
    integrationEndpoint: env.emu.idcsUrl,
  });
});

/** What OicConfidentialClient registers for its app, in pulumi-oci's names. */
function appInputs(displayName: string, fqs: readonly string[]) {
  return {
    idcsEndpoint: env.emu.idcsUrl,
    schemas: ["urn:ietf:params:scim:schemas:oracle:idcs:App"],
    basedOnTemplate: { value: "CustomWebAppTemplateId", wellKnownId: "CustomWebAppTemplateId" },
    displayName,
    description: "rehearsal",
    isOauthClient: true,
    clientType: "confidential",
    allowedGrants: ["client_credentials"],
    allowedScopes: fqs.map((value) => ({ fqs: value })),
    active: true,
    attributeSets: ["all"],
  };
}

describe("data sources, answered by the identity domain and the control plane", () => {
  it("getIntegrationInstance reads the instance with pulumi-oci's names (idcsInfos[0], state)", async () => {
    const result = await provider.getIntegrationInstance({
      integrationInstanceId: env.emu.integrationInstanceId,
    });
    expect(
      undeclaredPaths("integration/getIntegrationInstance.d.ts", "GetIntegrationInstanceResult", result),
    ).toEqual([]);
    expect(result).toMatchObject({
      id: env.emu.integrationInstanceId,
      integrationInstanceId: env.emu.integrationInstanceId,
      instanceDesignTimeUrl: env.emu.designTimeUrl,
      state: "ACTIVE",
      idcsInfos: [{ idcsAppId: env.emu.oicAppId, instancePrimaryAudienceUrl: env.emu.audience }],
    });
  });

  it("getDomainsApp of the OIC app gives its audience and published fully qualified scopes", async () => {
    const result = await provider.getApp({
      idcsEndpoint: env.emu.idcsUrl,
      appId: env.emu.oicAppId,
      attributeSets: ["all"],
    });
    expect(undeclaredPaths("identity/getDomainsApp.d.ts", "GetDomainsAppResult", result)).toEqual([]);
    expect(result["audience"]).toBe(env.emu.audience);
    expect((result["scopes"] as { fqs: string }[]).map((scope) => scope.fqs).sort()).toEqual(
      [env.emu.scopes.consumerAll, env.emu.scopes.icApi].sort(),
    );
    expect(result["isOauthResource"]).toBe(true);
  });

  it("getDomainsAppRoles filters by name and app, nested app as apps[0]", async () => {
    const result = await provider.getAppRoles({
      idcsEndpoint: env.emu.idcsUrl,
      appRoleFilter: `displayName eq "ServiceUser" and app.value eq "${env.emu.oicAppId}"`,
    });
    expect(undeclaredPaths("identity/getDomainsAppRoles.d.ts", "GetDomainsAppRolesResult", result)).toEqual(
      [],
    );
    const roles = result["appRoles"] as { displayName: string; apps: { value: string }[] }[];
    expect(roles).toHaveLength(1);
    expect(roles[0]).toMatchObject({ displayName: "ServiceUser", apps: [{ value: env.emu.oicAppId }] });
    expect(result["totalResults"]).toBe(1);
  });

  it("getDomainsAppRoles follows the provider's paging loop over every page", async () => {
    const result = await provider.getAppRoles({
      idcsEndpoint: env.emu.idcsUrl,
      appRoleFilter: `app.value eq "${env.emu.oicAppId}"`,
      appRoleCount: 3,
    });
    const names = (result["appRoles"] as { displayName: string }[]).map((role) => role.displayName).sort();
    expect(names).toEqual([
      "ServiceAdministrator",
      "ServiceDeployer",
      "ServiceDeveloper",
      "ServiceEndUser",
      "ServiceInvoker",
      "ServiceMonitor",
      "ServiceUser",
      "ServiceViewer",
    ]);
  });
});

describe("resources, created and deleted as terraform-provider-oci does", () => {
  it("creates an app from pulumi-oci inputs (isOauthClient → isOAuthClient) and returns its state", async () => {
    const created = await provider.createApp(appInputs("rehearsal-app", [env.emu.scopes.icApi]));
    expect(undeclaredPaths("identity/domainsApp.d.ts", "DomainsApp", created.state)).toEqual([]);
    expect(created.id).toMatch(/^[0-9a-f]{32}$/);
    expect(created.state["name"]).toMatch(/^[0-9a-f]{32}$/);
    expect(created.state["name"]).not.toBe(created.id);
    expect(created.state["clientSecret"]).toMatch(/^idcscs-[0-9a-f-]{36}$/);
    expect(created.state["basedOnTemplate"]).toMatchObject({ value: "CustomWebAppTemplateId" });
    expect(created.state["allowedScopes"]).toMatchObject([
      { fqs: env.emu.scopes.icApi, idOfDefiningApp: env.emu.oicAppId },
    ]);
    expect(env.emu.control.state().apps).toContainEqual({
      id: created.id,
      name: created.state["name"],
      displayName: "rehearsal-app",
      active: true,
      isOAuthClient: true,
    });
  });

  it("fails the create with the provider's BadErrorResponse and the SCIM detail for a scope OIC does not publish", async () => {
    const bogus = `${env.emu.audience}/not/a/scope/`;
    const error = await provider
      .createApp(appInputs("bogus-scope", [bogus]))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OciProviderError);
    expect((error as Error).message).toMatch(
      new RegExp(
        `^CreateApp \\(POST ${env.emu.idcsUrl}/admin/v1/Apps\\): Error returned by IdentityDomains Service\\. Http Status Code: 400\\. Error Code: BadErrorResponse\\. Detail: .+`,
      ),
    );
  });

  it("grants a role, and deletes as the provider does: an active app is refused, grants and inactive apps go", async () => {
    const app = await provider.createApp(appInputs("rehearsal-grantee", [env.emu.scopes.icApi]));
    const roles = await provider.getAppRoles({
      idcsEndpoint: env.emu.idcsUrl,
      appRoleFilter: `displayName eq "ServiceUser" and app.value eq "${env.emu.oicAppId}"`,
    });
    const roleId = (roles["appRoles"] as { id: string }[])[0]?.id;
    const grant = await provider.createGrant({
      idcsEndpoint: env.emu.idcsUrl,
      schemas: ["urn:ietf:params:scim:schemas:oracle:idcs:Grant"],
      grantMechanism: "ADMINISTRATOR_TO_APP",
      grantee: { type: "App", value: app.id },
      app: { value: env.emu.oicAppId },
      entitlement: { attributeName: "appRoles", attributeValue: roleId },
      attributeSets: ["all"],
    });
    expect(undeclaredPaths("identity/domainsGrant.d.ts", "DomainsGrant", grant.state)).toEqual([]);
    expect(grant.state["grantee"]).toMatchObject({ type: "App", value: app.id });
    expect(env.emu.control.state().grants).toContainEqual({
      id: grant.id,
      granteeId: app.id,
      appId: env.emu.oicAppId,
      roleId,
    });

    await provider.deleteGrant(grant.id, grant.state);
    expect(env.emu.control.state().grants.map((g) => g.id)).not.toContain(grant.id);
    await expect(provider.deleteApp(app.id, { ...app.state, forceDelete: true })).rejects.toThrow(
      `DeleteApp (DELETE ${env.emu.idcsUrl}/admin/v1/Apps/${app.id}): Error returned by IdentityDomains Service. Http Status Code: 400. Error Code: BadErrorResponse.`,
    );
    await env.admin("PUT", `/admin/v1/AppStatusChanger/${app.id}`, {
      active: false,
      schemas: ["urn:ietf:params:scim:schemas:oracle:idcs:AppStatusChanger"],
    });
    await provider.deleteApp(app.id, app.state);
    expect(env.emu.control.state().apps.map((a) => a.id)).not.toContain(app.id);
    // Gone already: the provider treats 404 on delete as success.
    await expect(provider.deleteApp(app.id, app.state)).resolves.toBeUndefined();
  });
});
