import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import type { EnvironmentArtifacts } from "../artifacts/environment-artifacts";
import { HelmChartRelease } from "../constructs/helm-chart-release";

/** Props of {@link PlatformStack}. */
export interface PlatformStackProps {
  readonly artifacts: EnvironmentArtifacts;
}

/**
 * `obs-<env>-platform`: the namespace and the Helm releases. kube-prometheus-stack goes first
 * because it brings the operator's CRDs that the other charts' ServiceMonitors need.
 */
export class PlatformStack extends TerraformStack {
  readonly releases: readonly HelmChartRelease[];

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id);
    const { profile } = props.artifacts;
    const kube = { configPath: profile.kubernetes.configPath, configContext: profile.kubernetes.context };
    new KubernetesProvider(this, "kubernetes", kube);
    new HelmProvider(this, "helm", { kubernetes: kube });

    const namespace = new NamespaceV1(this, "namespace", {
      metadata: {
        name: profile.namespace,
        labels: {
          "app.kubernetes.io/part-of": "observability-stack",
          // node-exporter needs host access, so the namespace is "privileged" rather than "restricted".
          "pod-security.kubernetes.io/enforce": "privileged",
          "pod-security.kubernetes.io/warn": "baseline",
        },
      },
    });

    const [first, ...rest] = props.artifacts.releases;
    if (!first) throw new Error(`environment "${profile.name}" has no releases`);
    const release = (artifact: typeof first, dependsOn: HelmChartRelease[]) =>
      new HelmChartRelease(this, artifact.releaseName, {
        releaseName: artifact.releaseName,
        pin: profile.charts[artifact.chartKey],
        namespace: namespace.metadata.name,
        values: artifact.values,
        helm: profile.helm,
        dependsOn,
      });
    const operator = release(first, []);
    this.releases = [operator, ...rest.map((artifact) => release(artifact, [operator]))];
  }
}
