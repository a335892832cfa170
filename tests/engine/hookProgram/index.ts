/**
 * The deactivate-before-delete step written as a resource hook (`beforeDelete`, Pulumi >= 3.182) instead of the
 * `AppDeactivation` dynamic resource, to measure what a plain `pulumi destroy` and `pulumi destroy --run-program` do
 * with it (tests/engine/hooks.test.ts). The hook keeps nothing in the state: it resolves the credentials from the
 * stack's `oci:` keys, the environment and the files when it runs, as the dynamic resource does.
 * https://www.pulumi.com/docs/iac/concepts/options/hooks/
 */
import * as oci from "@pulumi/oci";
import * as pulumi from "@pulumi/pulumi";

import { deactivateApp } from "../../../components/identityDomain";
import { stackSettings } from "../../../components/signing";

const config = new pulumi.Config();
const idcsEndpoint = config.require("idcsEndpoint");
const caFile = config.get("caFile");

const deactivate = new pulumi.ResourceHook("deactivate-before-delete", async (args) => {
  const all = pulumi.runtime.allConfig();
  await deactivateApp({
    idcsEndpoint,
    appId: args.id,
    signWith: { settings: stackSettings({ get: (key) => all[key] }) },
    ...(caFile === undefined ? {} : { caFile }),
  });
});

const app = new oci.identity.DomainsApp(
  "hooked-app",
  {
    idcsEndpoint,
    schemas: ["urn:ietf:params:scim:schemas:oracle:idcs:App"],
    basedOnTemplate: { value: "CustomWebAppTemplateId", wellKnownId: "CustomWebAppTemplateId" },
    displayName: "hooked-app",
    isOauthClient: true,
    clientType: "confidential",
    allowedGrants: ["client_credentials"],
    active: true,
    attributeSets: ["all"],
  },
  { hooks: { beforeDelete: [deactivate] }, additionalSecretOutputs: ["clientSecret"] },
);

export const appId = app.id;
