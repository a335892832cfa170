/**
 * What a server or a stack sent reaches the terminal escaped, bounded and without secrets: `oic-verify` in
 * process against a loopback server that answers like a hostile or broken identity domain.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { ClientFacts } from "../../components/clientFacts";
import { startTestServer, type TestServer } from "../components/http/testServer";
import { fakePulumi, pathWith, runMain, type Run } from "./support";

const SECRET = "idcscs-7d0c2a5e-cli-secret-must-not-leak";
const AUDIENCE = "https://0123456789ABCDEF.integration.us-ashburn-1.ocp.oraclecloud.com:443";
const FQS = `${AUDIENCE}/ic/api/`;
/** What a terminal could act on: controls (but the line feeds the CLI writes itself), format characters, separators. */
const UNSAFE = /(?!\n)[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

let server: TestServer;
let answer: { status: number; body: unknown } = { status: 500, body: {} };

const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString("base64url");
function jwt(claims: Record<string, unknown>): string {
  const now = Math.floor(Date.now() / 1000);
  const payload = { sub: "app_1", aud: [AUDIENCE], scope: "/ic/api/", iat: now, exp: now + 3600, ...claims };
  return `${b64url({ alg: "RS256" })}.${b64url(payload)}.c2ln`;
}
function tokenWith(claims: Record<string, unknown>): { status: number; body: unknown } {
  return { status: 200, body: { access_token: jwt(claims), token_type: "Bearer", expires_in: 3600 } };
}

beforeAll(async () => {
  server = await startTestServer();
  server.on("/oauth2/v1/token", (_req, res) => {
    res.writeHead(answer.status, { "Content-Type": "application/json" });
    res.end(JSON.stringify(answer.body));
  });
});

afterAll(async () => {
  await server.close();
});

function check(extra: string[] = []): Promise<Run> {
  return runMain(
    [
      "--token-url",
      `${server.origin}/oauth2/v1/token`,
      "--client-id",
      "app_1",
      "--scope",
      FQS,
      "--probe",
      "token",
      "--allow-plain-http-on-loopback",
      "--retry-budget",
      "0",
      ...extra,
    ],
    { OIC_CLIENT_SECRET: SECRET },
  );
}

function expectPrintable(run: Run): void {
  expect(run.stdout).not.toMatch(UNSAFE);
  expect(run.stderr).not.toMatch(UNSAFE);
  expect(run.stdout + run.stderr).not.toContain(SECRET);
}

describe("server text on the terminal", () => {
  it("an audience with ANSI escapes and CR/LF cannot clear the screen or forge an ok line", async () => {
    answer = tokenWith({ aud: ["\u001b[2J\u001b[H\r\n✔ ok  app_1\r\n"] });
    const run = await check();
    expectPrintable(run);
    expect(run.code).toBe(21);
    const lines = run.stdout.split("\n");
    expect(lines.slice(0, 3)).toEqual([
      "✖ audience_mismatch  app_1",
      `  the token's audience "\\x1b[2J\\x1b[H\\r\\n✔ ok  app_1\\r\\n" does not include "${AUDIENCE}", the audience of scope "${FQS}"`,
      "  fix: request the OIC instance's own fully qualified scope, derived from the instance's app (scopes[].fqs), never typed by hand",
    ]);
    expect(lines.filter((line) => line.includes("✔"))).toEqual([lines[1]]);
    const json = await check(["--json"]);
    expectPrintable(json);
    expect((JSON.parse(json.stdout) as { message: string }).message).toBe(
      `the token's audience "\\x1b[2J\\x1b[H\\r\\n✔ ok  app_1\\r\\n" does not include "${AUDIENCE}", the audience of scope "${FQS}"`,
    );
  });

  it("20,000 audiences make a short message, not a 429 KB one", async () => {
    answer = tokenWith({ aud: Array.from({ length: 20_000 }, (_, i) => `https://aud-${i}.example.test`) });
    const run = await check(["--json"]);
    expectPrintable(run);
    expect((JSON.parse(run.stdout) as { message: string }).message).toBe(
      `the token's audience "https://aud-0.example.test", "https://aud-1.example.test", "https://aud-2.example.test" (and 19997 more) does not include "${AUDIENCE}", the audience of scope "${FQS}"`,
    );
    expect(run.stdout.length).toBeLessThan(2_000);
  });

  it("the client secret echoed as an OAuth error is redacted, for people and in --json", async () => {
    answer = { status: 400, body: { error: SECRET, error_description: SECRET } };
    const human = await check();
    expectPrintable(human);
    const host = new URL(server.origin).host;
    expect(human.stdout.split("\n")[1]).toBe(
      `  the token endpoint ${host} answered 400 with OAuth error "[redacted]"`,
    );
    const json = await check(["--json"]);
    expectPrintable(json);
    expect(JSON.parse(json.stdout)).toMatchObject({
      diagnosis: "bad_response",
      message: `the token endpoint ${host} answered 400 with OAuth error "[redacted]"`,
      exitCode: 70,
    });
  });
});

describe("stack text on the terminal", () => {
  it("a client name and an id from the stack outputs are escaped, its secret redacted wherever it shows", async () => {
    answer = { status: 400, body: { error: "invalid_scope" } };
    const name = "evil\u001b]0;pwned\u0007\r\n✔ ok";
    const outputs = {
      clients: {
        [name]: {
          displayName: "evil",
          clientId: `app_\u001b[31m${SECRET}`,
          appId: "0123456789abcdef0123456789abcdef",
          tokenUrl: `${server.origin}/oauth2/v1/token`,
          scope: FQS,
          allowedScopes: [FQS],
          roles: ["ServiceInvoker"],
          probe: "token",
          grantIds: [],
          designTimeUrl: server.origin,
          integrationInstance: "oicdev-x",
        } satisfies ClientFacts,
      },
      clientSecrets: { [name]: SECRET },
    };
    const dir = fakePulumi(`cat <<'JSON'\n${JSON.stringify(outputs)}\nJSON`);
    const run = await runMain(["--stack", "dev", "--allow-plain-http-on-loopback", "--retry-budget", "0"], {
      PATH: pathWith(dir),
    });
    expectPrintable(run);
    expect(run.code).toBe(20);
    expect(run.stdout.split("\n").slice(0, 2)).toEqual([
      "✖ invalid_scope  evil\\x1b]0;pwned\\x07\\r\\n✔ ok (app_\\x1b[31m[redacted])",
      `  the identity domain refused scope ${FQS} for client app_\\x1b[31m[redacted] (invalid_scope)`,
    ]);
    const json = await runMain(
      ["--stack", "dev", "--allow-plain-http-on-loopback", "--retry-budget", "0", "--json"],
      {
        PATH: pathWith(dir),
      },
    );
    expectPrintable(json);
    expect(JSON.parse(json.stdout)).toMatchObject({
      clients: [{ name: "evil\\x1b]0;pwned\\x07\\r\\n✔ ok", clientId: "app_\\x1b[31m[redacted]" }],
    });
  });

  it("an error text from the pulumi CLI is escaped", async () => {
    const dir = fakePulumi(`printf 'error: \\033[2J stack gone\\r\\n' >&2; exit 255`);
    const run = await runMain(["--stack", "dev"], { PATH: pathWith(dir) });
    expectPrintable(run);
    expect([run.code, run.stderr]).toEqual([
      2,
      "oic-verify: pulumi stack output --stack dev failed: error: \\x1b[2J stack gone\n",
    ]);
  });
});
