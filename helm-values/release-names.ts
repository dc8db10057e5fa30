/**
 * Helm release names and the fullname overrides that make in-cluster service names predictable.
 * Construct ids and these names are API: renaming one replaces real resources.
 */
export const RELEASES = {
  kubePrometheusStack: "kube-prometheus-stack",
  loki: "loki",
  tempo: "tempo",
  /** The collector's gateway tier; apps send OTLP to `otel-collector:4317`. */
  openTelemetryCollector: "otel-collector",
  /** The collector's agent tier (a DaemonSet reading container logs). */
  openTelemetryAgent: "otel-agent",
  /** The collector's tail-sampling tier (a StatefulSet behind a headless Service). */
  openTelemetrySampler: "otel-sampler",
  blackboxExporter: "blackbox-exporter",
  mimir: "mimir",
} as const;

/** `fullnameOverride` of kube-prometheus-stack: services become `kps-prometheus`, `kps-alertmanager`. */
export const KPS_FULLNAME = "kps";
/** `fullnameOverride` of the Grafana subchart. */
export const GRAFANA_FULLNAME = "grafana";
/** `fullnameOverride` of the blackbox exporter: its Service is `blackbox-exporter:9115`. */
export const BLACKBOX_EXPORTER_FULLNAME = "blackbox-exporter";
/** `fullnameOverride` of mimir-distributed: its Services become `mimir-gateway`, `mimir-distributor`, ... */
export const MIMIR_FULLNAME = "mimir";
