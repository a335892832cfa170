#!/usr/bin/env node
"use strict";
require("./launch").launch("oic-emulator", require.resolve("../tools/emulator/cli.ts"));
