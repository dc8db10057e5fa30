import type { EnvironmentProfile } from "../environments/profile-schema";
import type { PersistentVolume } from "../environments/primitives";
import { clusterEndpoints, TENANT_HEADER } from "./cluster-endpoints";
import { controlPlaneSwitches } from "./control-plane";
import { buildGrafanaValues } from "./grafana";
import type { GrafanaDatasource } from "./grafana-datasources";
import { PROMETHEUS_HA_LABELS } from "./mimir";
import { KPS_FULLNAME } from "./release-names";
import { PROMETHEUS_SELECTOR_LABELS } from "./selector-labels";
import { SIDECAR_RESOURCES } from "./sidecar-resources";

export { GRAFANA_DASHBOARD_SIDECAR_LABEL } from "./grafana";

/** What kube-prometheus-stack's values need beyond the profile. */
export interface KubePrometheusStackInputs {
  /** The whole Alertmanager configuration (see alertmanager/), already free of secret values. */
  readonly alertmanagerConfig: Readonly<Record<string, unknown>>;
  /** Datasources Grafana is provisioned with (see grafana-datasources.ts). */
  readonly datasources: readonly GrafanaDatasource[];
}

/** A PVC template for the operator's `storageSpec`/`storage` fields. */
function volumeClaimTemplate(volume: PersistentVolume) {
  return {
    volumeClaimTemplate: {
      spec: {
        ...(volume.storageClassName ? { storageClassName: volume.storageClassName } : {}),
        accessModes: ["ReadWriteOnce"],
        resources: { requests: { storage: volume.size } },
      },
    },
  };
}

/** A PodDisruptionBudget block allowing one pod down at a time, on when the workload is replicated. */
function disruptionBudget(replicas: number) {
  return replicas > 1 ? { enabled: true, maxUnavailable: 1, minAvailable: null } : { enabled: false };
}

/** Explicit selection of rules, monitors and probes: labelled, from every namespace. */
function selection() {
  const labelled = { matchLabels: { ...PROMETHEUS_SELECTOR_LABELS } };
  return {
    ruleSelectorNilUsesHelmValues: false,
    ruleSelector: labelled,
    ruleNamespaceSelector: {},
    serviceMonitorSelectorNilUsesHelmValues: false,
    serviceMonitorSelector: labelled,
    serviceMonitorNamespaceSelector: {},
    podMonitorSelectorNilUsesHelmValues: false,
    podMonitorSelector: labelled,
    podMonitorNamespaceSelector: {},
    probeSelectorNilUsesHelmValues: false,
    probeSelector: labelled,
    probeNamespaceSelector: {},
  };
}

/** The profile's extra remote-write targets (`prometheus.remoteWrite`), basic auth from their Secrets. */
function extraRemoteWrites(profile: EnvironmentProfile) {
  return profile.prometheus.remoteWrite.map((target) => ({
    url: target.url,
    ...(target.basicAuthSecretName
      ? {
          basicAuth: {
            username: { name: target.basicAuthSecretName, key: "username" },
            password: { name: target.basicAuthSecretName, key: "password" },
          },
        }
      : {}),
  }));
}

/**
 * Remote write to Mimir's gateway as the profile's tenant, exemplars included (Grafana's exemplar
 * links read them from Mimir). Both replicas send everything; Mimir's HA tracker keeps one copy.
 */
function mimirRemoteWrite(profile: EnvironmentProfile) {
  const store = clusterEndpoints(profile).metricsStore;
  if (profile.mimir === undefined || store.tenant === undefined) return [];
  return [{ url: store.remoteWriteUrl, headers: { [TENANT_HEADER]: store.tenant }, sendExemplars: true }];
}

function prometheusValues(profile: EnvironmentProfile) {
  const p = profile.prometheus;
  // Prometheus is the metrics store only without Mimir (one replica: nothing to split). With Mimir,
  // every push goes to Mimir's gateway and nothing may write to this replicated Service.
  const receivesPushes = profile.mimir === undefined;
  return {
    podDisruptionBudget: disruptionBudget(p.replicas),
    prometheusSpec: {
      replicas: p.replicas,
      retention: p.retention,
      retentionSize: p.retentionSize,
      resources: p.resources,
      storageSpec: volumeClaimTemplate(p.storage),
      externalLabels: profile.externalLabels,
      // The operator's own defaults, named so Mimir's HA tracker reads the same labels (helm-values/mimir.ts).
      prometheusExternalLabelName: PROMETHEUS_HA_LABELS.cluster,
      replicaExternalLabelName: PROMETHEUS_HA_LABELS.replica,
      scrapeInterval: p.scrapeInterval,
      evaluationInterval: p.evaluationInterval,
      // Replicas on different nodes: "hard" where there are several, so one node loss keeps one.
      podAntiAffinity: p.replicas > 1 ? "hard" : "soft",
      // Without Mimir, the collector pushes OTLP metrics here and Tempo's metrics generator remote-writes here.
      enableOTLPReceiver: receivesPushes,
      enableRemoteWriteReceiver: receivesPushes,
      enableFeatures: ["exemplar-storage"],
      remoteWrite: [...mimirRemoteWrite(profile), ...extraRemoteWrites(profile)],
      ...selection(),
    },
  };
}

function alertmanagerValues(profile: EnvironmentProfile, config: Readonly<Record<string, unknown>>) {
  const a = profile.alertmanager;
  return {
    podDisruptionBudget: disruptionBudget(a.replicas),
    config,
    alertmanagerSpec: {
      replicas: a.replicas,
      resources: a.resources,
      storage: volumeClaimTemplate(a.storage),
      podAntiAffinity: a.replicas > 1 ? "hard" : "soft",
      // Receiver credentials: mounted at /etc/alertmanager/secrets/<name>/ and read via *_file.
      secrets: [profile.alerting.secretName],
    },
  };
}

/**
 * Values of kube-prometheus-stack for one environment: Prometheus, Alertmanager, Grafana, the
 * operator, kube-state-metrics and node-exporter, sized and hardened from the profile; the control
 * plane scraped and alerted on only where the profile says it is self-hosted.
 *
 * Rules are not in these values (they would bloat the release Secret past 1 MiB); the content
 * stack deploys them as PrometheusRule objects carrying {@link PROMETHEUS_SELECTOR_LABELS}.
 */
export function buildKubePrometheusStackValues(profile: EnvironmentProfile, inputs: KubePrometheusStackInputs) {
  const controlPlane = controlPlaneSwitches(profile.kubernetes.controlPlane);
  return {
    fullnameOverride: KPS_FULLNAME,
    cleanPrometheusOperatorObjectNames: true,
    crds: { enabled: true },
    defaultRules: {
      create: true,
      labels: { ...PROMETHEUS_SELECTOR_LABELS },
      // Watchdog, InfoInhibitor and TargetDown come from the product's own platform rules
      // (routed and runbooked like every other alert), so the chart's "general" group is off.
      // The control plane's groups follow its scraping (kubernetes.controlPlane).
      rules: { general: false, ...controlPlane.ruleGroups },
    },
    prometheus: prometheusValues(profile),
    alertmanager: alertmanagerValues(profile, inputs.alertmanagerConfig),
    grafana: buildGrafanaValues(profile, inputs.datasources),
    prometheusOperator: {
      resources: profile.operator.resources,
      admissionWebhooks: { patch: { resources: SIDECAR_RESOURCES } },
      prometheusConfigReloader: { resources: SIDECAR_RESOURCES },
    },
    "kube-state-metrics": {
      resources: profile.kubeStateMetrics.resources,
      prometheus: { monitor: { additionalLabels: { ...PROMETHEUS_SELECTOR_LABELS } } },
    },
    "prometheus-node-exporter": {
      resources: profile.nodeExporter.resources,
      prometheus: { monitor: { additionalLabels: { ...PROMETHEUS_SELECTOR_LABELS } } },
    },
    // kubeControllerManager, kubeScheduler, kubeEtcd, kubeProxy: scraped only on a self-hosted control plane.
    ...controlPlane.components,
  };
}

/** The values object kube-prometheus-stack is deployed with. */
export type KubePrometheusStackValues = ReturnType<typeof buildKubePrometheusStackValues>;
