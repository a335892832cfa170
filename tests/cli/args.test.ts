/** The CLI's argument handling, secret sources, stack outputs and exit codes, in process (no server needed). */
import { writeFileSync } from "node:fs";
import { join } from "node:path";

import { describe, expect, it } from "vitest";

import { EXIT_CODES } from "../../cli/exitCodes";
import type { ClientFacts } from "../../components/clientFacts";
import { ALL_DIAGNOSES, DIAGNOSIS_CLASS } from "../../components/verifier";
import { emptyDir, fakePulumi, pathWith, runMain } from "./support";

const SECRET = "idcscs-cli-secret-must-not-leak";
const FQS = "https://0123456789ABCDEF.integration.us-ashburn-1.ocp.oraclecloud.com:443/ic/api/";
/** One client's facts as index.ts exports them under `clients` (the secret is under `clientSecrets`). */
const facts = {
  displayName: "dev-a",
  clientId: "c",
  appId: "0123456789abcdef0123456789abcdef",
  tokenUrl: "https://127.0.0.1:9/oauth2/v1/token",
  scope: FQS,
  allowedScopes: [FQS],
  roles: ["ServiceUser"],
  probe: "connections",
  grantIds: ["fedcba9876543210fedcba9876543210"],
  designTimeUrl: "https://127.0.0.1:9",
  integrationInstance: "oicdev-x",
} satisfies ClientFacts;
/** A fake `pulumi` that prints these stack outputs. */
const printing = (outputs: unknown) => fakePulumi(`echo '${JSON.stringify(outputs)}'`);
const base = ["--token-url", "https://127.0.0.1:9/oauth2/v1/token", "--client-id", "app_1", "--scope", FQS];

describe("exit codes", () => {
  it("gives 0 to ok only and a distinct code to every other diagnosis", () => {
    const codes = ALL_DIAGNOSES.map((d) => EXIT_CODES[d]);
    expect(new Set(codes).size).toBe(ALL_DIAGNOSES.length);
    expect(ALL_DIAGNOSES.filter((d) => EXIT_CODES[d] === 0)).toEqual(["ok"]);
    expect(codes.every((code) => code === 0 || code >= 10)).toBe(true);
  });

  it("groups codes by tens exactly as the diagnoses are grouped in classes", () => {
    for (const a of ALL_DIAGNOSES) {
      for (const b of ALL_DIAGNOSES) {
        const sameTens = Math.floor(EXIT_CODES[a] / 10) === Math.floor(EXIT_CODES[b] / 10);
        expect([a, b, sameTens]).toEqual([a, b, DIAGNOSIS_CLASS[a] === DIAGNOSIS_CLASS[b]]);
      }
    }
  });
});

describe("arguments", () => {
  it("prints help and exits 0", async () => {
    const run = await runMain(["--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Usage: oic-verify [options]");
    expect(run.stdout).toContain("--retry-budget <seconds>");
  });

  it.each([["--client-secret", SECRET], [`--client-secret=${SECRET}`], ["--secret", SECRET]])(
    "refuses a secret on the command line (%s) without echoing it",
    async (...args) => {
      const run = await runMain([...base, ...args]);
      expect(run.code).toBe(2);
      const flag = args[0].split("=")[0];
      expect(run.stderr).toBe(
        `oic-verify: ${flag} is refused: a secret on the command line ends up in shell history and process listings. Set OIC_CLIENT_SECRET or pass --secret-file <path> instead.\n`,
      );
      expect(run.stdout).toBe("");
    },
  );

  it("names the missing flags", async () => {
    const run = await runMain(["--client-id", "a"], { OIC_CLIENT_SECRET: SECRET });
    expect([run.code, run.stderr]).toEqual([
      2,
      "oic-verify: missing --token-url, --scope (or use --stack <name>)\n",
    ]);
  });

  it("asks for the secret from the environment or a file", async () => {
    const run = await runMain([...base, "--json"]);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toEqual({
      diagnosis: null,
      error: "usage",
      message:
        "no client secret: set OIC_CLIENT_SECRET or pass --secret-file <path> (a secret never goes on the command line)",
      exitCode: 2,
    });
  });

  it("refuses an empty or unreadable secret file", async () => {
    const dir = emptyDir();
    const empty = join(dir, "empty");
    writeFileSync(empty, "\n");
    expect((await runMain([...base, "--secret-file", empty])).stderr).toBe(
      `oic-verify: --secret-file ${empty} is empty\n`,
    );
    const missing = join(dir, "missing");
    const run = await runMain([...base, "--secret-file", missing]);
    expect([run.code, run.stderr]).toEqual([
      2,
      `oic-verify: cannot read --secret-file ${missing} (ENOENT)\n`,
    ]);
  });

  it("rejects a bad retry budget, timeout or probe with a usage error", async () => {
    const budget = await runMain([...base, "--retry-budget", "-1"], { OIC_CLIENT_SECRET: SECRET });
    expect(budget.code).toBe(2);
    expect(budget.stderr).toContain(
      "error: option '--retry-budget <seconds>' argument '-1' is invalid. expected a number of seconds, 0 or more",
    );
    expect((await runMain([...base, "--timeout", "0"], { OIC_CLIENT_SECRET: SECRET })).code).toBe(2);
    const probe = await runMain([...base, "--probe", "everything"], { OIC_CLIENT_SECRET: SECRET });
    expect(probe.code).toBe(2);
    expect(probe.stderr).toContain("Allowed choices are connections, token, none.");
  });

  it.each([
    [
      "--timeout",
      "2147484",
      "expected a number of seconds above 0 and at most 2147483 (about 24.8 days, the longest a Node.js timer waits)",
    ],
    [
      "--retry-budget",
      "1e10",
      "expected a number of seconds, 0 or more and at most 2147483 (about 24.8 days, the longest a Node.js timer waits)",
    ],
    [
      "--propagation-window",
      "2147484",
      "expected a number of seconds, 0 or more and at most 2147483 (about 24.8 days, the longest a Node.js timer waits)",
    ],
  ])("refuses %s %s, beyond what a timer can wait, as a usage error", async (flag, value, reason) => {
    const run = await runMain([...base, "--probe", "token", flag, value, "--json"], {
      OIC_CLIENT_SECRET: SECRET,
    });
    expect([run.code, run.stdout]).toEqual([2, ""]);
    expect(run.stderr).toBe(
      `error: option '${flag} <seconds>' argument '${value}' is invalid. ${reason}\n(run oic-verify --help for the options)\n`,
    );
  });

  it.each([
    [
      "http://127.0.0.1:9/oauth2/v1/token",
      [],
      "oic-verify: invalid access-check input: tokenUrl http://127.0.0.1:9/oauth2/v1/token is plain http://, allowed only to a loopback host and only with allowPlainHttpOnLoopback (--allow-plain-http-on-loopback); use https://\n",
    ],
    [
      "http://idcs.example.test/oauth2/v1/token",
      ["--allow-plain-http-on-loopback"],
      "oic-verify: invalid access-check input: tokenUrl http://idcs.example.test/oauth2/v1/token is plain http://, allowed only to a loopback host and only with allowPlainHttpOnLoopback (--allow-plain-http-on-loopback); use https://\n",
    ],
  ])(
    "refuses plain %s (flags %j) as a usage error, not a network failure",
    async (tokenUrl, extra, stderr) => {
      const run = await runMain(
        ["--token-url", tokenUrl, "--client-id", "app_1", "--scope", FQS, "--probe", "token", ...extra],
        { OIC_CLIENT_SECRET: SECRET },
      );
      expect([run.code, run.stdout, run.stderr]).toEqual([2, "", stderr]);
    },
  );

  it("reports invalid input from the verifier as a usage error", async () => {
    const run = await runMain([...base.slice(0, 4), "--scope", "/ic/api/", "--probe", "token"], {
      OIC_CLIENT_SECRET: SECRET,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^oic-verify: invalid access-check input: scope must be a fully qualified OIC scope/,
    );
  });

  it("runs the check and maps its diagnosis to the exit code (network: 61)", async () => {
    const run = await runMain([...base, "--probe", "token", "--retry-budget", "0", "--json"], {
      OIC_CLIENT_SECRET: SECRET,
    });
    expect(run.code).toBe(61);
    const out = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(out).toMatchObject({
      diagnosis: "network",
      httpStatus: null,
      connections: null,
      attempts: 1,
      exitCode: 61,
    });
    expect(run.stdout + run.stderr).not.toContain(SECRET);
  });
});

describe("--stack", () => {
  it("explains that the pulumi CLI is needed when it is not on PATH", async () => {
    const run = await runMain(["--stack", "dev"], { PATH: emptyDir() });
    expect([run.code, run.stderr]).toEqual([
      2,
      "oic-verify: --stack needs the pulumi CLI, which is not on PATH: install it (https://www.pulumi.com/docs/install/) or pass --token-url, --client-id, --scope, --design-time-url and --integration-instance instead\n",
    ]);
  });

  it("passes on pulumi's own error", async () => {
    const dir = fakePulumi(`echo "error: no stack named 'dev' found" >&2; exit 255`);
    const run = await runMain(["--stack", "dev"], { PATH: pathWith(dir) });
    expect([run.code, run.stderr]).toEqual([
      2,
      "oic-verify: pulumi stack output --stack dev failed: error: no stack named 'dev' found\n",
    ]);
  });

  it("names the missing outputs without printing any value", async () => {
    const { scope: _scope, ...withoutScope } = facts;
    const dir = printing({ clients: { a: withoutScope }, clientSecrets: { a: SECRET } });
    const run = await runMain(["--stack", "dev"], { PATH: pathWith(dir) });
    expect([run.code, run.stderr]).toEqual([
      2,
      "oic-verify: the outputs of stack dev lack what oic-verify needs (clients.a.scope); expected clients.<name>.{displayName, clientId, appId, tokenUrl, scope, allowedScopes, roles, probe, grantIds, designTimeUrl, integrationInstance} and clientSecrets.<name>\n",
    ]);
  });

  it("names the missing map of secrets, as a stack exported before clientSecrets would lack it", async () => {
    const dir = printing({ clients: { a: { ...facts, clientSecret: SECRET } } });
    const run = await runMain(["--stack", "dev"], { PATH: pathWith(dir) });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^oic-verify: the outputs of stack dev lack what oic-verify needs \(clientSecrets\);/,
    );
    expect(run.stderr).not.toContain(SECRET);
  });

  it("calls pulumi with exactly the arguments that show the outputs", async () => {
    const dir = fakePulumi(`echo "$@" > "$(dirname "$0")/args"; echo '{}'`);
    await runMain(["--stack", "org/proj/dev"], { PATH: pathWith(dir) });
    const { readFileSync } = await import("node:fs");
    expect(readFileSync(join(dir, "args"), "utf8")).toBe(
      "stack output --json --show-secrets --stack org/proj/dev\n",
    );
  });

  it("needs each client's secret in clientSecrets", async () => {
    const dir = printing({ clients: { a: facts, b: facts }, clientSecrets: { b: SECRET } });
    const run = await runMain(["--stack", "dev"], { PATH: pathWith(dir) });
    expect([run.code, run.stderr]).toEqual([
      2,
      "oic-verify: the outputs give client a no secret (clientSecrets.a)\n",
    ]);
  });

  it("refuses an unknown --client", async () => {
    const dir = printing({ clients: { a: facts }, clientSecrets: { a: SECRET } });
    const run = await runMain(["--stack", "dev", "--client", "b"], { PATH: pathWith(dir) });
    expect([run.code, run.stderr]).toEqual([2, 'oic-verify: the stack has no client "b"; it has: a\n']);
  });
});
