/** Every environment's artifacts: the validated profiles crossed with the service catalog. */
import { buildEnvironmentArtifacts, type EnvironmentArtifacts } from "../artifacts/environment-artifacts";
import { timingProblems } from "../artifacts/timing-problems";
import { ENVIRONMENT_NAMES, loadProfiles, PROFILE_INPUTS, type EnvironmentName } from "../environments";
import { profileProblemsError } from "../environments/profile-validation-error";
import { ValidationError } from "../model/validation-error";
import { SERVICES } from "../services";
import { buildCatalog } from "../signals/catalog";
import type { ServiceSpec, ServiceSpecInput } from "../signals/service-spec";

/**
 * Artifacts of every environment, from the validated profiles and the service catalog. Every
 * profile and every service is validated before anything is built, and every problem of all of
 * them is reported at once (one ValidationError); then each environment's timing is checked
 * against the rules it runs (scrape and evaluation intervals).
 */
export function buildAllArtifacts(
  profileInputs: Readonly<Record<EnvironmentName, unknown>> = PROFILE_INPUTS,
  services: readonly (ServiceSpecInput | ServiceSpec)[] = SERVICES,
): EnvironmentArtifacts[] {
  const errors: ValidationError[] = [];
  const profiles = ValidationError.attempt(errors, () => loadProfiles(ENVIRONMENT_NAMES, profileInputs));
  const catalog = ValidationError.attempt(errors, () => buildCatalog(services));
  if (profiles === undefined || catalog === undefined) throw ValidationError.combine(errors);
  const environments = profiles.map((profile) => buildEnvironmentArtifacts(profile, catalog));
  const timing = environments.flatMap((env) => {
    const problems = timingProblems(env.profile, env.ruleFiles, env.rulerRuleFiles);
    return problems.length === 0 ? [] : [profileProblemsError(env.profile.name, profileInputs[env.profile.name as EnvironmentName], problems)];
  });
  if (timing.length > 0) throw ValidationError.combine(timing);
  return environments;
}
