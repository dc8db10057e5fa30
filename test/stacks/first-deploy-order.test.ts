import type { TerraformStack } from "cdktf";
import { stackNames } from "../../app";
import { synthesizeAll } from "./synthesized";

const { artifacts, app, stacks } = synthesizeAll();
const envs = artifacts.map((a) => [a.profile.name, a] as const);
const stackOf = (name: string) => app.node.findChild(name) as TerraformStack;

describe("first deploy: the bootstrap stack owns the namespace", () => {
  it.each(envs)("%s: obs-<env>-bootstrap holds the namespace, with its pod-security labels, and nothing else", (env, a) => {
    const bootstrap = stacks.get(stackNames(env).bootstrap)!;
    expect(Object.keys(bootstrap.resource)).toEqual(["kubernetes_namespace_v1"]);
    // The address the platform stack used before: an existing install moves it with one `terraform import`.
    expect(Object.keys(bootstrap.resource.kubernetes_namespace_v1!)).toEqual(["namespace"]);
    expect(bootstrap.resource.kubernetes_namespace_v1!.namespace.metadata).toEqual({
      name: a.profile.namespace,
      labels: {
        "app.kubernetes.io/part-of": "observability-stack",
        "pod-security.kubernetes.io/enforce": "privileged",
        "pod-security.kubernetes.io/warn": "baseline",
      },
    });
    expect(bootstrap.provider.kubernetes).toEqual([{ config_path: a.profile.kubernetes.configPath, config_context: a.profile.kubernetes.context }]);
    expect(bootstrap.data).toBeUndefined();
  });

  it.each(envs)("%s: the platform stack creates no namespace and forgets the one it held before, without destroying it", (env) => {
    const platform = stacks.get(stackNames(env).platform)!;
    expect(platform.resource.kubernetes_namespace_v1).toBeUndefined();
    expect(platform.removed).toEqual([{ from: "kubernetes_namespace_v1.namespace", lifecycle: { destroy: false } }]);
    // `removed` blocks need Terraform 1.7: an older one fails on the version, not on the block.
    expect(platform.terraform.required_version).toBe(">= 1.7.0");
  });

  it.each(envs)("%s: deploys in order bootstrap, platform, content", (env) => {
    const names = stackNames(env);
    expect(stackOf(names.bootstrap).dependencies).toEqual([]);
    expect(stackOf(names.platform).dependencies).toEqual([stackOf(names.bootstrap)]);
    expect(stackOf(names.content).dependencies).toEqual([stackOf(names.platform)]);
  });

  it("keeps the contract names of the platform and content stacks", () => {
    expect(stackNames("prod")).toEqual({ bootstrap: "obs-prod-bootstrap", platform: "obs-prod-platform", content: "obs-prod-content" });
  });
});
