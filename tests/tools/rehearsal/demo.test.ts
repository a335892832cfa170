import { beforeEach, describe, expect, it, vi } from "vitest";

import { main } from "../../../tools/rehearsal/demo";

interface Captured {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function runDemo(argv: string[]): Promise<Captured> {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, {
    stdout: { write: (chunk: string) => (stdout += chunk), isTTY: false },
    stderr: { write: (chunk: string) => (stderr += chunk), isTTY: false },
    env: {},
  });
  return { code, stdout, stderr };
}

/** A client secret as the identity domain issues it; only the masked form may ever be printed. */
const SECRET = /idcscs-[0-9a-f]{4}/;

interface JsonResult {
  ok: boolean;
  deployed: boolean;
  errors: string[];
  clients: Array<{
    name: string;
    clientId: string;
    secretMasked: string;
    rolesGranted: string[];
    scopes: string[];
    probe: string;
    check: string;
    connections: number | null;
  }>;
  resources: Array<{ type: string; name: string }>;
  destroy: { ok: boolean; error: string | null; deleted: string[] };
  leftover: { apps: unknown[]; grants: unknown[] };
}

beforeEach(() => {
  // index.ts runs once per import: each rehearsal imports it afresh.
  vi.resetModules();
});

describe("npm run demo: the demo stack deployed on the emulator, verified, destroyed", () => {
  it("deploys every client, verifies it, destroys in reverse dependency order and leaves nothing", async () => {
    const run = await runDemo(["--json"]);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as JsonResult;
    expect(result.ok).toBe(true);
    expect(
      result.clients.map((c) => [c.name, c.rolesGranted, c.scopes, c.probe, c.check, c.connections]),
    ).toEqual([
      ["reporting", ["ServiceUser"], ["/ic/api/"], "connections", "ok", 12],
      ["orders", ["ServiceInvoker"], ["urn:opc:resource:consumer::all"], "token", "ok", null],
      [
        "ci",
        ["ServiceDeveloper", "ServiceInvoker"],
        ["urn:opc:resource:consumer::all", "/ic/api/"],
        "connections",
        "ok",
        12,
      ],
    ]);
    for (const client of result.clients) {
      expect(client.clientId).toMatch(/^[0-9a-f]{32}$/);
      expect(client.secretMasked).toBe("idcscs-********");
    }
    const count = (type: string) => result.resources.filter((r) => r.type === type).length;
    expect(
      ["OicConfidentialClient", "DomainsApp", "DomainsGrant", "AppDeactivation", "OicAccessCheck"].map(count),
    ).toEqual([3, 3, 4, 3, 3]);

    // As the engine would: a client's check, then its grants and its deactivation, then its app.
    const deleted = result.destroy.deleted;
    expect(result.destroy).toMatchObject({ ok: true, error: null });
    expect(deleted).toHaveLength(13);
    for (const client of ["reporting", "orders", "ci"]) {
      const app = deleted.indexOf(`${client}-app`);
      expect(deleted.indexOf(`${client}-deactivate-before-delete`)).toBeLessThan(app);
      expect(deleted.indexOf(`${client}-access-check`)).toBeLessThan(app);
      for (const grant of deleted.filter((name) => name.startsWith(`${client}-grant-`))) {
        expect(deleted.indexOf(grant)).toBeLessThan(app);
        expect(deleted.indexOf(`${client}-access-check`)).toBeLessThan(deleted.indexOf(grant));
      }
    }
    expect(result.leftover).toEqual({ apps: [], grants: [] });
    expect(run.stdout + run.stderr).not.toMatch(SECRET);
  });

  it("shows a line per resource, the summary table, the destroy and what is left, with secrets masked", async () => {
    const run = await runDemo([]);
    expect(run.code).toBe(0);
    const lines = run.stdout.split("\n");
    expect(lines[0]).toBe('Rehearsal of stack "demo" on the embedded emulator (no cloud account involved)');
    expect(lines).toContain("pulumi up");
    expect(lines).toContain("pulumi destroy");
    expect(lines.filter((line) => /^ {2}\+ DomainsApp +\w+-app +created +\d+ ms$/.test(line))).toHaveLength(
      3,
    );
    expect(
      lines.filter((line) => /^ {2}… OicAccessCheck +\w+-access-check +verifying$/.test(line)),
    ).toHaveLength(3);
    expect(lines).toContainEqual(
      expect.stringMatching(/^ {2}\+ OicAccessCheck +reporting-access-check +ok, 12 connections +\d+ ms$/),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(/^ {2}- AppDeactivation +ci-deactivate-before-delete +app deactivated +\d+ ms$/),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^│ reporting │ [0-9a-f]{32} │ idcscs-\*{8} │ ServiceUser +│ \/ic\/api\/ +│ ok \(connections\) │ 12 +│ \d+ ms │$/,
      ),
    );
    expect(lines).toContain("The emulator holds nothing of the stack: 0 apps, 0 grants.");
    expect(run.stdout + run.stderr).not.toMatch(SECRET);
    // Not a terminal: no colour codes, no spinner.
    expect(run.stdout).not.toContain("\u001b[");
    expect(run.stderr).toBe("");
  });

  it("rejects an unknown option with the usage exit code", async () => {
    const run = await runDemo(["--bogus"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("unknown option '--bogus'");
  });
});
