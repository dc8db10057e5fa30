/**
 * Chart pins: the one place chart repositories and versions are set. Profiles refer to this table
 * (and may override an entry, e.g. to canary a chart upgrade in staging first).
 * Sources and known traps: ../shared/CHARTS.md.
 */
export const CHART_PINS = {
  kubePrometheusStack: {
    repository: "https://prometheus-community.github.io/helm-charts",
    chart: "kube-prometheus-stack",
    version: "88.5.3",
  },
  loki: { repository: "https://grafana-community.github.io/helm-charts", chart: "loki", version: "18.11.0" },
  tempo: { repository: "https://grafana-community.github.io/helm-charts", chart: "tempo", version: "2.2.4" },
  tempoDistributed: {
    repository: "https://grafana-community.github.io/helm-charts",
    chart: "tempo-distributed",
    version: "3.3.0",
  },
  openTelemetryCollector: {
    repository: "https://open-telemetry.github.io/opentelemetry-helm-charts",
    chart: "opentelemetry-collector",
    version: "0.170.0",
  },
  /**
   * Mimir 3.2.0. The chart's default is the ingest-storage architecture with a demo Kafka; the
   * values (helm-values/mimir.ts) run the classic architecture instead.
   */
  mimirDistributed: {
    repository: "https://grafana.github.io/helm-charts",
    chart: "mimir-distributed",
    version: "6.2.0",
  },
  blackboxExporter: {
    repository: "https://prometheus-community.github.io/helm-charts",
    chart: "prometheus-blackbox-exporter",
    version: "11.17.2",
  },
  /** redis_exporter v1.89.0; one release per Redis dependency the stack provisions an exporter for. */
  redisExporter: {
    repository: "https://prometheus-community.github.io/helm-charts",
    chart: "prometheus-redis-exporter",
    version: "6.29.0",
  },
  /** postgres_exporter v0.20.1; one release per Postgres dependency the stack provisions an exporter for. */
  postgresExporter: {
    repository: "https://prometheus-community.github.io/helm-charts",
    chart: "prometheus-postgres-exporter",
    version: "8.2.0",
  },
} as const;

/** The key of one pinned chart. */
export type ChartKey = keyof typeof CHART_PINS;
