import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { crossObjectProblems } from "../artifacts/cross-object-invariants";
import type { EnvironmentArtifacts } from "../artifacts/environment-artifacts";
import { CanaryRunnerObjects } from "../constructs/canary-runner-objects";
import { GrafanaDashboards } from "../constructs/grafana-dashboards";
import { MimirRulerRules } from "../constructs/mimir-ruler-rules";
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
 * PrometheusRules, ServiceMonitors/PodMonitors and Probes, the canary runner (its Deployment and
 * the ServiceMonitor scraping it, where a runner flow runs), and dashboards (Grafana folders and
 * dashboards, or sidecar ConfigMaps). Deployed after the platform.
 * With Mimir, also the ConfigMap of the rule groups Mimir's ruler evaluates (present even when empty,
 * so the ruler's mount always has its source).
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
    if (profile.mimir !== undefined) {
      new MimirRulerRules(this, "mimir-ruler-rules", { namespace: profile.namespace, tenant: profile.mimir.tenant, ruleFiles: props.artifacts.rulerRuleFiles });
    }
    for (const monitorFile of props.artifacts.monitorFiles) {
      for (const manifest of monitorFile.manifests) {
        new MonitoringManifest(this, `${manifest.kind.toLowerCase()}-${manifest.metadata.name}`, { manifest });
      }
    }
    if (props.artifacts.canaryRunner.manifests.length > 0) {
      new CanaryRunnerObjects(this, "canary-runner", { manifests: props.artifacts.canaryRunner.manifests });
    }
    new GrafanaDashboards(this, "dashboards", {
      dashboards: props.artifacts.dashboards,
      delivery: profile.grafana.dashboardDelivery,
      grafanaUrl: profile.grafana.url,
      namespace: profile.namespace,
    });
  }
}
