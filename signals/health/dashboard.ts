/** The probe row of a service's dashboard: success and duration of its readiness and liveness URLs. */
import * as units from "@grafana/grafana-foundation-sdk/units";
import type { ServiceCore } from "../../model/service-core";
import type { DashboardContext } from "../../kit/dashboards/context";
import type { PanelRow } from "../../kit/dashboards/layout";
import { runbookLink } from "../../kit/dashboards/links";
import { statPanel, timeseriesPanel } from "../../kit/dashboards/panels";
import { HEALTH_ALERTS } from "./rules";
import { healthProbeUrls, type ProbesSpec } from "./spec";

/** Synthetic probes of one service (readiness and liveness): success and duration per URL. */
export function probeRows(service: ServiceCore, probes: ProbesSpec, ctx: DashboardContext): PanelRow[] {
  const urls = healthProbeUrls(probes);
  if (urls.length === 0) return [];
  const instances = `instance=~"${urls.map((u) => u.replace(/[.*+?^${}()|[\]\\]/g, "\\\\$&")).join("|")}"`;
  const runbook = [runbookLink(ctx.runbookBaseUrl, HEALTH_ALERTS.ReadinessProbeFailing)];
  return [
    {
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
    },
  ];
}
