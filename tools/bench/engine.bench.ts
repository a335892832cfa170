/**
 * `npm run bench:engine`: the real pulumi CLI (npm run engine:build) running index.ts against the emulator.
 * Prints figures and ratios; asserts nothing.
 *
 * 1. Program start: `pulumi preview` of one client, the program type-checked by ts-node (tsconfig.json),
 *    transpiled only (tsconfig.pulumi.json's `noCheck`, the project's default: `npm test` type-checks with tsc),
 *    and precompiled to JavaScript (`tsc`, then a project whose `main` is the compiled index.js).
 * 2. `pulumi up` wall time for 1, 10 and 50 clients, each access check included, and the language host's peak
 *    memory (the program's node process, sampled from /proc).
 */
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { startEmulator, type EmulatorHandle } from "../emulator";
import { newDeployerKey } from "../rehearsal/deployerKey";
import {
  EngineStack,
  PROJECT_ROOT,
  emulatorStackConfig,
  expectSuccess,
  runCommand,
  type ClientConfig,
  type CommandResult,
} from "../engine/engineStack";

const RUNS = Number(process.env["BENCH_RUNS"] ?? 3);
const SIZES = (process.env["BENCH_CLIENTS"] ?? "1,10,50").split(",").map(Number);

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function clients(count: number): ClientConfig[] {
  return Array.from({ length: count }, (_, index) => ({
    name: `client-${String(index).padStart(2, "0")}`,
    roles: ["ServiceUser"],
    scopes: ["icApi"],
  }));
}

/** Largest resident set of any process whose command line matches, sampled every 50 ms while `work` runs. */
async function peakRss<T>(
  matches: (cmdline: string) => boolean,
  work: () => Promise<T>,
): Promise<[T, number]> {
  let peak = 0;
  const sample = (): void => {
    for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
      try {
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
        if (!matches(cmdline)) continue;
        const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
        if (rss !== undefined) peak = Math.max(peak, Number(rss) * 1024);
      } catch {
        // The process ended between the listing and the read.
      }
    }
  };
  const timer = setInterval(sample, 50);
  try {
    return [await work(), peak];
  } finally {
    clearInterval(timer);
  }
}

/** A copy of the project whose program is index.ts compiled to JavaScript (node_modules linked, not copied). */
async function precompiledProject(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "oic-precompiled-"));
  const compiled = await runCommand("npx", ["tsc", "--outDir", join(dir, "dist"), "--sourceMap", "false"], {
    cwd: PROJECT_ROOT,
    env: process.env,
  });
  expectSuccess(compiled, "tsc");
  symlinkSync(join(PROJECT_ROOT, "node_modules"), join(dir, "node_modules"));
  cpSync(join(PROJECT_ROOT, "package.json"), join(dir, "package.json"));
  writeFileSync(
    join(dir, "Pulumi.yaml"),
    "name: oic-client-provisioner\nruntime:\n  name: nodejs\n  options:\n    typescript: false\nmain: dist/index.js\nstackConfigDir: stacks\n",
  );
  return dir;
}

async function startupFigures(emu: EmulatorHandle, keyFile: string, key: ReturnType<typeof newDeployerKey>) {
  const stack = await EngineStack.create(`bench-start-${process.pid}`, { SSL_CERT_FILE: emu.caFile ?? "" });
  let precompiled: string | undefined;
  try {
    await stack.writeConfig(emulatorStackConfig(emu, key, keyFile, clients(1)));
    precompiled = await precompiledProject();
    return await previewFigures(stack, precompiled);
  } finally {
    // A failed run leaves no stack, backend or compiled copy behind.
    stack.remove();
    if (precompiled !== undefined) rmSync(precompiled, { recursive: true, force: true });
  }
}

async function previewFigures(stack: EngineStack, precompiled: string): Promise<Record<string, number>> {
  const modes: Record<string, () => Promise<number>> = {
    "type-checked by ts-node": async () =>
      expectSuccess(
        await stack.pulumi(["preview"], { PULUMI_NODEJS_TSCONFIG_PATH: "tsconfig.json" }),
        "preview",
      ).ms,
    "noCheck (the default)": async () => expectSuccess(await stack.preview(), "preview").ms,
    "precompiled JavaScript": async () =>
      expectSuccess(
        // typescript: false, but the runtime still checks that the tsconfig it is given exists.
        await stack.pulumi(
          ["preview"],
          { PULUMI_NODEJS_TSCONFIG_PATH: join(PROJECT_ROOT, "tsconfig.json") },
          precompiled,
        ),
        "preview",
      ).ms,
  };
  const figures: Record<string, number> = {};
  for (const [mode, run] of Object.entries(modes)) {
    await run(); // warm-up: ts-node's and the OS's caches
    const times: number[] = [];
    for (let i = 0; i < RUNS; i += 1) times.push(await run());
    figures[mode] = median(times);
  }
  return figures;
}

async function main(): Promise<void> {
  if (!existsSync(join(PROJECT_ROOT, ".engine", "bin", "pulumi")))
    throw new Error("run npm run engine:build first");
  const key = newDeployerKey();
  const emu = await startEmulator({
    adminPublicKeyPem: key.publicKeyPem,
    // The whole keyId is checked: tenancy, user and fingerprint of this key.
    adminKeyTenancyOcid: key.credentials.tenancyOcid,
    adminKeyUserOcid: key.credentials.userOcid,
  });
  const keyDir = mkdtempSync(join(tmpdir(), "oic-bench-key-"));
  const keyFile = join(keyDir, "key.pem");
  writeFileSync(keyFile, key.credentials.privateKey, { mode: 0o600 });
  try {
    console.log(`pulumi preview of 1 client, median of ${RUNS} after a warm-up:`);
    const start = await startupFigures(emu, keyFile, key);
    const base = start["type-checked by ts-node"] ?? Number.NaN;
    for (const [mode, ms] of Object.entries(start)) {
      console.log(
        `  ${mode.padEnd(24)} ${String(ms).padStart(6)} ms   ratio to type-checked ${(ms / base).toFixed(2)}`,
      );
    }

    console.log("\npulumi up (create, access checks included) and destroy, by number of clients:");
    let one = Number.NaN;
    for (const size of SIZES) {
      const stack = await EngineStack.create(`bench-${size}-${process.pid}`, {
        SSL_CERT_FILE: emu.caFile ?? "",
      });
      let up: CommandResult, rss: number, destroy: CommandResult;
      try {
        await stack.writeConfig(emulatorStackConfig(emu, key, keyFile, clients(size)));
        [up, rss] = await peakRss(
          (cmdline) => cmdline.includes("node") && cmdline.includes("cmd/run"),
          async () => expectSuccess(await stack.up(), `pulumi up of ${size} clients`),
        );
        destroy = expectSuccess(await stack.destroy(), `pulumi destroy of ${size} clients`);
      } finally {
        stack.remove();
      }
      if (size === SIZES[0]) one = up.ms;
      console.log(
        `  ${String(size).padStart(3)} clients: up ${String(up.ms).padStart(6)} ms (x${(up.ms / one).toFixed(2)} of ${SIZES[0]}), destroy ${String(destroy.ms).padStart(6)} ms, program peak RSS ${(rss / 2 ** 20).toFixed(0)} MiB`,
      );
    }
  } finally {
    await emu.close();
    rmSync(keyDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
