"use strict";
// Entry of the "oci" plugin: the provider's sources are TypeScript, compiled on load by tsx (resolved from this
// checkout's node_modules, whatever directory the engine starts the plugin in).
require("tsx/cjs");
require("./main.ts");
