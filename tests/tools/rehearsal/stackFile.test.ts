/**
 * The stack file a rehearsal is given: read as the Pulumi CLI would hand it to the program (bounded, secrets
 * marked and never shown), and validated as written before anything is pointed at the emulator, so that a stack
 * that `pulumi up` would refuse is refused here too, with the same message.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import { StackConfigError } from "../../../config/errors";
import { main } from "../../../tools/rehearsal/demo";
import { rehearse } from "../../../tools/rehearsal/run";
import { readStack, StackFileError } from "../../../tools/rehearsal/stackFile";

const ROOT = join(__dirname, "..", "..", "..");
const NS = "oic-client-provisioner";
const DOMAIN = "https://idcs-0123456789abcdef0123456789abcdef.identity.oraclecloud.com";

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "stack-files-"));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  vi.resetModules();
});

/** Writes `stacks/Pulumi.<stack>.yaml` in the test's directory and returns its path. */
function stackFile(stack: string, text: string): string {
  const path = join(dir, `Pulumi.${stack}.yaml`);
  writeFileSync(path, text);
  return path;
}

/** The demo stack's clients, so that a stack is valid but for what a test changes. */
const CLIENTS = `
  ${NS}:clients:
    - name: reporting
      roles: [ServiceUser]
`;

function refusal(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    if (error instanceof Error) return error;
  }
  throw new Error("expected the stack file to be refused");
}

describe("reading a stack file", () => {
  it.each([7, 9])("bounds the expansion of YAML aliases (9^%i values from a few lines)", (levels) => {
    const anchors = ["anchors:", "  l0: &l0 [x, x, x, x, x, x, x, x, x]"];
    for (let level = 1; level < levels; level++) {
      anchors.push(
        `  l${level}: &l${level} [${Array(9)
          .fill(`*l${level - 1}`)
          .join(", ")}]`,
      );
    }
    const path = stackFile(
      "bomb",
      [...anchors, "config:", `  ${NS}:clients: *l${levels - 1}`, ""].join("\n"),
    );
    const started = Date.now();
    const error = refusal(() => readStack(path));
    expect(Date.now() - started).toBeLessThan(1000);
    expect(error).toBeInstanceOf(StackFileError);
    expect(error.message).toBe(
      `The stack file ${path} is too large once its YAML aliases are expanded: it holds more than 10000 values, the last of them in ${NS}:clients (a stack of this project holds a few hundred). Write the values out instead of aliases of aliases.`,
    );
  });

  it("names the line of a duplicate key, without showing the file", () => {
    const path = stackFile(
      "duplicate",
      `config:\n  oci:privateKey: "-----BEGIN PRIVATE KEY----- plain"\n  oci:region: us-ashburn-1\n  oci:region: eu-frankfurt-1\n`,
    );
    expect(refusal(() => readStack(path)).message).toBe(
      `The stack file ${path} is not valid YAML: line 4, column 3: duplicated mapping key. A key may appear once in a mapping: remove or merge the repeated one.`,
    );
  });

  it("names the line of a syntax error, without showing the file", () => {
    const path = stackFile("syntax", `config:\n  oci:privateKey: "s3cr3t"\n  ${NS}:clients: [a\n  b: 1\n`);
    const error = refusal(() => readStack(path));
    expect(error.message).toBe(
      `The stack file ${path} is not valid YAML: line 4, column 3: missed comma between flow collection entries. Correct the YAML there.`,
    );
    expect(error.message).not.toContain("s3cr3t");
  });

  it.each([
    ["an empty file", "", "it is empty"],
    ["no config key", "encryptionsalt: abc\n", 'it has no "config:" key'],
    ["a list under config", "config:\n  - a\n", '"config:" holds a list'],
    ["a scalar document", "just text\n", "it holds a string"],
  ])("refuses %s: a stack file is a map with a config: map", (_, text, what) => {
    const path = stackFile("noconfig", text);
    expect(refusal(() => readStack(path)).message).toBe(
      `The stack file ${path} has no "config:" map (${what}). A stack file is a YAML map whose "config:" key maps each setting (namespace:name) to its value: a line "config:", then indented lines such as "  oci:region: us-ashburn-1".`,
    );
  });

  it("names the stacks there are when the one asked for is missing", () => {
    stackFile("other", `config:\n  oci:region: us-ashburn-1\n`);
    const path = join(dir, "Pulumi.missing.yaml");
    expect(refusal(() => readStack(path)).message).toMatch(
      new RegExp(
        `^There is no stack file ${path}\\. Stacks there: ([a-z]+, )*other(, [a-z]+)*\\. Use one of them with --stack, or create the file\\.$`,
      ),
    );
  });

  it("marks a key holding a secure: value anywhere as secret, and keeps no ciphertext", () => {
    const path = stackFile(
      "secure",
      [
        "config:",
        "  oci:privateKey:",
        "    secure: v1:CIPHERTEXTKEY",
        `  ${NS}:clients:`,
        "    - name: reporting",
        "      description:",
        "        secure: v1:CIPHERTEXTDESCRIPTION",
        "  oci:region: us-ashburn-1",
        "",
      ].join("\n"),
    );
    const file = readStack(path);
    expect(file.secretKeys).toEqual(["oci:privateKey", `${NS}:clients`]);
    expect(file.secureValues).toEqual(["oci:privateKey", `${NS}:clients[0].description`]);
    expect(JSON.stringify(file.values)).not.toContain("CIPHERTEXT");
    expect(file.values["oci:region"]).toBe("us-ashburn-1");
  });
});

describe("the rehearsal validates the stack as written before pointing it at the emulator", () => {
  function rehearseStack(stack: string, text: string): Promise<unknown> {
    stackFile(stack, text);
    return rehearse({
      projectRoot: ROOT,
      stack,
      stacksDir: dir,
      onStarted: () => {
        throw new Error("the emulator must not start for a stack that cannot be deployed");
      },
    });
  }

  it("reports what pulumi up would: credentials in the endpoint, a tenancy OCID, a plain-text private key", async () => {
    const run = rehearseStack(
      "wrong",
      [
        "config:",
        `  ${NS}:identityDomain:`,
        "    endpoint: http://user:pass@10.0.0.1/admin/",
        `  ${NS}:integrationInstance:`,
        "    id: ocid1.tenancy.oc1..aaaaaaaaexample",
        "  oci:tenancyOcid: ocid1.tenancy.oc1..aaaaaaaaexample",
        "  oci:userOcid: ocid1.user.oc1..aaaaaaaaexample",
        "  oci:fingerprint: 12:34",
        "  oci:privateKey: plain-text-key",
        CLIENTS,
      ].join("\n"),
    );
    await expect(run).rejects.toThrow(StackConfigError);
    await expect(run).rejects.toThrow(
      [
        'The configuration of stack "wrong" has 3 problems; nothing was deployed.',
        `  - ${NS}:identityDomain.endpoint: "http://***@10.0.0.1/admin/" contains user information (user@ or user:password@). Remove it; credentials never go in a URL.`,
        `  - ${NS}:integrationInstance.id: "ocid1.tenancy.oc1..aaaaaaaaexample" is the OCID of a tenancy, not of an integration instance. Set it to the OCID of the integration instance, ocid1.integrationinstance.<realm>.<region>.<unique id>.`,
        "  - oci:privateKey: is stored in plain text in the stack file, where anyone who can read the file can read it. Set it as a secret: `pulumi config set --secret oci:privateKey < key.pem` (Pulumi then keeps it encrypted in place of the plain value), and replace it if the file was shared or committed.",
        "Fix them in stacks/Pulumi.wrong.yaml; docs/configuration.md describes every key.",
      ].join("\n"),
    );
  });

  it("gives the validator's message for a scalar where a map belongs", async () => {
    const run = rehearseStack(
      "scalars",
      [
        "config:",
        `  ${NS}:identityDomain: ${DOMAIN}`,
        `  ${NS}:integrationInstance:`,
        "    id: ocid1.integrationinstance.oc1.iad.amaaaaaaexample",
        `  ${NS}:verification: fast`,
        CLIENTS,
      ].join("\n"),
    );
    await expect(run).rejects.toThrow(
      [
        'The configuration of stack "scalars" has 2 problems; nothing was deployed.',
        `  - ${NS}:identityDomain: expected an object (a YAML mapping), got the string "${DOMAIN}". Set it to an object with the endpoint, e.g. { endpoint: ${DOMAIN} }.`,
        `  - ${NS}:verification: expected an object (a YAML mapping), got the string "fast". Set it to an object, e.g. { retryBudgetSeconds: 120 }, or leave it out for the defaults.`,
        "Fix them in stacks/Pulumi.scalars.yaml; docs/configuration.md describes every key.",
      ].join("\n"),
    );
  });

  it("shows nothing of secure: values, and says which it cannot decrypt", async () => {
    const run = rehearseStack(
      "encrypted",
      [
        "config:",
        `  ${NS}:identityDomain:`,
        `    endpoint: ${DOMAIN}`,
        `  ${NS}:integrationInstance:`,
        "    id: ocid1.integrationinstance.oc1.iad.amaaaaaaexample",
        `  ${NS}:displayNamePrefix:`,
        "    secure: v1:CIPHERTEXTPREFIX",
        `  ${NS}:clients:`,
        "    - name: reporting",
        "      roles: [ServiceUser]",
        "      description:",
        "        secure: v1:CIPHERTEXTDESCRIPTION",
        "  oci:privateKey:",
        "    secure: v1:CIPHERTEXTKEY",
        "  oci:tenancyOcid: ocid1.tenancy.oc1..aaaaaaaaexample",
        "  oci:userOcid: ocid1.user.oc1..aaaaaaaaexample",
        "  oci:fingerprint: 12:34",
        "",
      ].join("\n"),
    );
    const cannotDecrypt = (key: string) =>
      `  - ${key}: is encrypted (secure:), and the rehearsal cannot decrypt it: it runs without the stack's secrets provider. None of ${NS}'s settings is a secret: to rehearse this stack, store it in plain text (pulumi config set --plaintext --path '${key}' <value>).`;
    await expect(run).rejects.toThrow(
      [
        'The configuration of stack "encrypted" has 2 problems; nothing was deployed.',
        cannotDecrypt(`${NS}:displayNamePrefix`),
        cannotDecrypt(`${NS}:clients[0].description`),
        "Fix them in stacks/Pulumi.encrypted.yaml; docs/configuration.md describes every key.",
      ].join("\n"),
    );
    await expect(run).rejects.not.toThrow(/CIPHERTEXT/);
  });
});

describe("npm run demo -- --json: every failure is one JSON object on stdout", () => {
  async function demo(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = "";
    let stderr = "";
    const code = await main(
      argv,
      {
        stdout: { write: (chunk: string) => (stdout += chunk), isTTY: false },
        stderr: { write: (chunk: string) => (stderr += chunk), isTTY: false },
        env: {},
      },
      () => Promise.resolve(),
      { stacksDir: dir },
    );
    return { code, stdout, stderr };
  }

  function failure(stack: string | null, error: string) {
    return {
      ok: false,
      stack,
      deployed: false,
      errors: [error],
      clients: [],
      resources: [],
      destroy: null,
      leftover: null,
    };
  }

  it.each([
    ["a YAML error", "yamlerror", "config:\n  a: [1\n  b: 2\n"],
    ["a duplicate key", "dupkey", "config:\n  oci:region: a\n  oci:region: b\n"],
    ["no config: map", "noconfigmap", "encryptionsalt: abc\n"],
  ])("%s", async (_, stack, text) => {
    const path = stackFile(stack, text);
    const run = await demo(["--stack", stack, "--json"]);
    expect(run.code).toBe(1);
    expect(run.stdout.endsWith("\n")).toBe(true);
    expect(run.stdout.trimEnd().split("\n")).toHaveLength(1);
    const result = JSON.parse(run.stdout) as ReturnType<typeof failure>;
    expect(result).toEqual(failure(stack, result.errors[0] ?? ""));
    expect(result.errors[0]).toMatch(new RegExp(`^(The stack file|There is no stack file) ${path}`));
  });

  it("a stack that does not exist", async () => {
    const run = await demo(["--stack", "nosuchstack", "--json"]);
    expect(run.code).toBe(1);
    expect((JSON.parse(run.stdout) as { errors: string[] }).errors[0]).toMatch(/^There is no stack file /);
  });

  it("a config the validator refuses, with the message pulumi up gives", async () => {
    stackFile("refused", `config:\n  ${NS}:identityDomain: ${DOMAIN}\n`);
    const run = await demo(["--stack", "refused", "--json"]);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toEqual(
      failure(
        "refused",
        [
          'The configuration of stack "refused" has 3 problems; nothing was deployed.',
          `  - ${NS}:identityDomain: expected an object (a YAML mapping), got the string "${DOMAIN}". Set it to an object with the endpoint, e.g. { endpoint: ${DOMAIN} }.`,
          `  - ${NS}:integrationInstance: is missing. Set it to an object with the instance's OCID, e.g. { id: ocid1.integrationinstance.oc1.iad.<unique id> }, or with designTimeUrl, name and idcsAppId.`,
          `  - ${NS}:clients: is missing. List one or more clients, e.g. [{ name: reporting, roles: [ServiceUser] }].`,
          "Fix them in stacks/Pulumi.refused.yaml; docs/configuration.md describes every key.",
        ].join("\n"),
      ),
    );
  });

  it("a stack name that is not one, as a usage error", async () => {
    const run = await demo(["--stack", "../../etc/passwd", "--json"]);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toEqual(
      failure(
        null,
        '--stack "../../etc/passwd" is not a stack name: Pulumi\'s stack names have only letters, digits, "-", "_" and ".".',
      ),
    );
  });

  it("the same failures in text: the message and exit code 1, nothing on stderr", async () => {
    stackFile("refusedtext", `config:\n  ${NS}:identityDomain: ${DOMAIN}\n`);
    const run = await demo(["--stack", "refusedtext"]);
    expect(run.code).toBe(1);
    expect(run.stdout.split("\n").slice(0, 3)).toEqual([
      "The deployment failed:",
      '  The configuration of stack "refusedtext" has 3 problems; nothing was deployed.',
      `  - ${NS}:identityDomain: expected an object (a YAML mapping), got the string "${DOMAIN}". Set it to an object with the endpoint, e.g. { endpoint: ${DOMAIN} }.`,
    ]);
    expect(run.stderr).toBe("");
  });
});

describe("a stack whose secrets are stored as secure: values deploys with the rehearsal's own key", () => {
  it("deploys, verifies and destroys, showing nothing of the ciphertext", async () => {
    stackFile(
      "securedemo",
      [
        "config:",
        "  oci:region: us-ashburn-1",
        "  oci:tenancyOcid: ocid1.tenancy.oc1..aaaaaaaaexample",
        "  oci:userOcid: ocid1.user.oc1..aaaaaaaaexample",
        "  oci:fingerprint: 12:34",
        "  oci:privateKey:",
        "    secure: v1:CIPHERTEXTKEY",
        "  oci:privateKeyPassword:",
        "    secure: v1:CIPHERTEXTPASSPHRASE",
        `  ${NS}:identityDomain:`,
        `    endpoint: ${DOMAIN}`,
        `  ${NS}:integrationInstance:`,
        "    id: ocid1.integrationinstance.oc1.iad.amaaaaaaexample",
        CLIENTS,
      ].join("\n"),
    );
    let stdout = "";
    const code = await main(
      ["--stack", "securedemo", "--json"],
      {
        stdout: { write: (chunk: string) => (stdout += chunk), isTTY: false },
        stderr: { write: () => true, isTTY: false },
        env: {},
      },
      () => Promise.resolve(),
      { stacksDir: dir },
    );
    const result = JSON.parse(stdout) as { ok: boolean; errors: string[]; clients: Array<{ check: string }> };
    expect(result.errors).toEqual([]);
    expect(code).toBe(0);
    expect(result.clients.map((client) => client.check)).toEqual(["ok"]);
    expect(stdout).not.toContain("CIPHERTEXT");
  });
});
