/**
 * The provisioning program, run with `pulumi up` per environment: read the stack's config (failing before any
 * resource is declared if it is wrong), resolve the OIC instance facts, declare one confidential client per
 * configured client, and export what a consumer needs. The client secret is exported only as a secret, so a
 * reader of the stack cannot get a token without being allowed to read secrets.
 */
import { OicConfidentialClient, resolveOicInstanceFacts } from "./components";
import { loadStackConfig } from "./config";

const config = loadStackConfig();
const instance = resolveOicInstanceFacts(
  config.integrationInstance,
  config.identityDomain.allowPlainHttpOnLoopback,
);

const provisioned = config.clients.map((client) => ({
  client,
  component: new OicConfidentialClient(client.name, {
    idcsEndpoint: config.identityDomain.endpoint,
    allowPlainHttpOnLoopback: config.identityDomain.allowPlainHttpOnLoopback,
    oicAppId: instance.oicAppId,
    // Empty when neither OCI nor the stack gives one: the component then uses the OIC app's own audience.
    audience: instance.apply((facts) => facts.audience ?? ""),
    designTimeUrl: instance.designTimeUrl,
    integrationInstance: instance.integrationInstance,
    displayName: client.displayName,
    description: client.description,
    roles: [...client.roles],
    scopes: [...client.scopes],
    probe: client.probe,
  }),
}));

/** The identity domain the clients live in. */
export const identityDomainEndpoint = config.identityDomain.endpoint;

/** What the program knows about the OIC instance: app id, audience, URLs and the service-instance name. */
export const oicInstance = instance;

/** Per client name: everything a consumer needs to get a token and call OIC; `clientSecret` is a secret. */
export const clients = Object.fromEntries(
  provisioned.map(({ client, component }) => [
    client.name,
    {
      displayName: component.displayName,
      clientId: component.clientId,
      clientSecret: component.clientSecret,
      appId: component.appId,
      tokenUrl: component.tokenUrl,
      scope: component.scope,
      allowedScopes: component.allowedScopes,
      audience: component.audience,
      roles: component.roles,
      probe: component.probe,
      grantIds: component.grantIds,
      designTimeUrl: component.designTimeUrl,
      integrationInstance: component.integrationInstance,
    },
  ]),
);
