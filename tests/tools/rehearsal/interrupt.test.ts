/**
 * Ctrl+C or SIGTERM during `npm run demo`: the rehearsal stops where it is, the emulator is shut down and its
 * temporary directory removed, and the demo says what the emulator held. Each test gives the demo a temporary
 * directory of its own (TMPDIR) and checks that nothing of the demo is left in it.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { main as demo, type SignalSource } from "../../../tools/rehearsal/demo";

const ROOT = join(__dirname, "..", "..", "..");
const originalTmpdir = process.env["TMPDIR"];
let scratch: string;

beforeEach(() => {
  vi.resetModules();
  scratch = mkdtempSync(join(tmpdir(), "demo-interrupt-"));
});

afterEach(() => {
  if (originalTmpdir === undefined) delete process.env["TMPDIR"];
  else process.env["TMPDIR"] = originalTmpdir;
  rmSync(scratch, { recursive: true, force: true });
});

/** What the demo created in the temporary directory and did not remove (tsx's own cache is not the demo's). */
function demoLeftovers(): string[] {
  return readdirSync(scratch).filter((entry) => /^oic-(emulator|demo)-/.test(entry));
}

/** Signals a test sends itself, at the moment it chooses. */
function fakeSignals(): { source: SignalSource; send(signal: NodeJS.Signals): void } {
  let handler: ((signal: NodeJS.Signals) => void) | undefined;
  return {
    source: {
      listen(listener) {
        handler = listener;
        return () => {
          handler = undefined;
        };
      },
    },
    send: (signal) => handler?.(signal),
  };
}

const INTERRUPTED = (signal: string) =>
  `Interrupted by ${signal}: the emulator was shut down and its temporary directory removed.`;
const HELD_APPS =
  /^It held [1-3] app\(s\) \[demo-\w+ \(active\)(, demo-\w+ \(active\))*\] and [0-4] grant\(s\) of the stack when it stopped; they existed only in this process\.$/;

describe("Ctrl+C during the demo, in process", () => {
  it("stops after the first app is created, removes the emulator's directory and says what it held", async () => {
    process.env["TMPDIR"] = scratch;
    const signals = fakeSignals();
    let stdout = "";
    let sent = false;
    const code = await demo(
      [],
      {
        stdout: {
          write: (chunk: string) => {
            stdout += chunk;
            if (!sent && /\+ DomainsApp /.test(chunk)) {
              sent = true;
              signals.send("SIGINT");
            }
            return true;
          },
          isTTY: false,
        },
        stderr: { write: () => true, isTTY: false },
        env: {},
      },
      undefined,
      {},
      signals.source,
    );
    expect(sent).toBe(true);
    expect(code).toBe(130);
    const lines = stdout.split("\n");
    const at = lines.indexOf(INTERRUPTED("SIGINT"));
    expect(at).toBeGreaterThan(0);
    expect(lines[at + 1]).toMatch(HELD_APPS);
    // Nothing is printed for the calls that failed because the emulator went away, nor a destroy.
    expect(
      lines.slice(lines.findIndex((line) => /\+ DomainsApp /.test(line)) + 1, at - 1),
    ).not.toContainEqual(expect.stringContaining("failed"));
    expect(stdout).not.toContain("pulumi destroy");
    expect(demoLeftovers()).toEqual([]);
  });

  it("with --json, a signal before the deployment: one JSON object saying so, nothing left", async () => {
    process.env["TMPDIR"] = scratch;
    const signals = fakeSignals();
    let stdout = "";
    const io = {
      stdout: { write: (chunk: string) => ((stdout += chunk), true), isTTY: false },
      stderr: { write: () => true, isTTY: false },
      env: {},
    };
    const running = demo(["--json"], io, undefined, {}, signals.source);
    signals.send("SIGTERM");
    expect(await running).toBe(143);
    expect(JSON.parse(stdout)).toMatchObject({
      ok: false,
      interrupted: "SIGTERM",
      deployed: false,
      leftover: { apps: [], grants: [] },
    });
    expect(demoLeftovers()).toEqual([]);
  });
});

/** Runs the demo as `npm run demo` does and sends it `signal` once its output contains `when`. */
function demoProcess(
  args: readonly string[],
  when: string,
  signal: NodeJS.Signals,
): Promise<{ code: number | null; killedBy: NodeJS.Signals | null; stdout: string }> {
  const { VITEST: _vitest, ...env } = process.env;
  const child = spawn(process.execPath, [join(ROOT, "bin", "oic-demo.js"), ...args], {
    env: { ...env, NO_COLOR: "1", TMPDIR: scratch },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let sent = false;
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    stdout += chunk;
    if (!sent && stdout.includes(when)) {
      sent = true;
      child.kill(signal);
    }
  });
  child.stderr.resume();
  return new Promise((resolve) => {
    child.on("exit", (code, killedBy) => resolve({ code, killedBy, stdout }));
  });
}

describe("signals to the demo's process", () => {
  it("SIGTERM during the deployment: exit code 143, the emulator's directory removed", async () => {
    const run = await demoProcess([], "+ DomainsApp ", "SIGTERM");
    expect(run.killedBy).toBeNull();
    expect(run.code).toBe(143);
    const lines = run.stdout.split("\n");
    const at = lines.indexOf(INTERRUPTED("SIGTERM"));
    expect(at).toBeGreaterThan(0);
    expect(lines[at + 1]).toMatch(HELD_APPS);
    expect(demoLeftovers()).toEqual([]);
  }, 60_000);

  it("Ctrl+C ending --keep: the secret files and the emulator's directory removed, what it held said", async () => {
    const run = await demoProcess(["--keep"], "until you press Ctrl+C", "SIGINT");
    expect(run.killedBy).toBeNull();
    expect(run.code).toBe(0);
    const lines = run.stdout.split("\n");
    const at = lines.indexOf(
      "Stopped by SIGINT: the emulator was shut down and its temporary directory removed.",
    );
    expect(at).toBeGreaterThan(0);
    expect(lines[at + 1]).toBe(
      "It held 3 app(s) [demo-reporting (active), demo-orders (active), demo-ci (active)] and 4 grant(s) of the stack when it stopped; they existed only in this process.",
    );
    expect(demoLeftovers()).toEqual([]);
  }, 60_000);
});
