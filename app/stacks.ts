/** The cdktf composition: both stacks of every environment, named as DESIGN.md section 4 fixes. */
import type { App } from "cdktf";
import type { EnvironmentArtifacts } from "../artifacts/environment-artifacts";
import { ContentStack } from "../stacks/content-stack";
import { PlatformStack } from "../stacks/platform-stack";

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
