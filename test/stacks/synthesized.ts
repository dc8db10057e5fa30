import { App, Testing } from "cdktf";
import { parse } from "yaml";
import { terraformStringValue } from "../../scripts/upstream-checks/terraform-string";
import type { EnvironmentArtifacts } from "../../artifacts/environment-artifacts";
import { addEnvironmentStacks, buildAllArtifacts, stackNames } from "../../app";

/** The Terraform JSON of one synthesized stack, decoded. */
export type StackJson = {
  terraform: Record<string, any>;
  resource: Record<string, Record<string, any>>;
  data?: Record<string, Record<string, any>>;
  provider: Record<string, any[]>;
  removed?: any[];
};

/** Every environment's artifacts, the app and every stack of every environment, synthesized once per test file. */
export function synthesizeAll(): { artifacts: EnvironmentArtifacts[]; app: App; stacks: Map<string, StackJson> } {
  const artifacts = buildAllArtifacts();
  const app: App = addEnvironmentStacks(Testing.app(), artifacts);
  const stacks = new Map<string, StackJson>();
  for (const env of artifacts) {
    for (const name of Object.values(stackNames(env.profile.name))) {
      const stack = app.node.findChild(name) as any;
      stacks.set(name, JSON.parse(Testing.synth(stack)) as StackJson);
    }
  }
  return { artifacts, app, stacks };
}

/** The helm_release resources of a platform stack by release name, with their values decoded. */
export function releasesOf(stack: StackJson): Map<string, { release: any; values: any }> {
  const releases = new Map<string, { release: any; values: any }>();
  for (const release of Object.values(stack.resource.helm_release ?? {})) {
    releases.set(release.name, { release, values: parse(terraformStringValue(release.values[0])) });
  }
  return releases;
}

/** The `kubernetes_secret_v1` data sources of a platform stack by Secret name, with their Terraform address. */
export function secretChecksOf(stack: StackJson): Map<string, { address: string; check: any }> {
  const checks = new Map<string, { address: string; check: any }>();
  for (const [id, check] of Object.entries(stack.data?.kubernetes_secret_v1 ?? {})) {
    checks.set(check.metadata.name, { address: `data.kubernetes_secret_v1.${id}`, check });
  }
  return checks;
}
