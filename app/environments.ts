/** Every environment's artifacts: the validated profiles crossed with the service catalog. */
import { buildEnvironmentArtifacts, type EnvironmentArtifacts } from "../artifacts/environment-artifacts";
import { timingProblems } from "../artifacts/timing-problems";
import { ENVIRONMENT_NAMES, loadProfiles, PROFILE_INPUTS, type EnvironmentName } from "../environments";
import type { EnvironmentProfile } from "../environments/profile-schema";
import { profileProblemsError } from "../environments/profile-validation-error";
import { formatProblems, ValidationError } from "../model/validation-error";
import { SERVICES } from "../services";
import { buildCatalog } from "../signals/catalog";
import { canaryEnvironmentProblems } from "../signals/canary/environments";
import { serviceErrorContext, ServiceSpecError, type ServiceSpec, type ServiceSpecInput } from "../signals/service-spec";

/**
 * Each service whose canary flows name an environment no profile has, or a writing flow an
 * environment that forbids writing canaries: one error per service, its lines naming the path
 * (`canaries[0].environments[1]`), the flow and the value.
 */
export function canaryEnvironmentErrors(catalog: readonly ServiceSpec[], profiles: readonly EnvironmentProfile[]): ValidationError[] {
  const environments = profiles.map((p) => ({ name: p.name, allowsWrites: p.canaryRunner.allowWrites }));
  return catalog.flatMap((service) => {
    const problems = canaryEnvironmentProblems(service.canaries, environments);
    if (problems.length === 0) return [];
    const lines = formatProblems(problems, { input: service, context: (path) => serviceErrorContext(service, path) });
    return [new ServiceSpecError(lines, service.name)];
  });
}

/**
 * Artifacts of every environment, from the validated profiles and the service catalog. Every
 * profile and every service is validated before anything is built, and every problem of all of
 * them is reported at once (one ValidationError); then the canary flows' environments are checked
 * against the profiles, and each environment's timing against the rules it runs (scrape and
 * evaluation intervals), every problem of both at once. Nothing is returned, so nothing is
 * written, when any check fails.
 */
export function buildAllArtifacts(
  profileInputs: Readonly<Record<EnvironmentName, unknown>> = PROFILE_INPUTS,
  services: readonly (ServiceSpecInput | ServiceSpec)[] = SERVICES,
): EnvironmentArtifacts[] {
  const errors: ValidationError[] = [];
  const profiles = ValidationError.attempt(errors, () => loadProfiles(ENVIRONMENT_NAMES, profileInputs));
  const catalog = ValidationError.attempt(errors, () => buildCatalog(services));
  if (profiles === undefined || catalog === undefined) throw ValidationError.combine(errors);
  const canaries = canaryEnvironmentErrors(catalog, profiles);
  const environments = profiles.map((profile) => buildEnvironmentArtifacts(profile, catalog));
  const timing = environments.flatMap((env) => {
    const problems = timingProblems(env.profile, env.ruleFiles, env.rulerRuleFiles);
    return problems.length === 0 ? [] : [profileProblemsError(env.profile.name, profileInputs[env.profile.name as EnvironmentName], problems)];
  });
  if (canaries.length + timing.length > 0) throw ValidationError.combine([...canaries, ...timing]);
  return environments;
}
