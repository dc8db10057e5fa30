import { parseServiceSpec, ServiceSpecError } from "../../signals/service-spec";

/** The problem lines `parseServiceSpec` rejects `input` with; throws when it accepts it. */
export function specProblems(input: unknown): readonly string[] {
  try {
    parseServiceSpec(input);
  } catch (error) {
    if (error instanceof ServiceSpecError) return error.problems;
    throw error;
  }
  throw new Error("expected the spec to be rejected");
}
