#!/usr/bin/env node
"use strict";
require("./run-ts")(require.resolve("../tools/rehearsal/demo.ts"));
