import * as oci from "@pulumi/oci";
import * as pulumi from "@pulumi/pulumi";
import {
  deriveInstanceFacts,
  OicFactsError,
  type DeriveInstanceFactsOptions,
  type InstanceFactOverrides,
  type IntegrationInstanceData,
  type OicInstanceFacts,
} from "./oic";

/**
 * The OIC instance facts for a stack: read from OCI when the stack names the instance by OCID (one
 * `getIntegrationInstance` call), with the stack's explicit facts winning field by field. A fact that can be
 * neither derived nor taken from the stack fails the deployment with a message naming the setting to add.
 */
export function resolveOicInstanceFacts(
  instance: InstanceFactOverrides,
  rules: DeriveInstanceFactsOptions,
  opts?: pulumi.InvokeOutputOptions,
): pulumi.Output<OicInstanceFacts> {
  const data: pulumi.Output<IntegrationInstanceData | undefined> =
    instance.id === undefined
      ? pulumi.output(undefined)
      : oci.integration.getIntegrationInstanceOutput({ integrationInstanceId: instance.id }, opts);
  return data.apply((reported) => {
    try {
      return deriveInstanceFacts(instance, reported, rules);
    } catch (error) {
      // A RunError, so that Pulumi prints the message without a stack trace; and a stack of its first line only,
      // as OicConfidentialClient's errors: formatting a frame inside `apply` loops on Node.js 20.20.2 (docs/engine.md).
      if (error instanceof OicFactsError) {
        const failure = new pulumi.RunError(error.message);
        failure.stack = `RunError: ${error.message}`;
        throw failure;
      }
      throw error;
    }
  });
}
