import { App } from "cdktf";
import { buildEnvironmentArtifacts, type EnvironmentArtifacts } from "./artifacts/environment-artifacts";
import { ENVIRONMENT_NAMES, loadProfiles, PROFILE_INPUTS, type EnvironmentName } from "./environments";
import type { ServiceSpec } from "./signals/service-spec";
import { SERVICE_CATALOG } from "./services";
import { ContentStack } from "./stacks/content-stack";
import { PlatformStack } from "./stacks/platform-stack";

/** Stack names are a contract (DESIGN.md section 4): `obs-<env>-platform`, `obs-<env>-content`. */
export const stackNames = (env: string) => ({ platform: `obs-${env}-platform`, content: `obs-${env}-content` });

/** Adds both stacks of every environment to an app. */
export function addEnvironmentStacks(app: App, environments: readonly EnvironmentArtifacts[]): App {
  for (const artifacts of environments) {
    const names = stackNames(artifacts.profile.name);
    const platform = new PlatformStack(app, names.platform, { artifacts });
    new ContentStack(app, names.content, { artifacts, platform });
  }
  return app;
}

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

// `cdktf synth|deploy` runs this file: synthesize every environment into cdktf.out/.
if (require.main === module) {
  addEnvironmentStacks(new App(), buildAllArtifacts()).synth();
}
