/**
 * Runs the emulator in its own process for the benchmark, so the verifier and the servers do not share one
 * event loop (a shared loop would charge the emulator's token signing and TLS to the verifier). Prints one
 * JSON line: the emulator's info and its seeded apps; stops when stdin closes.
 * Usage: node --import tsx tools/bench/emulatorProcess.ts <number of seeded clients>
 */
import { startEmulator } from "../emulator";

async function run(): Promise<void> {
  const count = Number(process.argv[2] ?? "1");
  const emulator = await startEmulator({
    controlApi: true,
    apps: Array.from({ length: count }, (_, i) => ({
      displayName: `bench-${i}`,
      scopes: ["icApi"] as const,
      roles: ["ServiceUser"],
    })),
  });
  const { control: _control, close, ...info } = emulator;
  process.stdout.write(`${JSON.stringify(info)}\n`);
  process.stdin.resume();
  process.stdin.on("end", () => {
    void close().then(() => process.exit(0));
  });
}

run().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
