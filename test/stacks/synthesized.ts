import { App, Testing } from "cdktf";
import { parse } from "yaml";
import type { EnvironmentArtifacts } from "../../artifacts/environment-artifacts";
import { addEnvironmentStacks, buildAllArtifacts, stackNames } from "../../app";

/** The Terraform JSON of one synthesized stack, decoded. */
export type StackJson = { resource: Record<string, Record<string, any>>; provider: Record<string, any[]> };

/** Every environment's artifacts and both of its stacks, synthesized once per test file. */
export function synthesizeAll(): { artifacts: EnvironmentArtifacts[]; stacks: Map<string, StackJson> } {
  const artifacts = buildAllArtifacts();
  const app: App = addEnvironmentStacks(Testing.app(), artifacts);
  const stacks = new Map<string, StackJson>();
  for (const env of artifacts) {
    for (const name of Object.values(stackNames(env.profile.name))) {
      const stack = app.node.findChild(name) as any;
      stacks.set(name, JSON.parse(Testing.synth(stack)) as StackJson);
    }
  }
  return { artifacts, stacks };
}

/** A Terraform template string as Terraform evaluates it when it holds no interpolation: the escapes `$${` and `%%{` undone. */
export function terraformString(template: string): string {
  return template.replace(/\$\$\{/g, () => "${").replace(/%%\{/g, () => "%{");
}

/** The helm_release resources of a platform stack by release name, with their values decoded as Helm receives them. */
export function releasesOf(stack: StackJson): Map<string, { release: any; values: any }> {
  const releases = new Map<string, { release: any; values: any }>();
  for (const release of Object.values(stack.resource.helm_release ?? {})) {
    releases.set(release.name, { release, values: parse(terraformString(release.values[0])) });
  }
  return releases;
}
