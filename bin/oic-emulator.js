#!/usr/bin/env node
"use strict";
require("./run-ts")(require.resolve("../emulator/cli.ts"));
