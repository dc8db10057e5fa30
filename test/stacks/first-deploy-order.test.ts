import type { TerraformStack } from "cdktf";
import { requiredSecretKeys } from "../../alertmanager/receivers";
import { stackNames } from "../../app";
import { requiredSecrets } from "../../artifacts/required-secrets";
import { secretChecksOf, synthesizeAll } from "./synthesized";

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

/**
 * The Secrets the shipped profiles name and the release that reads each (README, First deploy),
 * from the profile itself. Others that releases add (Mimir's object storage, Grafana's database) are
 * checked too: the stack checks exactly what requiredSecrets (tested on its own) derives.
 */
function profileSecrets(a: (typeof artifacts)[number]): Record<string, string> {
  const storage = [
    ["loki", a.profile.loki.topology],
    ["tempo", a.profile.tempo.topology],
  ] as const;
  return {
    [a.profile.alerting.secretName]: "kube-prometheus-stack",
    [a.profile.grafana.adminSecret.name]: "kube-prometheus-stack",
    ...Object.fromEntries(storage.flatMap(([release, t]) => ("storage" in t && t.storage.type === "s3" ? [[t.storage.credentialsSecretName, release]] : []))),
  };
}

describe("first deploy: the platform stack checks every Secret at plan", () => {
  it.each(envs)("%s: one kubernetes_secret_v1 data source per Secret, in the namespace, read at plan (no depends_on)", (env, a) => {
    const checks = secretChecksOf(stacks.get(stackNames(env).platform)!);
    expect([...checks.keys()]).toEqual(expect.arrayContaining(Object.keys(profileSecrets(a))));
    expect([...checks.keys()].sort()).toEqual(requiredSecrets(a).map((s) => s.name));
    for (const [name, { check }] of checks) {
      expect(check.metadata).toEqual({ name, namespace: a.profile.namespace });
      // A data source that depends on anything with pending changes is read only at apply.
      expect(check.depends_on).toBeUndefined();
      expect(check.count).toBeUndefined();
    }
  });

  it.each(envs)("%s: each check fails on a missing Secret, then on each missing key, with literal messages", (env, a) => {
    const checks = secretChecksOf(stacks.get(stackNames(env).platform)!);
    const keysOf = Object.fromEntries(requiredSecrets(a).map((s) => [s.name, s.keys]));
    // The keys the profiles and charts fix, as README step 4 lists them.
    expect(keysOf[a.profile.alerting.secretName]).toEqual(requiredSecretKeys(a.profile.alerting));
    expect(keysOf["grafana-admin"]).toEqual(["admin-password", "admin-user"]);
    const objectStorage = Object.entries(profileSecrets(a)).flatMap(([name, release]) => (release === "kube-prometheus-stack" ? [] : [name]));
    for (const name of objectStorage) expect(keysOf[name]).toEqual(["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"]);
    for (const [name, { check }] of checks) {
      const [exists, ...perKey] = check.lifecycle.postcondition as { condition: string; error_message: string }[];
      expect(exists!.condition).toBe("${try(length(self.metadata[0].uid), 0) > 0}");
      expect(exists!.error_message).toContain(`Secret "${name}" not found in namespace "${a.profile.namespace}"`);
      for (const key of keysOf[name]!) expect(exists!.error_message).toContain(key);
      expect(perKey.map((p) => p.condition)).toEqual(
        keysOf[name]!.map((key) => `\${!(try(length(self.metadata[0].uid), 0) > 0) || try(length(self.data["${key}"]), 0) > 0}`),
      );
      expect(perKey.map((p) => p.error_message)).toEqual(
        keysOf[name]!.map((key) => expect.stringContaining(`Secret "${name}" in namespace "${a.profile.namespace}" has no key "${key}"`)),
      );
      // Literals: no interpolation, so no value of `data` can reach a message.
      for (const { error_message } of check.lifecycle.postcondition) expect(error_message).not.toMatch(/[$%]\{/);
    }
  });

  it("words prod's Grafana admin checks as the README quotes them", () => {
    const { check } = secretChecksOf(stacks.get("obs-prod-platform")!).get("grafana-admin")!;
    expect(check.lifecycle.postcondition.map((p: any) => p.error_message)).toEqual([
      'Secret "grafana-admin" not found in namespace "observability": kube-prometheus-stack reads it. Create it with keys admin-password, admin-user; see README, First deploy, step 4.',
      'Secret "grafana-admin" in namespace "observability" has no key "admin-password", or its value is empty: kube-prometheus-stack reads it. Add it; see README, First deploy, step 4.',
      'Secret "grafana-admin" in namespace "observability" has no key "admin-user", or its value is empty: kube-prometheus-stack reads it. Add it; see README, First deploy, step 4.',
    ]);
  });

  it.each(envs)("%s: every release that reads a Secret depends on its check", (env, a) => {
    const platform = stacks.get(stackNames(env).platform)!;
    const checks = secretChecksOf(platform);
    const checksDependedOn = Object.fromEntries(
      Object.values(platform.resource.helm_release!).map((r: any) => [
        r.name as string,
        [...checks].filter(([, { address }]) => (r.depends_on ?? []).includes(address)).map(([name]) => name),
      ]),
    );
    const readBy = (release: string) => requiredSecrets(a).flatMap((s) => (s.readBy.includes(release) ? [s.name] : []));
    expect(checksDependedOn).toEqual(Object.fromEntries(Object.keys(checksDependedOn).map((release) => [release, readBy(release)])));
    for (const [name, release] of Object.entries(profileSecrets(a))) expect(checksDependedOn[release]).toContain(name);
    expect(checksDependedOn["otel-collector"]).toEqual([]);
  });
});
