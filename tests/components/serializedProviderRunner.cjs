"use strict";
// Runs a serialized dynamic provider the way Pulumi's provider host does
// (@pulumi/pulumi cmd/dynamic-provider: requireFromString(text).handler()), in a plain Node process with
// no TypeScript loader. Usage: node serializedProviderRunner.cjs <file with the serialized text>
// stdin: {"method": "create" | "update" | "diff" | "delete", "args": [...]}
// stdout: {"ok": true, "value": ...} or {"ok": false, "message": "..."}
const { readFileSync } = require("node:fs");
const { createRequire } = require("node:module");
const path = require("node:path");

const fromPulumi = createRequire(
  require.resolve("@pulumi/pulumi/package.json", { paths: [path.resolve(__dirname, "../..")] }),
);
const requireFromString = fromPulumi("require-from-string");

const text = readFileSync(process.argv[2], "utf8");
let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", async () => {
  const { method, args } = JSON.parse(input);
  try {
    const provider = requireFromString(text).handler();
    const value = await provider[method](...args);
    process.stdout.write(JSON.stringify({ ok: true, value: value === undefined ? null : value }));
  } catch (error) {
    process.stdout.write(
      JSON.stringify({ ok: false, message: error instanceof Error ? error.message : String(error) }),
    );
  }
});
