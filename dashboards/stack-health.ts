import * as units from "@grafana/grafana-foundation-sdk/units";
import { RELEASES } from "../helm-values/release-names";
import { assembleDashboard, PLATFORM_FOLDER, type DashboardArtifact } from "../kit/dashboards/dashboard";
import { logsPanel, statPanel, timeseriesPanel } from "../kit/dashboards/panels";

/**
 * The observability stack watching itself: Prometheus (targets, rule evaluation, TSDB), Alertmanager
 * (notifications), Loki and Tempo (ingestion), the collector's tiers (accepted, refused, failed
 * exports, container log lines read and sent) and the stack's own error logs. Metric names are the
 * components' own.
 */
export function buildStackHealthDashboard(namespace: string): DashboardArtifact {
  return assembleDashboard({
    key: "observability-stack-health",
    title: "Observability stack health",
    description: "Prometheus, Alertmanager, Loki, Tempo and the OpenTelemetry Collector, from their own metrics.",
    folder: PLATFORM_FOLDER,
    tags: ["meta"],
    rows: [
      {
        title: "Prometheus",
        panels: [
          statPanel({
            title: "Targets down",
            unit: units.Short,
            width: 6,
            height: 8,
            thresholds: [{ value: 1, color: "red" }],
            queries: [{ expr: "count(up == 0) or vector(0)" }],
          }),
          timeseriesPanel({
            title: "Rule group evaluation time",
            unit: units.Seconds,
            width: 9,
            min: 0,
            queries: [{ expr: "max by (rule_group) (prometheus_rule_group_last_duration_seconds)", legend: "{{rule_group}}" }],
          }),
          timeseriesPanel({
            title: "Failed rule evaluations",
            unit: units.OpsPerSecond,
            width: 9,
            min: 0,
            thresholds: [{ value: 0.001, color: "red" }],
            queries: [{ expr: "sum by (pod) (rate(prometheus_rule_evaluation_failures_total[$__rate_interval]))", legend: "{{pod}}" }],
          }),
          timeseriesPanel({
            title: "Head series",
            unit: units.Short,
            width: 12,
            queries: [{ expr: "max by (pod) (prometheus_tsdb_head_series)", legend: "{{pod}}" }],
          }),
          timeseriesPanel({
            title: "Samples ingested",
            unit: units.Short,
            width: 12,
            queries: [{ expr: "sum by (pod) (rate(prometheus_tsdb_head_samples_appended_total[$__rate_interval]))", legend: "{{pod}}" }],
          }),
        ],
      },
      {
        title: "Alertmanager",
        panels: [
          timeseriesPanel({
            title: "Notifications by integration",
            unit: units.OpsPerSecond,
            queries: [{ expr: "sum by (integration) (rate(alertmanager_notifications_total[$__rate_interval]))", legend: "{{integration}}" }],
          }),
          timeseriesPanel({
            title: "Failed notifications",
            unit: units.OpsPerSecond,
            min: 0,
            thresholds: [{ value: 0.001, color: "red" }],
            queries: [{ expr: "sum by (integration) (rate(alertmanager_notifications_failed_total[$__rate_interval]))", legend: "{{integration}}" }],
          }),
        ],
      },
      {
        title: "Loki and Tempo",
        panels: [
          timeseriesPanel({
            title: "Loki lines received",
            unit: units.Short,
            width: 8,
            queries: [{ expr: "sum by (tenant) (rate(loki_distributor_lines_received_total[$__rate_interval]))", legend: "{{tenant}}" }],
          }),
          timeseriesPanel({
            title: "Loki request errors",
            unit: units.PercentUnit,
            width: 8,
            min: 0,
            queries: [
              {
                expr: 'sum by (route) (rate(loki_request_duration_seconds_count{status_code=~"5.."}[$__rate_interval])) / sum by (route) (rate(loki_request_duration_seconds_count[$__rate_interval]))',
                legend: "{{route}}",
              },
            ],
          }),
          timeseriesPanel({
            title: "Tempo spans received",
            unit: units.Short,
            width: 8,
            queries: [{ expr: "sum(rate(tempo_distributor_spans_received_total[$__rate_interval]))", legend: "spans/s" }],
          }),
        ],
      },
      {
        title: "OpenTelemetry Collector",
        panels: [
          // One series per tier (job): the gateway receives every span, the sampler the same spans again.
          timeseriesPanel({
            title: "Accepted and refused spans, per tier",
            unit: units.Short,
            width: 6,
            queries: [
              { expr: "sum by (job) (rate(otelcol_receiver_accepted_spans_total[$__rate_interval]))", legend: "accepted {{job}}" },
              { expr: "sum by (job) (rate(otelcol_receiver_refused_spans_total[$__rate_interval]))", legend: "refused {{job}}" },
            ],
          }),
          // The agents' container logs: lines read, and what reaches Loki after the level filter and info sampling.
          timeseriesPanel({
            title: "Container log lines read and sent",
            unit: units.Short,
            width: 6,
            queries: [
              { expr: 'sum(rate(otelcol_receiver_accepted_log_records_total{receiver="file_log"}[$__rate_interval]))', legend: "read" },
              {
                expr: 'sum by (job) (rate(otelcol_exporter_sent_log_records_total{exporter="otlp_http/loki"}[$__rate_interval]))',
                legend: "sent to Loki {{job}}",
              },
            ],
          }),
          timeseriesPanel({
            title: "Failed exports",
            unit: units.Short,
            width: 6,
            min: 0,
            thresholds: [{ value: 0.001, color: "red" }],
            queries: [
              { expr: "sum by (job, exporter) (rate(otelcol_exporter_send_failed_spans_total[$__rate_interval]))", legend: "spans {{job}} {{exporter}}" },
              { expr: "sum by (job, exporter) (rate(otelcol_exporter_send_failed_log_records_total[$__rate_interval]))", legend: "logs {{job}} {{exporter}}" },
              {
                expr: "sum by (job, exporter) (rate(otelcol_exporter_send_failed_metric_points_total[$__rate_interval]))",
                legend: "metrics {{job}} {{exporter}}",
              },
            ],
          }),
          timeseriesPanel({
            title: "Memory limiter refusals",
            unit: units.Short,
            width: 6,
            min: 0,
            queries: [{ expr: "sum(rate(otelcol_processor_refused_spans_total[$__rate_interval]))", legend: "refused spans" }],
          }),
        ],
      },
      {
        title: "Logs",
        panels: [
          logsPanel({
            title: "Errors of the stack's own components",
            queries: [{ expr: `{k8s_namespace_name=${JSON.stringify(namespace)}} |~ "(?i)level=(error|fatal)"` }],
            description: `Error lines of ${Object.values(RELEASES).join(", ")} in namespace ${namespace}.`,
          }),
        ],
      },
    ],
  });
}
