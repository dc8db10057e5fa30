/** The datasources Grafana is provisioned with, by fixed uid: dashboards and correlations refer to these, never to names. */
export const DATASOURCE_UIDS = {
  prometheus: "prometheus",
  alertmanager: "alertmanager",
  loki: "loki",
  tempo: "tempo",
} as const;
