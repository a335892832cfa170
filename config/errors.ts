import { RunError } from "@pulumi/pulumi";
import type { ConfigProblem } from "./issues";

/** The one message of a bad stack config: a line per problem, each naming its full key. */
export function formatConfigProblems(stack: string, problems: readonly ConfigProblem[]): string {
  const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
  return [
    `The configuration of stack "${stack}" has ${count}; nothing was deployed.`,
    ...problems.map((problem) => `  - ${problem.key}: ${problem.text}`),
    `Fix them in stacks/Pulumi.${stack}.yaml; docs/configuration.md describes every key.`,
  ].join("\n");
}

/**
 * Thrown by `loadStackConfig()` before any resource is declared. A `RunError`, so that Pulumi prints the message
 * alone, without a stack trace that would bury it.
 */
export class StackConfigError extends RunError {
  override readonly name = "StackConfigError";
  readonly problems: readonly ConfigProblem[];

  constructor(stack: string, problems: readonly ConfigProblem[]) {
    super(formatConfigProblems(stack, problems));
    this.problems = problems;
  }
}
