/**
 * Which flows run in an environment: those naming it, or every environment when they name none;
 * a flow that writes only where the profile allows writing canaries.
 */
import type { Problem } from "../../model/validation-error";
import type { CanarySpec } from "./spec";

/** What an environment says about canaries. */
export interface CanaryEnvironment {
  readonly name: string;
  /** Whether flows that write (`writes: true`) may run there. */
  readonly allowsWrites: boolean;
}

/** The flows of a service that run in `env`. */
export function canariesIn(canaries: readonly CanarySpec[], env: CanaryEnvironment): CanarySpec[] {
  return canaries.filter((c) => (c.environments === undefined ? !c.writes || env.allowsWrites : c.environments.includes(env.name)));
}

/**
 * What is wrong with the flows' environments, given every environment (paths from the service): a name no profile has, or
 * a writing flow naming an environment that does not allow writing canaries.
 */
export function canaryEnvironmentProblems(canaries: readonly CanarySpec[], environments: readonly CanaryEnvironment[]): Problem[] {
  const byName = new Map(environments.map((e) => [e.name, e]));
  return canaries.flatMap((canary, c) =>
    (canary.environments ?? []).flatMap((name, i) => {
      const env = byName.get(name);
      const path = ["canaries", c, "environments", i];
      if (env === undefined)
        return [{ path, message: `names environment ${JSON.stringify(name)}, which has no profile (environments: ${[...byName.keys()].join(", ")})` }];
      if (canary.writes && !env.allowsWrites) {
        return [
          {
            path,
            message: `names environment ${JSON.stringify(name)}, whose profile does not allow writing canaries (canaryRunner.allowWrites is false): a flow with writes: true cannot run there`,
          },
        ];
      }
      return [];
    }),
  );
}
