import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import type { EnvironmentArtifacts } from "../artifacts/environment-artifacts";
import { requiredSecrets } from "../artifacts/required-secrets";
import { HelmChartRelease } from "../constructs/helm-chart-release";
import { RequiredSecretChecks } from "../constructs/required-secret-checks";
import type { BootstrapStack } from "./bootstrap-stack";

/** Props of {@link PlatformStack}. */
export interface PlatformStackProps {
  readonly artifacts: EnvironmentArtifacts;
  /** The stack that owns the namespace the releases and their Secrets live in. */
  readonly bootstrap: BootstrapStack;
}

/**
 * The namespace's address in this stack's state before the bootstrap stack owned it. Existing
 * installs still hold it there: Terraform forgets it instead of destroying it (a `removed` block,
 * Terraform >= 1.7); on a fresh install there is nothing to forget.
 */
const FORMER_NAMESPACE_ADDRESS = "kubernetes_namespace_v1.namespace";

/**
 * `obs-<env>-platform`: the Helm releases, in the namespace the bootstrap stack created, after a
 * check of every Secret they read (`secrets`): a missing Secret or key fails the plan with its name,
 * key and namespace. kube-prometheus-stack goes first because it brings the operator's CRDs that the
 * other charts' ServiceMonitors need.
 */
export class PlatformStack extends TerraformStack {
  readonly releases: readonly HelmChartRelease[];
  readonly secrets: RequiredSecretChecks;

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id);
    this.addDependency(props.bootstrap);
    this.addOverride("terraform.required_version", ">= 1.7.0");
    this.addOverride("removed", [{ from: FORMER_NAMESPACE_ADDRESS, lifecycle: { destroy: false } }]);

    const { profile } = props.artifacts;
    const kube = { configPath: profile.kubernetes.configPath, configContext: profile.kubernetes.context };
    new KubernetesProvider(this, "kubernetes", kube);
    new HelmProvider(this, "helm", { kubernetes: kube });

    this.secrets = new RequiredSecretChecks(this, "secrets", { secrets: requiredSecrets(props.artifacts) });

    const [first, ...rest] = props.artifacts.releases;
    if (!first) throw new Error(`environment "${profile.name}" has no releases`);
    const release = (artifact: typeof first, dependsOn: HelmChartRelease[]) => {
      const helmRelease = new HelmChartRelease(this, artifact.releaseName, {
        releaseName: artifact.releaseName,
        pin: profile.charts[artifact.chartKey],
        namespace: profile.namespace,
        values: artifact.values,
        helm: profile.helm,
        dependsOn,
      });
      this.secrets.guard(helmRelease.release, artifact.releaseName);
      return helmRelease;
    };
    const operator = release(first, []);
    this.releases = [operator, ...rest.map((artifact) => release(artifact, [operator]))];
  }
}
