import { describe, expect, it } from "vitest";
import { useEmulator } from "../../support/emulator";
import { newApiKey, signedRequest } from "./ociSigning";

const key = newApiKey();
const env = useEmulator({
  adminPublicKeyPem: key.publicKeyPem,
  instances: [{ name: "oicfra-emulator-fr", region: "eu-frankfurt-1" }],
});

describe("GET /20190131/integrationInstances/{id}", () => {
  it("answers the OCI Integration shape, with instanceUrl in OCI's form and the reachable design-time URL", async () => {
    const url = `${env.emu.idcsUrl}/20190131/integrationInstances/${env.emu.integrationInstanceId}`;
    const response = await signedRequest(key, { method: "GET", url, ca: env.ca });
    expect(response.status).toBe(200);
    expect(response.headers["opc-request-id"]).toMatch(/^[0-9A-F]{32}$/);
    const oicApp = (await env.admin("GET", `/admin/v1/Apps/${env.emu.oicAppId}`)).json();
    const body = response.json();
    expect(body).toMatchObject({
      id: env.emu.integrationInstanceId,
      displayName: "oicdev",
      integrationInstanceType: "ENTERPRISEX",
      lifecycleState: "ACTIVE",
      isByol: false,
      instanceUrl: `https://${env.emu.integrationInstance}.integration.us-ashburn-1.ocp.oraclecloud.com`,
      instanceDesignTimeUrl: env.emu.designTimeUrl,
      consumptionModel: "UCM",
      shape: "PRODUCTION",
      attachments: [],
      idcsInfo: {
        idcsAppLocationUrl: `${env.emu.idcsUrl}/admin/v1/Apps/${env.emu.oicAppId}`,
        idcsAppDisplayName: oicApp.displayName,
        idcsAppId: env.emu.oicAppId,
        idcsAppName: oicApp.name,
        instancePrimaryAudienceUrl: env.emu.audience,
      },
    });
    expect(body.compartmentId).toMatch(/^ocid1\.compartment\.oc1\.\.aaaaaaaa[a-z0-9]{52}$/);
    expect(env.emu.integrationInstanceId).toMatch(
      /^ocid1\.integrationinstance\.oc1\.iad\.amaaaaaa[a-z0-9]{52}$/,
    );
    expect(new Date(String(body.timeCreated)).toISOString()).toBe(body.timeCreated);
    // The program derives the service-instance name from instanceUrl's first DNS label.
    expect(new URL(String(body.instanceUrl)).hostname.split(".")[0]).toBe(env.emu.integrationInstance);
  });

  it("answers the extra instance with its own region and ids, and accepts the admin bearer token too", async () => {
    const extra = env.emu.instances[1];
    const response = await env.admin(
      "GET",
      `/20190131/integrationInstances/${String(extra?.integrationInstanceId)}`,
    );
    expect(response.status).toBe(200);
    expect(response.json()).toMatchObject({
      instanceUrl: "https://oicfra-emulator-fr.integration.eu-frankfurt-1.ocp.oraclecloud.com",
      idcsInfo: { idcsAppId: extra?.oicAppId, instancePrimaryAudienceUrl: extra?.audience },
    });
    expect(extra?.audience).toMatch(
      /^https:\/\/[0-9A-F]{32}\.integration\.eu-frankfurt-1\.ocp\.oraclecloud\.com:443$/,
    );
    expect(extra?.integrationInstanceId).toMatch(/^ocid1\.integrationinstance\.oc1\.fra\./);
  });

  it("answers OCI-style errors: 401 NotAuthenticated, 404 NotAuthorizedOrNotFound, 405", async () => {
    const base = `${env.emu.idcsUrl}/20190131/integrationInstances`;
    const unsigned = await env.request(`${base}/${env.emu.integrationInstanceId}`);
    expect(unsigned.status).toBe(401);
    expect(unsigned.json()).toEqual({
      code: "NotAuthenticated",
      message: "The required information to complete authentication was not provided or was incorrect.",
    });
    const unknown = await signedRequest(key, {
      method: "GET",
      url: `${base}/ocid1.integrationinstance.oc1.iad.nope`,
      ca: env.ca,
    });
    expect(unknown.status).toBe(404);
    expect(unknown.json()).toEqual({
      code: "NotAuthorizedOrNotFound",
      message: "Authorization failed or requested resource not found.",
    });
    const del = await env.request(`${base}/${env.emu.integrationInstanceId}`, { method: "DELETE" });
    expect(del.status).toBe(405);
    expect(del.json()).toEqual({
      code: "MethodNotAllowed",
      message: `Method DELETE is not allowed on /20190131/integrationInstances/${env.emu.integrationInstanceId}.`,
    });
  });
});
