#!/usr/bin/env node
"use strict";
require("./run-ts")(require.resolve("../cli/oic-verify.ts"));
