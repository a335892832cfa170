/** `oic-verify` as users run it (the bin, a separate process) against the emulator: stdout, stderr, exit codes. */
import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

import { describe, expect, it } from "vitest";

import type { ClientFacts } from "../../components/clientFacts";
import { useEmulator, type CreatedClient } from "../support/emulator";
import { emptyDir, fakePulumi, pathWith, runMain } from "./support";
import { INVOKER_ONLY_HINT } from "../components/verifier/fakes";

const BIN = join(__dirname, "..", "..", "bin", "oic-verify.js");
const env = useEmulator();

interface Spawned {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function spawnCli(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<Spawned> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { env: { PATH: process.env.PATH, ...extraEnv }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

function flagsFor(client: CreatedClient, extra: string[] = []): string[] {
  return [
    "--token-url",
    `${env.emu.idcsUrl}/oauth2/v1/token`,
    "--client-id",
    client.clientId,
    "--scope",
    client.scopes.icApi,
    "--design-time-url",
    env.emu.designTimeUrl,
    "--integration-instance",
    env.emu.integrationInstance,
    "--ca-file",
    env.emu.caFile ?? "",
    ...extra,
  ];
}

function expectNoSecret(run: Spawned, ...secrets: string[]): void {
  for (const secret of secrets) {
    expect(run.stdout).not.toContain(secret);
    expect(run.stderr).not.toContain(secret);
  }
  expect(run.stdout + run.stderr).not.toMatch(/eyJ[\w-]+\.[\w-]+\./);
}

describe("oic-verify against the emulator", () => {
  it("--json: one object on stdout, exit 0 for a working client", async () => {
    const client = await env.createClient({ roles: ["ServiceUser"] });
    const run = await spawnCli(flagsFor(client, ["--json", "--roles", "ServiceUser"]), {
      OIC_CLIENT_SECRET: client.clientSecret,
    });
    expect([run.code, run.stderr]).toEqual([0, ""]);
    expect(run.stdout.trim().split("\n")).toHaveLength(1);
    const out = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(out).toMatchObject({
      clientId: client.clientId,
      probe: "connections",
      diagnosis: "ok",
      ok: true,
      httpStatus: 200,
      connections: 12,
      attempts: 1,
      tokenRequests: 1,
      apiRequests: 1,
      exitCode: 0,
      message: `client ${client.clientId} works: token for /ic/api/, 12 connections visible on ${env.emu.integrationInstance}`,
      hint: "nothing to change",
    });
    expect(typeof out.elapsedMs).toBe("number");
    expectNoSecret(run, client.clientSecret);
  });

  it("--json: role_missing exits 30 and says which roles would do", async () => {
    const client = await env.createClient({ roles: ["ServiceInvoker"] });
    const run = await spawnCli(flagsFor(client, ["--json", "--roles", "ServiceInvoker"]), {
      OIC_CLIENT_SECRET: client.clientSecret,
    });
    expect(run.code).toBe(30);
    expect(JSON.parse(run.stdout)).toMatchObject({
      diagnosis: "role_missing",
      httpStatus: 401,
      connections: null,
      attempts: 1,
      exitCode: 30,
      hint: INVOKER_ONLY_HINT,
    });
    expectNoSecret(run, client.clientSecret);
  });

  it("for people: a plain summary without colour when stdout is not a terminal", async () => {
    const client = await env.createClient();
    const secretFile = join(emptyDir(), "secret");
    writeFileSync(secretFile, `${client.clientSecret}\n`);
    const run = await spawnCli(flagsFor(client, ["--secret-file", secretFile]));
    expect([run.code, run.stderr]).toEqual([0, ""]);
    const lines = run.stdout.split("\n");
    expect(lines.slice(0, 2)).toEqual([
      `✔ ok  ${client.clientId}`,
      `  client ${client.clientId} works: token for /ic/api/, 12 connections visible on ${env.emu.integrationInstance}`,
    ]);
    expect(lines[2]).toMatch(
      /^ {2}HTTP 200 · 12 connections · 1 attempt · \d+ ms · token expires \d{4}-\d\d-\d\dT[\d:.]+Z$/,
    );
    expect(run.stdout).not.toContain("\u001b[");
    expectNoSecret(run, client.clientSecret);
  });

  it("for people: the failure, the fix, and the exit code of its class (tls: 62)", async () => {
    const client = await env.createClient();
    const args = flagsFor(client).filter((arg) => arg !== "--ca-file" && arg !== env.emu.caFile);
    const run = await spawnCli([...args, "--retry-budget", "0"], { OIC_CLIENT_SECRET: client.clientSecret });
    expect(run.code).toBe(62);
    expect(run.stdout.split("\n").slice(0, 3)).toEqual([
      `✖ tls  ${client.clientId}`,
      `  TLS verification of the token endpoint ${new URL(env.emu.idcsUrl).host} failed (UNABLE_TO_VERIFY_LEAF_SIGNATURE)`,
      "  fix: trust the CA that signed the server's certificate with the CA file option (caFile / --ca-file); verification is never turned off",
    ]);
    expectNoSecret(run, client.clientSecret);
  });

  it("shows a progress line on stderr while it retries, then passes", async () => {
    const client = await env.createClient();
    env.emu.control.clearFaults();
    env.emu.control.injectFault({ path: "/oauth2/v1/token", kind: "status", status: 503, times: 2 });
    const run = await spawnCli(flagsFor(client), { OIC_CLIENT_SECRET: client.clientSecret });
    expect(run.code).toBe(0);
    const progress = run.stderr.trim().split("\n");
    expect(progress).toHaveLength(2);
    expect(progress[0]).toMatch(
      new RegExp(
        `^… ${client.clientId}: server_error \\(HTTP 503\\) on attempt 1; retrying in \\d\\.\\d s \\(\\d\\.\\d s elapsed\\)$`,
      ),
    );
    expect(progress[1]).toMatch(/on attempt 2; retrying in/);
    expect(run.stdout).toContain("3 attempts");
    expectNoSecret(run, client.clientSecret);
  });

  it("--stack: checks every client in the stack outputs, exits with the first failure's code", async () => {
    const good = await env.createClient({ roles: ["ServiceUser"] });
    const invoker = await env.createClient({ roles: ["ServiceInvoker"] });
    // The shape index.ts exports: per client its facts (some of which oic-verify ignores), the secrets apart.
    const factsOf = (client: CreatedClient, roles: string[]): ClientFacts => ({
      displayName: "x",
      clientId: client.clientId,
      appId: client.appId,
      tokenUrl: `${env.emu.idcsUrl}/oauth2/v1/token`,
      scope: client.scopes.icApi,
      allowedScopes: [client.scopes.icApi],
      roles,
      probe: "connections",
      grantIds: [...client.grantIds],
      designTimeUrl: env.emu.designTimeUrl,
      integrationInstance: env.emu.integrationInstance,
    });
    const outputs = {
      identityDomainEndpoint: env.emu.idcsUrl,
      clients: { ci: factsOf(good, ["ServiceUser"]), invoker: factsOf(invoker, ["ServiceInvoker"]) },
      clientSecrets: { ci: good.clientSecret, invoker: invoker.clientSecret },
    };
    const dir = emptyDir();
    writeFileSync(join(dir, "outputs.json"), JSON.stringify(outputs));
    const pulumi = fakePulumi(`cat "${join(dir, "outputs.json")}"`);
    const run = await spawnCli(["--stack", "dev", "--ca-file", env.emu.caFile ?? "", "--json"], {
      PATH: pathWith(pulumi),
    });
    expect(run.code).toBe(30);
    const out = JSON.parse(run.stdout) as {
      diagnosis: string;
      exitCode: number;
      clients: Array<{ name: string; diagnosis: string; exitCode: number }>;
    };
    expect([out.diagnosis, out.exitCode]).toEqual(["role_missing", 30]);
    expect(out.clients.map((c) => [c.name, c.diagnosis, c.exitCode])).toEqual([
      ["ci", "ok", 0],
      ["invoker", "role_missing", 30],
    ]);
    expectNoSecret(run, good.clientSecret, invoker.clientSecret);

    const one = await spawnCli(["--stack", "dev", "--client", "ci", "--ca-file", env.emu.caFile ?? ""], {
      PATH: pathWith(pulumi),
    });
    expect(one.code).toBe(0);
    expect(one.stdout.split("\n")[0]).toBe(`✔ ok  ci (${good.clientId})`);
    expectNoSecret(one, good.clientSecret);
  });
});

describe("on a terminal", () => {
  it("shows a spinner on stderr while it waits, then stops it", async () => {
    const client = await env.createClient();
    env.emu.control.clearFaults();
    env.emu.control.injectFault({ path: "/oauth2/v1/token", kind: "status", status: 503, times: 1 });
    const run = await runMain(flagsFor(client), { OIC_CLIENT_SECRET: client.clientSecret }, true, 120);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("checking the client…");
    expect(run.stderr).toMatch(
      new RegExp(`${client.clientId}: server_error \\(HTTP 503\\) on attempt 1; retrying in`),
    );
    // The cursor, hidden while spinning, is shown again.
    expect(run.stderr.endsWith("\u001b[?25h")).toBe(true);
    expect(run.stdout.split("\n")[0]).toContain("ok");
    expect(run.stderr + run.stdout).not.toContain(client.clientSecret);
  });

  it("a terminal that reports 0 columns gets plain progress lines instead", async () => {
    const client = await env.createClient();
    env.emu.control.clearFaults();
    env.emu.control.injectFault({ path: "/oauth2/v1/token", kind: "status", status: 503, times: 1 });
    const run = await runMain(flagsFor(client), { OIC_CLIENT_SECRET: client.clientSecret }, false, 0);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(
      new RegExp(
        `^… ${client.clientId}: server_error \\(HTTP 503\\) on attempt 1; retrying in \\d\\.\\d s \\(\\d\\.\\d s elapsed\\)\\n$`,
      ),
    );
  });
});

describe("colour", () => {
  it("is on for a terminal and off with NO_COLOR", async () => {
    const client = await env.createClient();
    const secretEnv = { OIC_CLIENT_SECRET: client.clientSecret };
    const coloured = await runMain(flagsFor(client), secretEnv, true);
    expect(coloured.code).toBe(0);
    expect(coloured.stdout).toContain("\u001b[32m✔\u001b[39m");
    const plain = await runMain(flagsFor(client), { ...secretEnv, NO_COLOR: "1" }, true);
    expect(plain.code).toBe(0);
    expect(plain.stdout).not.toContain("\u001b[");
    expect(plain.stdout.split("\n")[0]).toBe(`✔ ok  ${client.clientId}`);
  });
});
