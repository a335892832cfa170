import { OicFactsError } from "../../../components/oic/errors";

/** The problems an `OicFactsError` thrown by `run` lists; fails when `run` throws nothing or something else. */
export function problemsOf(run: () => unknown): readonly string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof OicFactsError) return error.problems;
    throw error;
  }
  throw new Error("expected an OicFactsError");
}
