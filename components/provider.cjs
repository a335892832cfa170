"use strict";
// Entry of the provider plugin (pulumi-resource-oic-client-provisioner): the package's sources are TypeScript,
// compiled on load by tsx, a dependency of this package resolved from here whatever directory the engine starts
// the plugin in.
require("tsx/cjs");
require("./provider.ts");
