import type { EnvironmentProfile } from "../environments/profile-schema";
import type { PersistentVolume, Resources } from "../environments/primitives";
import { clusterEndpoints, TENANT_HEADER } from "./cluster-endpoints";
import type { GrafanaDatasource } from "./grafana-datasources";
import { PROMETHEUS_HA_LABELS } from "./mimir";
import { GRAFANA_FULLNAME, KPS_FULLNAME } from "./release-names";
import { PROMETHEUS_SELECTOR_LABELS } from "./selector-labels";

/** Label and value the Grafana sidecar discovers dashboard ConfigMaps by. */
export const GRAFANA_DASHBOARD_SIDECAR_LABEL = { name: "grafana_dashboard", value: "1" } as const;

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

/** Requests and limits for the small helper containers the chart runs beside the main ones. */
const SIDECAR_RESOURCES: Resources = {
  requests: { cpu: "10m", memory: "32Mi" },
  limits: { cpu: "100m", memory: "64Mi" },
};

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

function grafanaValues(profile: EnvironmentProfile, datasources: readonly GrafanaDatasource[]) {
  const g = profile.grafana;
  return {
    fullnameOverride: GRAFANA_FULLNAME,
    replicas: g.replicas,
    resources: g.resources,
    // Never let the chart generate a password: it changes on every render and perma-diffs.
    admin: { existingSecret: g.adminSecret.name, userKey: g.adminSecret.userKey, passwordKey: g.adminSecret.passwordKey },
    persistence: {
      enabled: true,
      size: g.persistence.size,
      ...(g.persistence.storageClassName ? { storageClassName: g.persistence.storageClassName } : {}),
    },
    podDisruptionBudget: g.replicas > 1 ? { maxUnavailable: 1 } : {},
    "grafana.ini": {
      server: { root_url: g.url },
      "auth.anonymous": { enabled: false },
      users: { allow_sign_up: false },
      analytics: { reporting_enabled: false, check_for_updates: false },
    },
    sidecar: {
      resources: SIDECAR_RESOURCES,
      dashboards: {
        enabled: true,
        label: GRAFANA_DASHBOARD_SIDECAR_LABEL.name,
        labelValue: GRAFANA_DASHBOARD_SIDECAR_LABEL.value,
        searchNamespace: "ALL",
        folderAnnotation: "grafana_folder",
        provider: { foldersFromFilesStructure: true, allowUiUpdates: false },
      },
      // Every datasource is provisioned explicitly below, with fixed uids dashboards refer to.
      datasources: { enabled: true, defaultDatasourceEnabled: false, alertmanager: { enabled: false } },
    },
    additionalDataSources: datasources,
    serviceMonitor: { enabled: true, labels: { ...PROMETHEUS_SELECTOR_LABELS } },
  };
}

/**
 * Values of kube-prometheus-stack for one environment: Prometheus, Alertmanager, Grafana, the
 * operator, kube-state-metrics and node-exporter, sized and hardened from the profile.
 *
 * Rules are not in these values (they would bloat the release Secret past 1 MiB); the content
 * stack deploys them as PrometheusRule objects carrying {@link PROMETHEUS_SELECTOR_LABELS}.
 */
export function buildKubePrometheusStackValues(profile: EnvironmentProfile, inputs: KubePrometheusStackInputs) {
  return {
    fullnameOverride: KPS_FULLNAME,
    cleanPrometheusOperatorObjectNames: true,
    crds: { enabled: true },
    defaultRules: {
      create: true,
      labels: { ...PROMETHEUS_SELECTOR_LABELS },
      // Watchdog, InfoInhibitor and TargetDown come from the product's own platform rules
      // (routed and runbooked like every other alert), so the chart's "general" group is off.
      rules: { general: false },
    },
    prometheus: prometheusValues(profile),
    alertmanager: alertmanagerValues(profile, inputs.alertmanagerConfig),
    grafana: grafanaValues(profile, inputs.datasources),
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
  };
}

/** The values object kube-prometheus-stack is deployed with. */
export type KubePrometheusStackValues = ReturnType<typeof buildKubePrometheusStackValues>;
