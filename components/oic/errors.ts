/**
 * A fact about the OIC instance or its identity-domain app that does not hold (a missing field, an ambiguous role,
 * an unpublished scope). Each problem is one self-contained sentence that says what is wrong and how to fix it;
 * the message joins them, one per line.
 */
export class OicFactsError extends Error {
  override readonly name = "OicFactsError";
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(problems.join("\n"));
    this.problems = problems;
  }
}
