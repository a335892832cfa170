/**
 * The component package served as a Pulumi provider plugin, for programs in other languages (YAML, Python, Go…):
 * the engine runs `pulumi-resource-oic-client-provisioner` beside this file, which loads it. It derives the
 * package's schema from this folder's TypeScript source and constructs `OicConfidentialClient` on the engine's
 * `Construct` calls.
 *
 * Explicit rather than inferred: a current Node.js language host would infer the components from `main`'s exports
 * and name the package after package.json's `name`; here the Pulumi package is named by the component's type
 * token, whatever the npm name, and the executable runs without the language host's `RunPlugin`, which the host
 * built for the engine tests predates (docs/engine.md, "The YAML consumer").
 */
import { componentProviderHost } from "@pulumi/pulumi/provider/experimental";

import { OIC_CONFIDENTIAL_CLIENT_TYPE, OicConfidentialClient } from "./oicConfidentialClient";

/** The Pulumi package name, `oic-client-provisioner`: the first part of the component's type token. */
export const PULUMI_PACKAGE_NAME = OIC_CONFIDENTIAL_CLIENT_TYPE.split(":")[0] ?? "";

componentProviderHost({
  name: PULUMI_PACKAGE_NAME,
  dirname: __dirname,
  components: [OicConfidentialClient],
}).catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
