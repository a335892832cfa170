import { execFile, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { beforeEach, describe, expect, it, vi } from "vitest";

import { main as verify } from "../../../cli/oic-verify";
import { main as demo } from "../../../tools/rehearsal/demo";

beforeEach(() => {
  // index.ts runs once per import: each rehearsal imports it afresh.
  vi.resetModules();
});

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

/** The shell lines printed for each client between its `# name` comment and its oic-verify command. */
function curlBlocks(instructions: string): Map<string, string> {
  const blocks = new Map<string, string>();
  let current: { name: string; lines: string[] } | undefined;
  for (const line of instructions.split("\n")) {
    const heading = /^# (\w+) \(/.exec(line);
    if (heading !== null) current = { name: heading[1] ?? "", lines: [] };
    else if (line.startsWith("npx oic-verify ") && current !== undefined) {
      blocks.set(current.name, current.lines.join("\n"));
      current = undefined;
    } else current?.lines.push(line);
  }
  return blocks;
}

/** A command run asynchronously: the emulator answering it lives in this process's event loop. */
function runAsync(
  file: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<{ status: number | null; stdout: string }> {
  return new Promise((resolve) => {
    execFile(file, [...args], { encoding: "utf8", timeout: 20_000, env }, (error, stdout) => {
      const status = error === null ? 0 : typeof error.code === "number" ? error.code : null;
      resolve({ status, stdout });
    });
  });
}

const hasTools = ["bash", "curl", "jq"].every(
  (tool) => spawnSync("sh", ["-c", `command -v ${tool}`], { encoding: "utf8" }).status === 0,
);

describe("npm run demo -- --keep: the curl commands", () => {
  it.runIf(hasTools)(
    "get a token and list connections, and no secret or token is ever on a command line",
    async () => {
      // A curl in front of the real one that writes down every argument it is started with, as `ps` shows them.
      const bin = mkdtempSync(join(tmpdir(), "curl-argv-"));
      const argvLog = join(bin, "argv.log");
      const realCurl = spawnSync("sh", ["-c", "command -v curl"], { encoding: "utf8" }).stdout.trim();
      writeFileSync(
        join(bin, "curl"),
        `#!/bin/sh\nprintf '%s\\n' "$@" >> '${argvLog}'\nexec '${realCurl}' "$@"\n`,
      );
      chmodSync(join(bin, "curl"), 0o755);
      const out = capture();
      const ran = new Map<string, { status: number | null; stdout: string }>();
      const secrets: string[] = [];
      try {
        const code = await demo(
          ["--keep"],
          { stdout: out.stream, stderr: capture().stream, env: {} },
          async () => {
            for (const args of verifyCommands(out.text())) {
              secrets.push(readFileSync(args[args.indexOf("--secret-file") + 1] ?? "", "utf8"));
            }
            for (const [name, block] of curlBlocks(out.text())) {
              const run = await runAsync("bash", ["-c", `set -o pipefail\n${block}`], {
                ...process.env,
                PATH: `${bin}:${process.env["PATH"] ?? ""}`,
              });
              ran.set(name, { status: run.status, stdout: run.stdout });
            }
          },
        );
        expect(code).toBe(0);
        expect(out.text()).not.toContain("$(");
        expect([...ran.keys()]).toEqual(["reporting", "orders", "ci"]);
        for (const name of ["reporting", "ci"]) {
          expect(ran.get(name)?.status).toBe(0);
          expect(ran.get(name)?.stdout.trim().split("\n")).toHaveLength(12);
        }
        expect(ran.get("orders")?.status).toBe(0);
        expect(JSON.parse(ran.get("orders")?.stdout ?? "")).toEqual({
          token_type: "Bearer",
          expires_in: 3600,
        });

        const argv = readFileSync(argvLog, "utf8");
        expect(argv).toContain("-K");
        expect(secrets).toHaveLength(3);
        for (const secret of secrets) {
          expect(secret).toMatch(/^idcscs-/);
          expect(argv).not.toContain(secret);
        }
        expect(argv).not.toMatch(/Bearer|eyJ/);
      } finally {
        rmSync(bin, { recursive: true, force: true });
      }
    },
  );
});

describe("the demo's command line", () => {
  it("runs as `npm run demo` does, through the bin shim, and exits 0", () => {
    // A plain node process, as npm starts it: none of the test runner's variables.
    const { VITEST: _vitest, ...env } = process.env;
    const run = spawnSync(
      process.execPath,
      [join(__dirname, "..", "..", "..", "bin", "oic-demo.js"), "--json"],
      {
        encoding: "utf8",
        timeout: 60_000,
        env: { ...env, NO_COLOR: "1" },
      },
    );
    expect(run.status).toBe(0);
    const result = JSON.parse(run.stdout) as { ok: boolean; clients: Array<{ check: string }> };
    expect(result.ok).toBe(true);
    expect(result.clients.map((client) => client.check)).toEqual(["ok", "ok", "ok"]);
  });
});
