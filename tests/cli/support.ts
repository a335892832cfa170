/** In-process runs of the CLI's main with captured streams, and fake `pulumi` executables on a PATH. */
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { main } from "../../cli/oic-verify";

export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function runMain(argv: string[], env: NodeJS.ProcessEnv = {}, tty = false): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, {
    stdout: { write: (chunk: string) => (stdout += chunk), isTTY: tty },
    stderr: { write: (chunk: string) => (stderr += chunk), isTTY: false },
    env: { PATH: process.env.PATH, ...env },
  });
  return { code, stdout, stderr };
}

/** A directory holding an executable `pulumi` shell script with the given body; use it as PATH. */
export function fakePulumi(script: string): string {
  const dir = mkdtempSync(join(tmpdir(), "fake-pulumi-"));
  const file = join(dir, "pulumi");
  writeFileSync(file, `#!/bin/sh\n${script}\n`);
  chmodSync(file, 0o755);
  return dir;
}

/** PATH with nothing on it but the shell tools a fake needs. */
export function pathWith(dir: string): string {
  return `${dir}:/usr/bin:/bin`;
}

export function emptyDir(): string {
  return mkdtempSync(join(tmpdir(), "empty-path-"));
}
