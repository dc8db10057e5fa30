import * as units from "@grafana/grafana-foundation-sdk/units";
import { ALERT_NAMES } from "../signals/alert-names";
import { probedUrls, type ServiceSpec } from "../signals/service-spec";
import type { DashboardContext } from "./context";
import { assembleDashboard, PLATFORM_FOLDER, type DashboardArtifact } from "./dashboard";
import type { PanelRow } from "./layout";
import { runbookLink } from "./links";
import { statPanel, timeseriesPanel } from "./panels";
import { labelValuesVariable } from "./variables";

/** Synthetic probes of one service (health and canaries): success and duration per URL. */
export function probeRow(service: ServiceSpec, ctx: DashboardContext): PanelRow | undefined {
  const urls = probedUrls(service);
  if (urls.length === 0) return undefined;
  const instances = `instance=~"${urls.map((u) => u.replace(/[.*+?^${}()|[\]\\]/g, "\\\\$&")).join("|")}"`;
  const runbook = [runbookLink(ctx.runbookBaseUrl, ALERT_NAMES.ReadinessProbeFailing)];
  return {
    title: `Probes of ${service.name}`,
    panels: [
      statPanel({
        title: "Success",
        unit: units.PercentUnit,
        width: 6,
        height: 8,
        baseColor: "red",
        thresholds: [{ value: 0.99, color: "green" }],
        queries: [{ expr: `avg_over_time(probe_success{${instances}}[$__range])`, legend: "{{instance}}" }],
        links: runbook,
      }),
      timeseriesPanel({
        title: "Probe success",
        unit: units.BoolOnOff,
        width: 9,
        min: 0,
        max: 1,
        queries: [{ expr: `min by (instance) (probe_success{${instances}})`, legend: "{{instance}}" }],
        links: runbook,
      }),
      timeseriesPanel({
        title: "Probe duration",
        unit: units.Seconds,
        width: 9,
        min: 0,
        queries: [{ expr: `max by (instance) (probe_duration_seconds{${instances}})`, legend: "{{instance}}" }],
      }),
    ],
  };
}

/**
 * Synthetic probes of every service, templated by `$service`: Probe objects label their targets
 * with the service, so success and latency are per URL of the chosen services.
 */
export function buildProbesDashboard(ctx: DashboardContext): DashboardArtifact {
  const m = `{service=~"$service"}`;
  const runbook = [runbookLink(ctx.runbookBaseUrl, ALERT_NAMES.ReadinessProbeFailing)];
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
          timeseriesPanel({ title: "Probe success", unit: units.BoolOnOff, min: 0, max: 1, queries: [{ expr: `min by (service, instance) (probe_success${m})`, legend: "{{instance}}" }], links: runbook }),
          timeseriesPanel({ title: "Probe duration", unit: units.Seconds, min: 0, queries: [{ expr: `max by (service, instance) (probe_duration_seconds${m})`, legend: "{{instance}}" }] }),
        ],
      },
    ],
  });
}
