import type { AllowedPath } from "./value-keys";

/**
 * Key paths a chart accepts although its values.yaml does not list them, per chart at the version
 * pinned in environments/chart-versions.ts (templates read at that version's tag). Keep it short:
 * every entry says which template reads the path; a key that no template reads is a bug to fix in
 * its values builder, never an entry here. A matching path and everything below it pass unchecked.
 */

/** Pass-through maps every chart here renders with toYaml (or a range) into a Kubernetes object. */
const EVERY_CHART: readonly AllowedPath[] = [
  { path: "**.resources", why: "a container's ResourceRequirements ({} in values.yaml), rendered with toYaml into the pod spec" },
  { path: "**.labels", why: "a label map ({} in values.yaml), rendered onto the object's metadata (e.g. kps templates/prometheus/rules-1.14/*.yaml)" },
  { path: "**.additionalLabels", why: "a ServiceMonitor's label map (kube-state-metrics, node-exporter, tempo templates/servicemonitor.yaml)" },
  { path: "**.extraLabels", why: "a ServiceMonitor's label map (opentelemetry-collector templates/servicemonitor.yaml)" },
  {
    path: "**.podDisruptionBudget.maxUnavailable",
    why: "commented out beside minAvailable; read by the PDB templates (kps templates/*/podDisruptionBudget.yaml, grafana and blackbox poddisruptionbudget.yaml, collector pdb.yaml)",
  },
];

/** Entries per chart name (a subchart's entries apply under its key in the parent's values). */
const PER_CHART: Readonly<Record<string, readonly AllowedPath[]>> = {
  "kube-prometheus-stack": [
    { path: "prometheus.prometheusSpec.externalLabels", why: "Prometheus' external labels, a free map: toYaml in templates/prometheus/prometheus.yaml" },
    {
      path: "prometheus.prometheusSpec.*.matchLabels",
      why: "the *Selector LabelSelectors ({} in values.yaml): toYaml in templates/prometheus/prometheus.yaml",
    },
    {
      path: "prometheus.prometheusSpec.storageSpec.volumeClaimTemplate",
      why: "the operator's StorageSpec (a commented example): toYaml in templates/prometheus/prometheus.yaml",
    },
    {
      path: "alertmanager.alertmanagerSpec.storage.volumeClaimTemplate",
      why: "the operator's StorageSpec (a commented example): toYaml in templates/alertmanager/alertmanager.yaml",
    },
    {
      path: "alertmanager.config.*",
      why: "Alertmanager's own configuration, toYaml in templates/alertmanager/secret.yaml; its keys are checked by amtool in npm test",
    },
  ],
  grafana: [
    { path: "fullnameOverride", why: "read by templates/_helpers.tpl (grafana.fullname); values.yaml does not list it" },
    { path: "persistence.storageClassName", why: "commented out in values.yaml; read by templates/pvc.yaml" },
    { path: '["grafana.ini"]', why: "Grafana's own settings: each section rendered into grafana.ini by templates/_config.tpl" },
    { path: "envValueFrom.*", why: "environment variable name -> valueFrom, a map (`envValueFrom: {}` in values.yaml) rendered by templates/_pod.tpl" },
  ],
  loki: [
    { path: "loki.storage.bucketNames", why: "commented out in values.yaml; read by templates/_helpers.tpl (dig storage bucketNames chunks/ruler)" },
    { path: "loki.schemaConfig", why: "Loki's schema_config ({} in values.yaml): toYaml in the loki.config template of values.yaml" },
    { path: "loki.limits_config", why: "Loki's limits_config block: toYaml in the loki.config template of values.yaml" },
    { path: "loki.compactor", why: "Loki's compactor block ({} in values.yaml): toYaml in the loki.config template of values.yaml" },
    { path: "loki.analytics", why: "Loki's analytics block ({} in values.yaml): toYaml in the loki.config template of values.yaml" },
  ],
  tempo: [{ path: "tempo.overrides.defaults", why: "Tempo's per-tenant defaults ({} in values.yaml): toYaml in the config template of values.yaml" }],
  "tempo-distributed": [
    { path: "overrides.defaults", why: "Tempo's per-tenant defaults ({} in values.yaml): toYaml .Values.overrides in the config template of values.yaml" },
    { path: "storage.trace.s3", why: "Tempo's S3 backend settings: toYaml in the config template of values.yaml when backend is s3" },
    {
      path: "backendWorker.config.compaction",
      why: "{} in values.yaml; merged over backendScheduler.config.provider.compaction.compaction by the config template of values.yaml",
    },
    {
      path: "backendWorker.podDisruptionBudget",
      why: "read by templates/backend-worker/poddisruptionbudget-backend-worker.yaml; values.yaml omits it for this component only",
    },
    {
      path: "backendWorker.maxUnavailable",
      why: "read by templates/backend-worker/poddisruptionbudget-backend-worker.yaml; values.yaml omits it for this component only",
    },
  ],
  "opentelemetry-collector": [
    { path: "config.receivers.*", why: "collector components by id, their settings the component's own: merged by templates/_config.tpl" },
    { path: "config.processors.*", why: "collector components by id, their settings the component's own: merged by templates/_config.tpl" },
    { path: "config.exporters.*", why: "collector components by id, their settings the component's own: merged by templates/_config.tpl" },
    { path: "config.connectors", why: "collector connectors by id (absent from the default config): merged by templates/_config.tpl like receivers" },
    { path: "config.service.pipelines.*", why: "pipelines by id (`logs/<name>` beside the defaults' traces, metrics, logs): merged by templates/_config.tpl" },
    { path: "securityContext", why: "the container's securityContext (`securityContext: {}` in values.yaml), rendered whole by templates/_pod.tpl" },
    { path: "service.clusterIP", why: "read by templates/service.yaml (`if .Values.service.clusterIP`); values.yaml does not list it" },
  ],
  "prometheus-blackbox-exporter": [
    { path: "fullnameOverride", why: "read by templates/_helpers.tpl; values.yaml does not list it" },
    { path: "config.modules", why: "the exporter's own modules: config rendered verbatim into blackbox.yaml by templates/configmap.yaml" },
  ],
  "prometheus-redis-exporter": [
    { path: "fullnameOverride", why: "read by templates/_helpers.tpl (prometheus-redis-exporter.fullname); values.yaml does not list it" },
    { path: "podSecurityContext", why: "the pod's securityContext (`{}` in values.yaml, a commented example): toYaml in templates/deployment.yaml" },
    { path: "securityContext", why: "the container's securityContext (`{}` in values.yaml): toYaml in templates/deployment.yaml" },
    { path: "serviceMonitor.interval", why: "commented out in values.yaml; read by templates/servicemonitor.yaml" },
    { path: "serviceMonitor.relabelings", why: "commented out in values.yaml; toYaml as the endpoint's relabelings in templates/servicemonitor.yaml" },
  ],
  "prometheus-postgres-exporter": [
    { path: "fullnameOverride", why: "read by templates/_helpers.tpl (prometheus-postgres-exporter.fullname); values.yaml does not list it" },
    {
      path: "config.datasource.passwordSecret",
      why: "`{}` in values.yaml with name and key commented; read by templates/deployment.yaml (DATA_SOURCE_PASS secretKeyRef)",
    },
    { path: "serviceMonitor.interval", why: "commented out in values.yaml; read by templates/servicemonitor.yaml" },
    { path: "serviceMonitor.relabelings", why: "commented out in values.yaml; toYaml as the endpoint's relabelings in templates/servicemonitor.yaml" },
  ],
};

/** Prefixes a subchart's entry with its key in the parent (`grafana` + `fullnameOverride` -> `["grafana"].fullnameOverride`). */
function underKey(key: string, entry: AllowedPath): AllowedPath {
  return { ...entry, path: `[${JSON.stringify(key)}]${entry.path.startsWith("[") ? "" : "."}${entry.path}` };
}

/**
 * The allow-list for a chart's values: the entries for every chart, the chart's own, and each
 * subchart's under its key (`**` patterns of every chart already reach into subcharts).
 */
export function allowListFor(chart: string, subchartKeys: readonly { readonly key: string; readonly chart: string }[] = []): AllowedPath[] {
  return [...EVERY_CHART, ...(PER_CHART[chart] ?? []), ...subchartKeys.flatMap((s) => (PER_CHART[s.chart] ?? []).map((e) => underKey(s.key, e)))];
}
