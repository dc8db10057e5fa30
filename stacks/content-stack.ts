import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { crossObjectProblems } from "../artifacts/cross-object-invariants";
import type { EnvironmentArtifacts } from "../artifacts/environment-artifacts";
import { GrafanaDashboards } from "../constructs/grafana-dashboards";
import { MonitoringManifest } from "../constructs/monitoring-manifest";
import { PrometheusRuleManifest } from "../constructs/prometheus-rule-manifest";
import type { PlatformStack } from "./platform-stack";

/** Props of {@link ContentStack}. */
export interface ContentStackProps {
  readonly artifacts: EnvironmentArtifacts;
  /** The platform stack whose CRDs and Prometheus this content needs. */
  readonly platform: PlatformStack;
}

/**
 * `obs-<env>-content`: the objects that need the platform's CRDs to exist at plan time —
 * PrometheusRules, ServiceMonitors/PodMonitors and Probes, and dashboards (Grafana folders and dashboards, or sidecar ConfigMaps). Deployed after the platform.
 */
export class ContentStack extends TerraformStack {
  constructor(scope: Construct, id: string, props: ContentStackProps) {
    super(scope, id);
    this.addDependency(props.platform);
    // Checked when the app synthesizes: routing, team receivers and datasource references.
    this.node.addValidation({ validate: () => crossObjectProblems(props.artifacts) });
    const { profile, ruleFiles } = props.artifacts;
    new KubernetesProvider(this, "kubernetes", {
      configPath: profile.kubernetes.configPath,
      configContext: profile.kubernetes.context,
    });
    for (const ruleFile of ruleFiles) {
      new PrometheusRuleManifest(this, `rules-${ruleFile.fileName.replace(/\.ya?ml$/, "")}`, {
        namespace: profile.namespace,
        ruleFile,
      });
    }
    for (const monitorFile of props.artifacts.monitorFiles) {
      for (const manifest of monitorFile.manifests) {
        new MonitoringManifest(this, `${manifest.kind.toLowerCase()}-${manifest.metadata.name}`, { manifest });
      }
    }
    new GrafanaDashboards(this, "dashboards", {
      dashboards: props.artifacts.dashboards,
      delivery: profile.grafana.dashboardDelivery,
      grafanaUrl: profile.grafana.url,
      namespace: profile.namespace,
    });
  }
}
