import * as units from "@grafana/grafana-foundation-sdk/units";
import { HEALTH_ALERTS } from "../signals/health/rules";
import type { DashboardContext } from "../kit/dashboards/context";
import { assembleDashboard, PLATFORM_FOLDER, type DashboardArtifact } from "../kit/dashboards/dashboard";
import { runbookLink } from "../kit/dashboards/links";
import { statPanel, timeseriesPanel } from "../kit/dashboards/panels";
import { labelValuesVariable } from "../kit/dashboards/variables";

/**
 * Synthetic probes of every service, templated by `$service`: Probe objects label their targets
 * with the service, so success and latency are per URL of the chosen services.
 */
export function buildProbesDashboard(ctx: DashboardContext): DashboardArtifact {
  const m = `{service=~"$service"}`;
  const runbook = [runbookLink(ctx.runbookBaseUrl, HEALTH_ALERTS.ReadinessProbeFailing)];
  return assembleDashboard({
    key: "probes",
    title: "Probes",
    description: "Blackbox probes of every service: readiness, liveness and canary flows, success and latency.",
    folder: PLATFORM_FOLDER,
    tags: ["probes"],
    variables: [labelValuesVariable("service", "service", "probe_success", "Service")],
    rows: [
      {
        title: "Probes",
        panels: [
          statPanel({
            title: "Success over the range",
            unit: units.PercentUnit,
            width: 24,
            height: 6,
            baseColor: "red",
            thresholds: [{ value: 0.99, color: "green" }],
            queries: [{ expr: `avg by (service, instance) (avg_over_time(probe_success${m}[$__range]))`, legend: "{{instance}}" }],
            links: runbook,
          }),
          timeseriesPanel({
            title: "Probe success",
            unit: units.BoolOnOff,
            min: 0,
            max: 1,
            queries: [{ expr: `min by (service, instance) (probe_success${m})`, legend: "{{instance}}" }],
            links: runbook,
          }),
          timeseriesPanel({
            title: "Probe duration",
            unit: units.Seconds,
            min: 0,
            queries: [{ expr: `max by (service, instance) (probe_duration_seconds${m})`, legend: "{{instance}}" }],
          }),
        ],
      },
    ],
  });
}
