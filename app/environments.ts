/** Every environment's artifacts: the validated profiles crossed with the service catalog. */
import { buildEnvironmentArtifacts, type EnvironmentArtifacts } from "../artifacts/environment-artifacts";
import { ENVIRONMENT_NAMES, loadProfiles, PROFILE_INPUTS, type EnvironmentName } from "../environments";
import { SERVICE_CATALOG } from "../services";
import type { ServiceSpec } from "../signals/service-spec";

/**
 * Artifacts of every environment, from the validated profiles and the service catalog. All
 * profiles are validated before anything is built, so one bad profile fails the whole synth.
 */
export function buildAllArtifacts(
  profileInputs: Readonly<Record<EnvironmentName, unknown>> = PROFILE_INPUTS,
  services: readonly ServiceSpec[] = SERVICE_CATALOG,
): EnvironmentArtifacts[] {
  return loadProfiles(ENVIRONMENT_NAMES, profileInputs).map((profile) => buildEnvironmentArtifacts(profile, services));
}
