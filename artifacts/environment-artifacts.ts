import { buildAlertmanagerConfig } from "../alertmanager";
import type { AlertmanagerConfig } from "../alertmanager";
import { buildPromtoolTestFiles, buildRuleFiles } from "../rules";
import { placeRuleFiles, withRulerRuleFiles } from "../rules/placement";
import type { PromtoolTestFile } from "../kit/promtool/types";
import type { RuleFile } from "../kit/rule-types";
import { storeDependencies, type ServiceSpec } from "../signals/service-spec";
import { catalogStores } from "../signals/catalog";
import { provisionedExporters } from "../signals/dependency/provisioned";
import { buildDashboards, type DashboardArtifact } from "../dashboards";
import type { EnvironmentProfile } from "../environments/profile-schema";
import { buildMonitorFiles, type MonitorFile } from "../monitors/scrape-objects";
import { buildCanaryRunnerManifests, readRunnerScript, type KubernetesObject } from "../monitors/canary-runner";
import { canariesIn } from "../signals/canary/environments";
import { runnerConfig, type RunnerConfig } from "../signals/canary/runner-config";
import type { ChartKey } from "../environments/chart-versions";
import { buildBlackboxExporterValues } from "../helm-values/blackbox-exporter";
import { clusterEndpoints } from "../helm-values/cluster-endpoints";
import { buildGrafanaDatasources, type GrafanaDatasource } from "../helm-values/grafana-datasources";
import { buildKubePrometheusStackValues } from "../helm-values/kube-prometheus-stack";
import { buildLokiValues } from "../helm-values/loki";
import { buildMimirValues } from "../helm-values/mimir";
import { buildOtelCollectorReleases } from "../helm-values/otel-collector";
import { buildPostgresExporterValues } from "../helm-values/postgres-exporter";
import { buildRedisExporterValues } from "../helm-values/redis-exporter";
import { exporterReleaseName } from "../signals/dependency/exporter";
import { RELEASES } from "../helm-values/release-names";
import { buildTempoDistributedValues, buildTempoValues } from "../helm-values/tempo";

/** One Helm release of an environment: which pinned chart, under which name, with which values. */
export interface ReleaseArtifact {
  readonly chartKey: ChartKey;
  readonly releaseName: string;
  readonly values: Readonly<Record<string, unknown>>;
}

/**
 * Everything one environment is made of, as plain objects: the platform stack's releases, the
 * content stack's rules, the Alertmanager config and the promtool tests. The stacks deploy exactly
 * these objects and `npm run synth` writes exactly these to `generated/<env>/`, so what reviewers
 * read is what is applied.
 */
export interface EnvironmentArtifacts {
  readonly profile: EnvironmentProfile;
  readonly releases: readonly ReleaseArtifact[];
  /** The rule files Prometheus evaluates (PrometheusRule objects). */
  readonly ruleFiles: readonly RuleFile[];
  /**
   * The rule files Mimir's ruler evaluates, for the profile's Mimir tenant: the groups that read
   * further back than Prometheus keeps samples (rules/placement.ts). Empty without Mimir.
   */
  readonly rulerRuleFiles: readonly RuleFile[];
  /** promtool tests, one per rule file; each loads its Prometheus file and its ruler file, if any. */
  readonly ruleTestFiles: readonly PromtoolTestFile[];
  readonly alertmanagerConfig: AlertmanagerConfig;
  /** Datasources Grafana is provisioned with; every reference to a datasource must name one. */
  readonly datasources: readonly GrafanaDatasource[];
  /** ServiceMonitors/PodMonitors and Probes, one file per service. */
  readonly monitorFiles: readonly MonitorFile[];
  /** Grafana dashboards, by uid. */
  readonly dashboards: readonly DashboardArtifact[];
  /** The canary runner: its config (this environment's runner flows) and its objects, none without a runner flow. */
  readonly canaryRunner: CanaryRunnerArtifact;
  /** The services this environment watches, each with only the canary flows that run here. */
  readonly services: readonly ServiceSpec[];
}

/** The canary runner of an environment. */
export interface CanaryRunnerArtifact {
  /** What the runner runs: flows, schedules, Secret references (never a value). */
  readonly config: RunnerConfig;
  /** ConfigMap, Deployment, Service and ServiceMonitor; empty when `config` has no flow. */
  readonly manifests: readonly KubernetesObject[];
}

/** The dependency view of the catalog that Alertmanager inhibition needs. */
function routingView(services: readonly ServiceSpec[]) {
  return services.map((s) => ({
    name: s.name,
    team: s.team,
    dependencies: storeDependencies(s).map((d) => d.name),
  }));
}

/** One release per exporter the catalog's dependencies ask the stack to provision, by dependency name. */
function storeExporterReleases(profile: EnvironmentProfile, services: readonly ServiceSpec[]): ReleaseArtifact[] {
  return provisionedExporters(catalogStores(services)).map((e) =>
    e.kind === "redis"
      ? { chartKey: "redisExporter", releaseName: exporterReleaseName(e.dependency), values: buildRedisExporterValues(profile, e) }
      : { chartKey: "postgresExporter", releaseName: exporterReleaseName(e.dependency), values: buildPostgresExporterValues(profile, e) },
  );
}

/**
 * The services as one environment sees them: each with only the canary flows that run there
 * (signals/canary/environments.ts), so a flow's alerts, panels, Probe and runner entry exist
 * exactly where it runs.
 */
export function servicesIn(profile: EnvironmentProfile, services: readonly ServiceSpec[]): ServiceSpec[] {
  const env = { name: profile.name, allowsWrites: profile.canaryRunner.allowWrites };
  return services.map((s) => ({ ...s, canaries: canariesIn(s.canaries, env) }));
}

/** The runner's config and objects for the environment's services (already filtered by {@link servicesIn}). */
function canaryRunnerArtifact(profile: EnvironmentProfile, services: readonly ServiceSpec[]): CanaryRunnerArtifact {
  const config = runnerConfig(services.map((s) => ({ name: s.name, team: s.team, canaries: s.canaries })));
  // The script is read only where a runner runs.
  const manifests = config.flows.length === 0 ? [] : buildCanaryRunnerManifests({ config, profile, script: readRunnerScript() });
  return { config, manifests };
}

/**
 * Builds one environment's artifacts from its validated profile and the service catalog; every
 * builder sees only the canary flows that run in this environment.
 */
export function buildEnvironmentArtifacts(profile: EnvironmentProfile, catalog: readonly ServiceSpec[]): EnvironmentArtifacts {
  const services = servicesIn(profile, catalog);
  const ruleContext = { environment: profile.name, runbookBaseUrl: profile.runbookBaseUrl };
  const alertmanagerConfig = buildAlertmanagerConfig(profile.alerting, routingView(services));
  const tempoDistributed = profile.tempo.topology.kind === "distributed";
  const datasources = buildGrafanaDatasources(profile);
  const releases: ReleaseArtifact[] = [
    {
      chartKey: "kubePrometheusStack",
      releaseName: RELEASES.kubePrometheusStack,
      values: buildKubePrometheusStackValues(profile, {
        alertmanagerConfig: alertmanagerConfig as unknown as Record<string, unknown>,
        datasources,
      }),
    },
    // Mimir only where the profile has it; without it Prometheus is the metrics store.
    ...(profile.mimir === undefined ? [] : [{ chartKey: "mimirDistributed", releaseName: RELEASES.mimir, values: buildMimirValues(profile) } as const]),
    { chartKey: "loki", releaseName: RELEASES.loki, values: buildLokiValues(profile) },
    {
      chartKey: tempoDistributed ? "tempoDistributed" : "tempo",
      releaseName: RELEASES.tempo,
      values: tempoDistributed ? buildTempoDistributedValues(profile) : buildTempoValues(profile),
    },
    // The collector in tiers, one release each: sampler, gateway, agent.
    ...buildOtelCollectorReleases(profile).map((tier) => ({ chartKey: "openTelemetryCollector" as const, ...tier })),
    { chartKey: "blackboxExporter", releaseName: RELEASES.blackboxExporter, values: buildBlackboxExporterValues(profile, services) },
    // The exporters of the dependencies that ask for one; their ServiceMonitors need the operator's CRDs.
    ...storeExporterReleases(profile, services),
  ];
  const placed = placeRuleFiles(buildRuleFiles(services, ruleContext), profile);
  return {
    profile,
    releases,
    ruleFiles: placed.prometheus,
    rulerRuleFiles: placed.mimirRuler,
    ruleTestFiles: withRulerRuleFiles(buildPromtoolTestFiles(services, ruleContext), placed.mimirRuler, profile.mimir?.tenant),
    alertmanagerConfig,
    datasources,
    monitorFiles: buildMonitorFiles(services, {
      namespace: profile.namespace,
      blackboxProber: new URL(clusterEndpoints(profile).blackboxExporterUrl).host,
    }),
    dashboards: buildDashboards(services, { runbookBaseUrl: profile.runbookBaseUrl, namespace: profile.namespace }),
    canaryRunner: canaryRunnerArtifact(profile, services),
    services,
  };
}
