import { capacityProblems } from "./capacity";
import { dev } from "./dev";
import { grafanaProblems } from "./grafana-problems";
import { ValidationError } from "../model/validation-error";
import { profileIssuesError, profileProblemsError } from "./profile-validation-error";
import { local } from "./local";
import { postureProblems } from "./posture";
import { prod } from "./prod";
import { ENVIRONMENT_NAMES, environmentProfileSchema, type EnvironmentName, type EnvironmentProfile, type EnvironmentProfileInput } from "./profile-schema";
import { staging } from "./staging";

export * from "./profile-schema";
export { ProfileValidationError } from "./profile-validation-error";

/** The profiles as written, by environment name. */
export const PROFILE_INPUTS: Readonly<Record<EnvironmentName, EnvironmentProfileInput>> = { local, dev, staging, prod };

/**
 * Validates one profile: the schema (types, ranges, unknown keys), then production posture,
 * Grafana's replicas and shared database, and the capacity the requests must fit. Throws
 * {@link ProfileValidationError} listing every problem with its path and the value received.
 */
export function parseProfile(input: unknown, label = "(unnamed)"): EnvironmentProfile {
  const parsed = environmentProfileSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) throw profileIssuesError(label, input, parsed.error.issues);
  const problems = [...postureProblems(parsed.data), ...grafanaProblems(parsed.data), ...capacityProblems(parsed.data)];
  if (problems.length > 0) throw profileProblemsError(label, input, problems);
  return parsed.data;
}

/**
 * Validated profiles of the given environments (all of them by default), in a fixed order. Each
 * profile's `name` must be the environment it is loaded as: the name, not the key, names its
 * stacks and its `generated/` directory.
 */
export function loadProfiles(
  names: readonly EnvironmentName[] = ENVIRONMENT_NAMES,
  inputs: Readonly<Record<EnvironmentName, unknown>> = PROFILE_INPUTS,
): EnvironmentProfile[] {
  // Every environment is validated: a problem in one never hides the problems of the next.
  return ValidationError.collect(names, (name) => {
    const profile = parseProfile(inputs[name], name);
    if (profile.name !== name) {
      throw profileProblemsError(name, inputs[name], [
        { path: ["name"], message: `must be "${name}", the environment it is loaded as`, received: profile.name },
      ]);
    }
    return profile;
  });
}
