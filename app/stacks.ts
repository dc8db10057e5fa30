/** The cdktf composition: the three stacks of every environment, named as DESIGN.md section 4 fixes. */
import type { App } from "cdktf";
import type { EnvironmentArtifacts } from "../artifacts/environment-artifacts";
import { BootstrapStack } from "../stacks/bootstrap-stack";
import { ContentStack } from "../stacks/content-stack";
import { PlatformStack } from "../stacks/platform-stack";

/**
 * Stack names. `obs-<env>-platform` and `obs-<env>-content` are a contract (DESIGN.md section 4);
 * `obs-<env>-bootstrap` (the namespace) comes before both.
 */
export const stackNames = (env: string) => ({ bootstrap: `obs-${env}-bootstrap`, platform: `obs-${env}-platform`, content: `obs-${env}-content` });

/** Adds the stacks of every environment to an app, in deploy order: bootstrap, platform, content. */
export function addEnvironmentStacks(app: App, environments: readonly EnvironmentArtifacts[]): App {
  for (const artifacts of environments) {
    const names = stackNames(artifacts.profile.name);
    const bootstrap = new BootstrapStack(app, names.bootstrap, { profile: artifacts.profile });
    const platform = new PlatformStack(app, names.platform, { artifacts, bootstrap });
    new ContentStack(app, names.content, { artifacts, platform });
  }
  return app;
}
