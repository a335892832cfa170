/**
 * The provisioning program, run with `pulumi up` per environment: read the stack's config (failing before any
 * resource is declared if it is wrong), resolve the OIC instance facts, declare one confidential client per
 * configured client, prove each one works with an access check after its grants, and export what a consumer
 * needs. The client secret is exported only as a secret, so a reader of the stack cannot get a token without
 * being allowed to read secrets.
 */
import * as pulumi from "@pulumi/pulumi";

import { accessCheckTrigger, createAccessCheck, type OicAccessCheck } from "./components/accessCheck";
import { OicConfidentialClient, resolveOicInstanceFacts } from "./components";
import { instanceFactRules, loadStackConfig } from "./config";

const config = loadStackConfig();
const instance = resolveOicInstanceFacts(
  config.integrationInstance,
  instanceFactRules(config.identityDomain.allowPlainHttpOnLoopback),
);

const checks: OicAccessCheck[] = [];
const provisioned = config.clients.map((client) => {
  const component = new OicConfidentialClient(client.name, {
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
    deactivateBeforeDelete: config.destroy.deactivateBeforeDelete,
    ociCredentials: config.destroy.credentials,
    caFile: config.verification.caFile,
  });
  // After every grant, and after the check `concurrency` places earlier: at most that many run at once.
  const earlier = checks[checks.length - config.verification.concurrency];
  const check = createAccessCheck(
    `${client.name}-access-check`,
    {
      clientId: component.clientId,
      clientSecret: component.clientSecret,
      scope: component.scope,
      roles: client.roles,
      probe: client.probe,
      trigger: accessCheckTrigger([
        component.appId,
        component.grantIds.apply((ids) => ids.join(",")),
        component.allowedScopes.apply((scopes) => scopes.join(" ")),
      ]),
    },
    {
      tokenUrl: component.tokenUrl,
      designTimeUrl: component.designTimeUrl,
      integrationInstance: component.integrationInstance,
      retryBudgetSeconds: config.verification.retryBudgetSeconds,
      verifyOnEveryUp: config.verification.verifyOnEveryUp,
      caFile: config.verification.caFile,
      allowPlainHttpOnLoopback: config.identityDomain.allowPlainHttpOnLoopback,
    },
    { parent: component, dependsOn: [...component.grants, ...(earlier === undefined ? [] : [earlier])] },
  );
  if (check !== undefined) checks.push(check);
  return { client, component, check };
});

/** The identity domain the clients live in. */
export const identityDomainEndpoint = config.identityDomain.endpoint;

/** What the program knows about the OIC instance: app id, audience, URLs and the service-instance name. */
export const oicInstance = instance;

/** Per client name: everything a consumer needs to get a token and call OIC; `clientSecret` is a secret. */
export const clients = Object.fromEntries(
  provisioned.map(({ client, component, check }) => [
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
      // What the post-deploy check found; absent for probe "none".
      ...(check === undefined
        ? {}
        : {
            accessCheck: pulumi.output({
              diagnosis: check.diagnosis,
              httpStatus: check.httpStatus,
              connections: check.connections,
              tokenExpiresAt: check.tokenExpiresAt,
              checkedAt: check.checkedAt,
            }),
          }),
    },
  ]),
);
