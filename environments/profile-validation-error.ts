import { formatIssues, formatProblems, ValidationError, type Problem } from "../model/validation-error";
import type { z } from "zod";

/** Thrown when an environment profile does not validate; `problems` has one line per problem. */
export class ProfileValidationError extends ValidationError {
  constructor(
    readonly profileName: string,
    problems: readonly string[],
  ) {
    super(`invalid environment profile ${JSON.stringify(profileName)}`, problems);
    this.name = "ProfileValidationError";
  }
}

/** How the lines of a profile name where they are: `(environment "dev")`. */
function profileFormat(input: unknown, profileName: string) {
  return { input, context: () => [`environment ${JSON.stringify(profileName)}`] };
}

/** A profile's zod issues as a {@link ProfileValidationError}. */
export function profileIssuesError(profileName: string, input: unknown, issues: readonly z.core.$ZodIssue[]): ProfileValidationError {
  return new ProfileValidationError(profileName, formatIssues(issues, profileFormat(input, profileName)));
}

/** A profile's posture, capacity or naming problems as a {@link ProfileValidationError}. */
export function profileProblemsError(profileName: string, input: unknown, problems: readonly Problem[]): ProfileValidationError {
  return new ProfileValidationError(profileName, formatProblems(problems, profileFormat(input, profileName)));
}
