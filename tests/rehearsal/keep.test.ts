import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

import { describe, expect, it } from "vitest";

import { main as verify } from "../../cli/oic-verify";
import { main as demo } from "../../rehearsal/demo";

function capture() {
  let text = "";
  return { stream: { write: (chunk: string) => (text += chunk), isTTY: false }, text: () => text };
}

/** The `npx oic-verify …` commands printed by --keep, as argument lists. */
function verifyCommands(instructions: string): string[][] {
  const commands: string[][] = [];
  const joined = instructions.replace(/ \\\n\s*/g, " ");
  for (const line of joined.split("\n")) {
    if (!line.startsWith("npx oic-verify ")) continue;
    const words = line.slice("npx oic-verify ".length).match(/'[^']*'|\S+/g) ?? [];
    commands.push(words.map((word) => word.replace(/^'(.*)'$/, "$1")));
  }
  return commands;
}

describe("npm run demo -- --keep", () => {
  it("leaves the stack deployed and prints oic-verify commands that pass against it, secrets kept in files", async () => {
    const out = capture();
    const err = capture();
    const results: Array<{ code: number; json: string }> = [];
    let secretFiles: string[] = [];
    const code = await demo(["--keep"], { stdout: out.stream, stderr: err.stream, env: {} }, async () => {
      // While the demo waits for Ctrl+C: run each printed command, as a newcomer would paste it.
      const commands = verifyCommands(out.text());
      secretFiles = commands.map((args) => args[args.indexOf("--secret-file") + 1] ?? "");
      for (const args of commands) {
        const stdout = capture();
        const code = await verify([...args, "--json", "--retry-budget", "0"], {
          stdout: stdout.stream,
          stderr: capture().stream,
          env: {},
        });
        results.push({ code, json: stdout.text() });
      }
    });
    expect(code).toBe(0);
    expect(out.text()).toContain("The stack stays deployed on the emulator until you press Ctrl+C.");
    expect(results.map((r) => r.code)).toEqual([0, 0, 0]);
    expect(results.map((r) => (JSON.parse(r.json) as { diagnosis: string }).diagnosis)).toEqual([
      "ok",
      "ok",
      "ok",
    ]);
    expect(out.text()).not.toMatch(/idcscs-[0-9a-f]{4}/);
    // The secret files go away with the demo.
    expect(secretFiles).toHaveLength(3);
    for (const file of secretFiles) expect(existsSync(file)).toBe(false);
  });
});

describe("the demo's command line", () => {
  it("runs as `npm run demo` does, through the bin shim, and exits 0", () => {
    // A plain node process, as npm starts it: none of the test runner's variables.
    const { VITEST: _vitest, ...env } = process.env;
    const run = spawnSync(process.execPath, [join(__dirname, "..", "..", "bin", "oic-demo.js"), "--json"], {
      encoding: "utf8",
      timeout: 60_000,
      env: { ...env, NO_COLOR: "1" },
    });
    expect(run.status).toBe(0);
    const result = JSON.parse(run.stdout) as { ok: boolean; clients: Array<{ check: string }> };
    expect(result.ok).toBe(true);
    expect(result.clients.map((client) => client.check)).toEqual(["ok", "ok", "ok"]);
  });
});
