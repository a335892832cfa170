/**
 * `oic-emulator` (`npm run emulator`, `npx oic-emulator`): starts the emulator, prints exactly one JSON line
 * (the EmulatorInfo) on stdout when ready, logs to stderr, and stops cleanly on SIGINT/SIGTERM.
 */
import { readFile } from "node:fs/promises";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { startEmulator } from "./index";
import {
  type EmulatorInfo,
  type EmulatorOptions,
  MISSING_ROLE_ANSWERS,
  type MissingRoleAnswer,
  type RecordedRequest,
  type SeedInstance,
} from "./types";

function nonNegativeInteger(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError("expected a non-negative integer.");
  return Number(value);
}

function port(value: string): number {
  const n = nonNegativeInteger(value);
  if (n > 65535) throw new InvalidArgumentError("expected a port number from 0 to 65535.");
  return n;
}

/** `name[:region[:connections]]`, repeatable. */
function instance(value: string, previous: SeedInstance[]): SeedInstance[] {
  const [name = "", region, connections] = value.split(":");
  if (!/^[a-z0-9-]+$/.test(name))
    throw new InvalidArgumentError("expected name[:region[:connections]] with a lower-case name.");
  if (connections !== undefined && !/^\d+$/.test(connections))
    throw new InvalidArgumentError("connections must be a number.");
  return [
    ...previous,
    {
      name,
      ...(region ? { region } : {}),
      ...(connections !== undefined ? { connections: Number(connections) } : {}),
    },
  ];
}

interface CliOptions {
  readonly port: number;
  readonly http?: boolean;
  readonly controlApi?: boolean;
  readonly stateDir?: string;
  readonly appsDelay?: number;
  readonly grantsDelay?: number;
  readonly scopesDelay?: number;
  readonly instance: SeedInstance[];
  readonly tokenTtl?: number;
  readonly adminPublicKey?: string;
  readonly adminTenancy?: string;
  readonly adminUser?: string;
  readonly missingRoleAnswer?: MissingRoleAnswer;
  readonly logRequests?: boolean;
}

function program(): Command {
  return new Command("oic-emulator")
    .description("Local emulator of an OCI identity domain and Oracle Integration (see docs/emulator.md).")
    .option("--port <n>", "identity-domain port; 0 picks a free one", port, 0)
    .option("--http", "serve plain HTTP instead of HTTPS (caFile is then null)")
    .option("--control-api", "serve the /__emulator/* knobs on the identity host")
    .option("--state-dir <dir>", "where ca.pem is written (default: a temporary directory)")
    .option("--apps-delay <ms>", "propagation delay of new or re-activated apps", nonNegativeInteger)
    .option("--grants-delay <ms>", "propagation delay of new grants", nonNegativeInteger)
    .option("--scopes-delay <ms>", "propagation delay of new allowed scopes", nonNegativeInteger)
    .option("--instance <name[:region[:connections]]>", "an extra OIC instance (repeatable)", instance, [])
    .option("--token-ttl <seconds>", "lifetime of access tokens", nonNegativeInteger)
    .option(
      "--admin-public-key <file>",
      "trust this PEM public key for OCI request signatures (the keyId must name its fingerprint)",
    )
    .option("--admin-tenancy <ocid>", "with --admin-public-key: the tenancy the keyId must name")
    .option("--admin-user <ocid>", "with --admin-public-key: the user the keyId must name")
    .addOption(
      new Option(
        "--missing-role-answer <answer>",
        "what OIC answers a client without the role (default 401-not-authorized)",
      ).choices(MISSING_ROLE_ANSWERS),
    )
    .option("--log-requests", "log each request (method, host, path, status) to stderr")
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });
}

function waitForSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const handler = (signal: NodeJS.Signals): void => {
      process.off("SIGINT", handler);
      process.off("SIGTERM", handler);
      resolve(signal);
    };
    process.on("SIGINT", handler);
    process.on("SIGTERM", handler);
  });
}

function logRequest(request: RecordedRequest): void {
  process.stderr.write(
    `oic-emulator: ${request.method} ${request.host} ${request.path} -> ${request.status}\n`,
  );
}

export async function main(argv: string[]): Promise<number> {
  const command = program();
  try {
    command.parse(argv, { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    throw error;
  }
  const cli = command.opts<CliOptions>();
  const options: EmulatorOptions = {
    port: cli.port,
    http: cli.http === true,
    controlApi: cli.controlApi === true,
    ...(cli.stateDir ? { stateDir: cli.stateDir } : {}),
    instances: cli.instance,
    propagation: { appsMs: cli.appsDelay, grantsMs: cli.grantsDelay, scopesMs: cli.scopesDelay },
    ...(cli.tokenTtl !== undefined ? { tokenTtlSeconds: cli.tokenTtl } : {}),
    ...(cli.missingRoleAnswer !== undefined ? { missingRoleAnswer: cli.missingRoleAnswer } : {}),
    ...(cli.adminPublicKey ? { adminPublicKeyPem: await readFile(cli.adminPublicKey, "utf8") } : {}),
    ...(cli.adminTenancy ? { adminKeyTenancyOcid: cli.adminTenancy } : {}),
    ...(cli.adminUser ? { adminKeyUserOcid: cli.adminUser } : {}),
    ...(cli.logRequests ? { onRequest: logRequest } : {}),
  };
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  try {
    emulator = await startEmulator(options);
  } catch (error) {
    process.stderr.write(`oic-emulator: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  const stopped = waitForSignal();
  const info: EmulatorInfo = {
    idcsUrl: emulator.idcsUrl,
    runtimeUrl: emulator.runtimeUrl,
    designTimeUrl: emulator.designTimeUrl,
    integrationInstance: emulator.integrationInstance,
    integrationInstanceId: emulator.integrationInstanceId,
    oicAppId: emulator.oicAppId,
    audience: emulator.audience,
    scopes: emulator.scopes,
    caFile: emulator.caFile,
    admin: emulator.admin,
  };
  process.stdout.write(`${JSON.stringify(info)}\n`);
  process.stderr.write(
    [
      `oic-emulator: identity domain ${info.idcsUrl}`,
      `oic-emulator: OIC runtime ${info.runtimeUrl}, design time ${info.designTimeUrl}, instance ${info.integrationInstance}`,
      info.caFile ? `oic-emulator: CA certificate ${info.caFile}` : "oic-emulator: plain HTTP (no TLS)",
      options.controlApi ? `oic-emulator: control API ${info.idcsUrl}/__emulator/` : undefined,
      "oic-emulator: ready; Ctrl-C stops it",
    ]
      .filter((line) => line !== undefined)
      .join("\n") + "\n",
  );
  const signal = await stopped;
  await emulator.close();
  process.stderr.write(`oic-emulator: stopped (${signal})\n`);
  return 0;
}
