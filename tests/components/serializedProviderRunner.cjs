"use strict";
// Runs a serialized dynamic provider the way Pulumi's provider host does
// (@pulumi/pulumi cmd/dynamic-provider: requireFromString(text).handler()), in a plain Node process with
// no TypeScript loader. Usage: node serializedProviderRunner.cjs <file with the serialized text>
// stdin: {"method": "check" | "create" | "update" | "diff" | "delete", "args": [...], "config"?: {...}}
//   config: the stack config (full keys to strings) that the host hands `configure` before any other method.
// stdout: {"ok": true, "value": ...} or {"ok": false, "message": "..."}, as its last line (a library the provider
//   loads may print before it).
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
  const { method, args, config } = JSON.parse(input);
  try {
    const provider = requireFromString(text).handler();
    if (config !== undefined && provider.configure) {
      const get = (key) => (Object.hasOwn(config, key) ? config[key] : undefined);
      await provider.configure({ config: { get, require: get } });
    }
    const value = await provider[method](...args);
    process.stdout.write(`\n${JSON.stringify({ ok: true, value: value === undefined ? null : value })}`);
  } catch (error) {
    process.stdout.write(
      `\n${JSON.stringify({ ok: false, message: error instanceof Error ? error.message : String(error) })}`,
    );
  }
});
