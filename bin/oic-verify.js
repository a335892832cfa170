#!/usr/bin/env node
"use strict";
require("./launch").launch("oic-verify", require.resolve("../cli/oic-verify.ts"));
