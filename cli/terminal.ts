/** What the project's command-line tools write to, so tests can give them fake terminals. */
export interface CliStream {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
  /** Terminal width; a terminal that reports 0 gets plain progress lines (ora would divide by it). */
  readonly columns?: number;
}

export interface CliIo {
  readonly stdout: CliStream;
  readonly stderr: CliStream;
  readonly env: NodeJS.ProcessEnv;
}

export const processIo: CliIo = { stdout: process.stdout, stderr: process.stderr, env: process.env };

export interface Spinner {
  update(text: string): void;
  /** Runs `write` (e.g. a line to stdout, the same terminal) with the spinner cleared, then redraws it. */
  around(write: () => void): void;
  stop(): void;
}

/**
 * An ora spinner on a real terminal (one that reports a width), undefined anywhere else: callers then print
 * plain progress lines. ora is ESM only, so it is loaded when needed.
 */
export async function terminalSpinner(io: CliIo, text: string): Promise<Spinner | undefined> {
  if (io.stderr.isTTY !== true || !((io.stderr.columns ?? 0) > 0)) return undefined;
  const { default: ora } = await import("ora");
  const spinner = ora({
    text,
    // ora only writes through the stream's TTY methods (cursorTo, clearLine…), present on a real terminal.
    stream: io.stderr as NodeJS.WritableStream,
    isEnabled: true,
    // Raw stdin would stop Ctrl+C from reaching the process as SIGINT.
    discardStdin: false,
    color: io.env.NO_COLOR ? false : "cyan",
  }).start();
  return {
    update(next) {
      spinner.text = next;
      // Draw now: the wait may end before the spinner's next frame would show the new text.
      spinner.render();
    },
    around(write) {
      spinner.clear();
      write();
      spinner.render();
    },
    stop() {
      spinner.stop();
    },
  };
}
