/** The datasources Grafana is provisioned with, by fixed uid: dashboards and correlations refer to these, never to names. */
export const DATASOURCE_UIDS = {
  /** The metrics store: Mimir where the environment has it, else Prometheus. Dashboards read this one. */
  prometheus: "prometheus",
  /** With Mimir: Prometheus itself, the HA pair's local view (what the rules see), through its Service. */
  prometheusLocal: "prometheus-local",
  alertmanager: "alertmanager",
  loki: "loki",
  tempo: "tempo",
} as const;
