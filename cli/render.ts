import picocolors from "picocolors";

import type { VerifyProgress, VerifyResult } from "../components/verifier";

export type Colors = ReturnType<typeof picocolors.createColors>;

/** Colour only for a terminal, never with NO_COLOR (https://no-color.org) or TERM=dumb. */
export function colorsFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv, flag: boolean): Colors {
  const enabled = flag && stream.isTTY === true && !env.NO_COLOR && env.TERM !== "dumb";
  return picocolors.createColors(enabled);
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** One line while the check waits to try again. */
export function progressLine(progress: VerifyProgress): string {
  const status = progress.httpStatus === null ? "" : ` (HTTP ${progress.httpStatus})`;
  return `${progress.clientId}: ${progress.diagnosis}${status} on attempt ${progress.attempt}; retrying in ${seconds(progress.retryInMs)} (${seconds(progress.elapsedMs)} elapsed)`;
}

/** The readable summary of one client's result. */
export function renderResult(result: VerifyResult, c: Colors, label?: string): string {
  const mark = result.ok ? c.green("✔") : c.red("✖");
  const code = result.ok ? c.green(result.diagnosis) : c.red(c.bold(result.diagnosis));
  const facts = [
    result.httpStatus === null ? undefined : `HTTP ${result.httpStatus}`,
    result.connections === null
      ? undefined
      : `${result.connections} connection${result.connections === 1 ? "" : "s"}`,
    `${result.attempts} attempt${result.attempts === 1 ? "" : "s"}`,
    `${result.elapsedMs} ms`,
    result.tokenExpiresAt === null ? undefined : `token expires ${result.tokenExpiresAt}`,
  ].filter((fact): fact is string => fact !== undefined);
  const lines = [
    `${mark} ${code}  ${c.bold(label ?? result.clientId)}`,
    `  ${result.message}`,
    ...(result.ok ? [] : [`  ${c.yellow("fix:")} ${result.hint}`]),
    `  ${c.dim(facts.join(" · "))}`,
  ];
  return `${lines.join("\n")}\n`;
}
