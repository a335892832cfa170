import { spawn } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { describe, expect, it, vi } from "vitest";
import { main } from "../../../tools/emulator/cli";
import { type EmulatorInfo } from "../../../tools/emulator";
import { httpRequest } from "../../support/emulator";

const ROOT = join(__dirname, "..", "..", "..");

describe("oic-emulator (bin/oic-emulator.js)", () => {
  it("prints exactly one JSON line when ready, serves, logs to stderr without secrets, and exits 0 on SIGTERM", async () => {
    const child = spawn(
      process.execPath,
      [
        "bin/oic-emulator.js",
        "--http",
        "--port",
        "0",
        "--control-api",
        "--log-requests",
        "--instance",
        "oiccli-emulator-fr:eu-frankfurt-1:3",
        "--grants-delay",
        "7",
      ],
      { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8");
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const firstLine = await new Promise<string>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout });
      lines.once("line", (line) => {
        stdout += `${line}\n`;
        resolve(line);
      });
      child.once("exit", () => reject(new Error(`exited before ready: ${stderr}`)));
    });
    child.stdout.on("data", (chunk: string) => (stdout += chunk));
    const info = JSON.parse(firstLine) as EmulatorInfo;
    expect(Object.keys(info)).toEqual([
      "idcsUrl",
      "runtimeUrl",
      "designTimeUrl",
      "integrationInstance",
      "integrationInstanceId",
      "oicAppId",
      "audience",
      "scopes",
      "caFile",
      "admin",
    ]);
    expect(info).toMatchObject({
      idcsUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) as string,
      runtimeUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.2:\d+$/) as string,
      designTimeUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.3:\d+$/) as string,
      integrationInstance: "oicdev-emulator-ia",
      caFile: null,
      admin: { scope: "urn:opc:idm:__myscopes__" },
    });
    expect(Object.keys(info.scopes)).toEqual(["consumerAll", "icApi"]);

    const token = await httpRequest(`${info.idcsUrl}/oauth2/v1/token`, {
      method: "POST",
      headers: {
        authorization: `Basic ${Buffer.from(`${info.admin.clientId}:${info.admin.clientSecret}`).toString("base64")}`,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: `grant_type=client_credentials&scope=${encodeURIComponent(info.admin.scope)}`,
    });
    expect(token.status).toBe(200);
    const propagation = await httpRequest(`${info.idcsUrl}/__emulator/propagation`);
    expect(propagation.json()).toEqual({ appsMs: 0, grantsMs: 7, scopesMs: 0 });
    const extra = await httpRequest(`${info.runtimeUrl}/ic/api/x?integrationInstance=oiccli-emulator-fr`);
    expect(extra.status).toBe(307);

    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(stdout).toBe(`${firstLine}\n`);
    expect(stderr).toContain(`oic-emulator: identity domain ${info.idcsUrl}\n`);
    expect(stderr).toContain("oic-emulator: POST identity /oauth2/v1/token -> 200\n");
    expect(stderr).toContain("oic-emulator: stopped (SIGTERM)\n");
    expect(stderr).not.toContain(info.admin.clientSecret);
    expect(stderr).not.toContain(token.json<{ access_token: string }>().access_token);
  });
});

describe("main(argv) in process", () => {
  it("returns 0 for --help and a non-zero code for bad options, naming the problem", async () => {
    const errors: string[] = [];
    const out: string[] = [];
    const errorSpy = vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
      errors.push(String(chunk));
      return true;
    });
    const outSpy = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
      out.push(String(chunk));
      return true;
    });
    try {
      expect(await main(["--help"])).toBe(0);
      expect(out.join("")).toContain("--grants-delay <ms>");
      expect(await main(["--port", "eighty"])).toBe(1);
      expect(errors.join("")).toContain(
        "error: option '--port <n>' argument 'eighty' is invalid. expected a non-negative integer.",
      );
      expect(await main(["--instance", "Bad_Name"])).toBe(1);
      expect(errors.join("")).toContain("expected name[:region[:connections]] with a lower-case name.");
      expect(out.join("")).toContain("--missing-role-answer <answer>");
      expect(await main(["--missing-role-answer", "418"])).toBe(1);
      expect(errors.join("")).toContain(
        "error: option '--missing-role-answer <answer>' argument '418' is invalid. Allowed choices are 401-not-authorized, 401-not-authenticated, 403-not-authorized.",
      );
      expect(await main(["--frobnicate"])).toBe(1);
      expect(errors.join("")).toContain("error: unknown option '--frobnicate'");
    } finally {
      errorSpy.mockRestore();
      outSpy.mockRestore();
    }
  });
});
