/** In-process runs of the CLI's main with captured streams, and fake `pulumi` executables on a PATH. */
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { main, type CliStream } from "../../cli/oic-verify";

export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A stand-in for a terminal: what ora calls on one, and the text written to it. */
export interface FakeTerminal extends CliStream {
  readonly isTTY: true;
  readonly columns: number;
  cursorTo(x: number): boolean;
  moveCursor(dx: number, dy: number): boolean;
  clearLine(dir: number): boolean;
}

export function fakeTerminal(columns: number, sink: (chunk: string) => void): FakeTerminal {
  return {
    isTTY: true,
    columns,
    write: (chunk: string) => {
      sink(chunk);
      return true;
    },
    cursorTo: () => true,
    moveCursor: () => true,
    clearLine: () => true,
  };
}

export async function runMain(
  argv: string[],
  env: NodeJS.ProcessEnv = {},
  tty = false,
  stderrColumns?: number,
): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, {
    stdout: { write: (chunk: string) => (stdout += chunk), isTTY: tty },
    stderr:
      stderrColumns === undefined
        ? { write: (chunk: string) => (stderr += chunk), isTTY: false }
        : fakeTerminal(stderrColumns, (chunk) => (stderr += chunk)),
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
