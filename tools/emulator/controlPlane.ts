/**
 * The OCI Integration control-plane read `GET /20190131/integrationInstances/{id}` (fields as in oci-go-sdk
 * integration/integration_instance.go and idcs_info_details.go), served on the identity host so that one
 * emulator answers everything the program reads. The body has the camelCase shape of the OCI SDKs'
 * `integration.IntegrationInstance`. `instanceUrl` is in OCI's shape
 * (`https://<service-instance>.integration.<region>.ocp.oraclecloud.com`: the program derives the service
 * instance name from its first DNS label); `instanceDesignTimeUrl` is the emulator's reachable design-time
 * listener (docs/ARCHITECTURE.md "Decisions"). Authorization is the admin API's; errors are OCI's
 * `{code, message}`.
 */
import { type EmulatorContext, type OicInstance } from "./context";
import { jsonReply, type Reply } from "./http";
import { authorizeAdmin } from "./identity/auth";
import { notAuthenticated, notAuthorizedOrNotFound } from "./ociErrors";
import { type Router } from "./router";
import { ScimError } from "./scim/errors";

export const CONTROL_PLANE_PREFIX = "/20190131";

export function integrationInstanceJson(
  ctx: EmulatorContext,
  instance: OicInstance,
): Record<string, unknown> {
  const created = new Date(instance.timeCreated).toISOString();
  return {
    id: instance.id,
    displayName: instance.displayName,
    compartmentId: ctx.info.compartmentOcid,
    integrationInstanceType: "ENTERPRISEX",
    isByol: false,
    instanceUrl: `https://${instance.name}.integration.${instance.region}.ocp.oraclecloud.com`,
    instanceDesignTimeUrl: ctx.info.designTimeUrl,
    messagePacks: 1,
    timeCreated: created,
    timeUpdated: created,
    lifecycleState: "ACTIVE",
    lifecycleDetails: null,
    stateMessage: null,
    freeformTags: {},
    definedTags: {},
    systemTags: {},
    securityAttributes: {},
    isFileServerEnabled: false,
    isVisualBuilderEnabled: false,
    customEndpoint: null,
    alternateCustomEndpoints: [],
    consumptionModel: "UCM",
    networkEndpointDetails: null,
    idcsInfo: {
      idcsAppLocationUrl: `${ctx.info.idcsUrl}/admin/v1/Apps/${instance.appId}`,
      idcsAppDisplayName: instance.appDisplayName,
      idcsAppId: instance.appId,
      idcsAppName: instance.appName,
      // Unconfirmed: no public source shows whether the real value carries `:443`; it equals the app's
      // audience here.
      instancePrimaryAudienceUrl: instance.audience,
    },
    attachments: [],
    shape: "PRODUCTION",
    privateEndpointOutboundConnection: null,
    isDisasterRecoveryEnabled: false,
    disasterRecoveryDetails: null,
    dataRetentionPeriod: "MONTHS_1",
    domainId: ctx.info.domainOcid,
  };
}

export function registerControlPlane(router: Router, ctx: EmulatorContext): void {
  router.add("GET", `${CONTROL_PLANE_PREFIX}/integrationInstances/:id`, async (request): Promise<Reply> => {
    try {
      await authorizeAdmin(request, ctx);
    } catch (error) {
      if (error instanceof ScimError) return notAuthenticated();
      throw error;
    }
    const instance = ctx.instances.find((candidate) => candidate.id === request.params.id);
    if (!instance) return notAuthorizedOrNotFound();
    return jsonReply(200, integrationInstanceJson(ctx, instance), { etag: `"${instance.id.slice(-16)}"` });
  });
}
