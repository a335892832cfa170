/**
 * The real engine, driven as a user drives it: the `pulumi` CLI built by `npm run engine:build` (.engine/), a
 * local file backend in a temporary directory, the passphrase secrets provider, and a stack whose config file
 * lives in that directory (`--config-file`), so a test never writes into stacks/. The program is this checkout's
 * index.ts, unchanged, or another project given by its directory (the YAML program that consumes components/).
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

import type { EmulatorHandle } from "../emulator";
import type { DeployerKey } from "../rehearsal/deployerKey";

export const PROJECT_ROOT = resolve(__dirname, "../..");
export const ENGINE = join(PROJECT_ROOT, ".engine");
const PASSPHRASE = "engine-test-passphrase";
const NAMESPACE = "oic-client-provisioner";

export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout and stderr together, for assertions on what a user sees. */
  readonly output: string;
  readonly ms: number;
}

/** The environment `.engine/env.sh` sets, plus a private backend and passphrase. */
export function engineEnvironment(backendDir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PATH: `${join(ENGINE, "bin")}:${process.env["PATH"] ?? ""}`,
    PULUMI_HOME: join(ENGINE, "home"),
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_BACKEND_URL: `file://${backendDir}`,
    PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
    // What Pulumi.yaml's `tsconfig` runtime option makes the current language host set; the host built here
    // (sdk v3.68.0) predates the option, so it is set as the current host would.
    PULUMI_NODEJS_TSCONFIG_PATH: "tsconfig.pulumi.json",
    // No colour or progress frames in captured output.
    PULUMI_SKIP_CONFIRMATIONS: "true",
    NO_COLOR: "1",
    ...extra,
  };
}

export function assertEngineBuilt(): void {
  for (const binary of [
    "pulumi",
    "pulumi-language-nodejs",
    "pulumi-language-yaml",
    "pulumi-resource-pulumi-nodejs",
  ]) {
    if (!existsSync(join(ENGINE, "bin", binary))) {
      throw new Error(`.engine/bin/${binary} is missing: run npm run engine:build first`);
    }
  }
}

export function runCommand(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<CommandResult> {
  const started = Date.now();
  return new Promise((resolveResult) => {
    execFile(
      command,
      [...args],
      {
        cwd: options.cwd,
        env: options.env,
        timeout: options.timeoutMs ?? 300_000,
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1;
        resolveResult({ code, stdout, stderr, output: `${stdout}\n${stderr}`, ms: Date.now() - started });
      },
    );
  });
}

export interface StackConfig {
  /** Provider keys without their namespace, e.g. `{ region: "us-ashburn-1" }` for `oci:region`. */
  readonly oci: Readonly<Record<string, string>>;
  /** The program's keys without the `oic-client-provisioner:` namespace. */
  readonly program: Readonly<Record<string, unknown>>;
  /** Keys set as secrets (`pulumi config set --secret`), full names. */
  readonly secrets?: Readonly<Record<string, string>>;
}

/** A Pulumi project other than this checkout's own. */
export interface EngineProject {
  /** The directory of its Pulumi.yaml, where every command runs. */
  readonly dir: string;
  /** Its Pulumi.yaml's `stackConfigDir`, where `pulumi stack init` writes the stack file; default the project dir. */
  readonly stackConfigDir?: string;
}

const THIS_PROJECT: Required<EngineProject> = { dir: PROJECT_ROOT, stackConfigDir: "stacks" };

export class EngineStack {
  readonly dir: string;
  readonly backendDir: string;
  readonly configFile: string;
  private readonly salt: string;
  private extraEnv: NodeJS.ProcessEnv;

  private constructor(
    readonly name: string,
    dir: string,
    salt: string,
    extraEnv: NodeJS.ProcessEnv,
    /** Where the program's Pulumi.yaml is: commands run there. */
    readonly projectDir: string,
  ) {
    this.dir = dir;
    this.backendDir = join(dir, "backend");
    this.configFile = join(dir, `Pulumi.${name}.yaml`);
    this.salt = salt;
    this.extraEnv = extraEnv;
  }

  /**
   * `pulumi stack init` in a fresh backend; the stack file it writes into stacks/ (or the given project's stack
   * config directory) is moved to the temp dir.
   */
  static async create(
    name: string,
    extraEnv: NodeJS.ProcessEnv = {},
    project: EngineProject = THIS_PROJECT,
  ): Promise<EngineStack> {
    assertEngineBuilt();
    const dir = mkdtempSync(join(tmpdir(), "oic-engine-"));
    mkdirSync(join(dir, "backend"));
    const env = engineEnvironment(join(dir, "backend"), extraEnv);
    const created = await runCommand("pulumi", ["stack", "init", name, "--non-interactive"], {
      cwd: project.dir,
      env,
    });
    const written = join(project.dir, project.stackConfigDir ?? "", `Pulumi.${name}.yaml`);
    const text = existsSync(written) ? readFileSync(written, "utf8") : "";
    if (existsSync(written)) unlinkSync(written);
    if (created.code !== 0) throw new Error(`pulumi stack init failed: ${created.output}`);
    const salt = /^encryptionsalt: (.+)$/m.exec(text)?.[1];
    if (salt === undefined) throw new Error(`pulumi stack init wrote no encryption salt: ${text}`);
    return new EngineStack(name, dir, salt, extraEnv, project.dir);
  }

  setEnv(extra: NodeJS.ProcessEnv): void {
    this.extraEnv = { ...this.extraEnv, ...extra };
  }

  /** Writes the whole stack config (JSON is YAML); secrets are then set through the CLI, encrypted. */
  async writeConfig(config: StackConfig): Promise<void> {
    const values: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(config.oci)) values[`oci:${key}`] = value;
    for (const [key, value] of Object.entries(config.program)) values[`${NAMESPACE}:${key}`] = value;
    writeFileSync(this.configFile, JSON.stringify({ encryptionsalt: this.salt, config: values }, null, 2));
    for (const [key, value] of Object.entries(config.secrets ?? {})) {
      const set = await this.pulumi(["config", "set", "--secret", key, "--", value]);
      if (set.code !== 0) throw new Error(`pulumi config set --secret ${key} failed: ${set.output}`);
    }
  }

  /** Any pulumi command on this stack, run in its project's directory (or another one). */
  pulumi(
    args: readonly string[],
    env: NodeJS.ProcessEnv = {},
    cwd = this.projectDir,
  ): Promise<CommandResult> {
    const stackArgs = [
      "--stack",
      this.name,
      "--non-interactive",
      ...(args[0] === "stack" ? [] : ["--config-file", this.configFile]),
    ];
    // Flags go before a `--`, after which everything is a value (a PEM key starts with dashes).
    const end = args.indexOf("--");
    const full =
      end < 0 ? [...args, ...stackArgs] : [...args.slice(0, end), ...stackArgs, ...args.slice(end)];
    return runCommand("pulumi", full, {
      cwd,
      env: engineEnvironment(this.backendDir, { ...this.extraEnv, ...env }),
    });
  }

  up(...flags: string[]): Promise<CommandResult> {
    return this.pulumi(["up", "--yes", "--skip-preview", ...flags]);
  }

  preview(...flags: string[]): Promise<CommandResult> {
    return this.pulumi(["preview", ...flags]);
  }

  destroy(...flags: string[]): Promise<CommandResult> {
    return this.pulumi(["destroy", "--yes", "--skip-preview", ...flags]);
  }

  async outputs(): Promise<Record<string, unknown>> {
    const result = await this.pulumi(["stack", "output", "--json", "--show-secrets"]);
    if (result.code !== 0) throw new Error(`pulumi stack output failed: ${result.output}`);
    return JSON.parse(result.stdout) as Record<string, unknown>;
  }

  async exportState(): Promise<string> {
    const result = await this.pulumi(["stack", "export"]);
    if (result.code !== 0) throw new Error(`pulumi stack export failed: ${result.output}`);
    return result.stdout;
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Fails with the command's own output, so a failing engine run explains itself in the test report. */
export function expectSuccess(result: CommandResult, what: string): CommandResult {
  if (result.code !== 0) throw new Error(`${what} exited ${result.code}:\n${result.output}`);
  return result;
}

export interface ClientConfig {
  readonly name: string;
  readonly roles: readonly string[];
  readonly scopes?: readonly string[];
  readonly probe?: string;
  readonly description?: string;
}

/**
 * A stack's config against a running emulator: the deployer's API key from a key file, the OIC facts given
 * explicitly (the provider cannot read the emulator's instance by OCID), TLS with the emulator's CA or plain HTTP.
 */
export function emulatorStackConfig(
  emu: EmulatorHandle,
  key: DeployerKey,
  keyFile: string,
  clients: readonly ClientConfig[],
  extra: Readonly<Record<string, unknown>> = {},
): StackConfig {
  const plainHttp = emu.caFile === null;
  return {
    oci: {
      region: "us-ashburn-1",
      tenancyOcid: key.credentials.tenancyOcid,
      userOcid: key.credentials.userOcid,
      fingerprint: key.credentials.fingerprint,
      privateKeyPath: keyFile,
    },
    program: {
      identityDomain: { endpoint: emu.idcsUrl, ...(plainHttp ? { allowPlainHttpOnLoopback: true } : {}) },
      integrationInstance: {
        idcsAppId: emu.oicAppId,
        designTimeUrl: emu.designTimeUrl,
        name: emu.integrationInstance,
        audience: emu.audience,
      },
      ...(plainHttp ? {} : { verification: { caFile: emu.caFile } }),
      clients,
      ...extra,
    },
  };
}
