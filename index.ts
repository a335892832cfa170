/**
 * The provisioning program, `pulumi up` per environment: the stack's config (a wrong one, or credentials the destroy
 * step could not resolve, fail before anything is declared), the OIC instance's facts, one `OicConfidentialClient`
 * per configured client (each checks itself after its grants), and the outputs: `clients` holds nothing secret, the
 * client secrets are apart, as one secret.
 */
import * as pulumi from "@pulumi/pulumi";

import { OicConfidentialClient, resolveOicInstanceFacts } from "./components";
import { checkDestroyCredentials, instanceFactRules, loadStackConfig } from "./config";

const config = loadStackConfig();
const { identityDomain, verification } = config;
// Every client's resources wait for this: when the step that deactivates apps at destroy could not sign, nothing is
// created, rather than apps that no destroy could remove.
const endpoint = pulumi.output(checkDestroyCredentials(config).then(() => identityDomain.endpoint));
const instance = resolveOicInstanceFacts(
  config.integrationInstance,
  instanceFactRules(identityDomain.allowPlainHttpOnLoopback),
);

const provisioned = config.clients.map((client) => ({
  name: client.name,
  component: new OicConfidentialClient(client.name, {
    idcsEndpoint: endpoint,
    allowPlainHttpOnLoopback: identityDomain.allowPlainHttpOnLoopback,
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
    retryBudgetSeconds: verification.retryBudgetSeconds,
    verifyOnEveryUp: verification.verifyOnEveryUp,
    concurrency: verification.concurrency,
    caFile: verification.caFile,
    deactivateBeforeDelete: config.destroy.deactivateBeforeDelete,
    ociConfigFile: config.destroy.ociConfigFile,
  }),
}));

/** The identity domain the clients live in. */
export const identityDomainEndpoint = identityDomain.endpoint;
/** What the program knows about the OIC instance: app id, audience, URLs and the service-instance name. */
export const oicInstance = instance;
/** Per client name, its `ClientFacts`: what a consumer needs and what the access check found; nothing secret. */
export const clients = Object.fromEntries(provisioned.map(({ name, component }) => [name, component.facts]));
/** Per client name, its client secret; the whole map is one secret. */
export const clientSecrets = pulumi.secret(
  Object.fromEntries(provisioned.map(({ name, component }) => [name, component.clientSecret])),
);
