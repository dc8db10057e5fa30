/** The queue rows of a service's dashboard: depth, oldest-message age against the SLA, dead letters. */
import * as units from "@grafana/grafana-foundation-sdk/units";
import type { ServiceCore } from "../../model/service-core";
import type { DashboardContext } from "../../kit/dashboards/context";
import type { PanelRow } from "../../kit/dashboards/layout";
import { runbookLink } from "../../kit/dashboards/links";
import { timeseriesPanel } from "../../kit/dashboards/panels";
import type { PanelSpec } from "../../kit/dashboards/grid";
import { QUEUE_ALERTS, QUEUE_SERIES } from "./rules";
import type { QueueSpec } from "./spec";

/** One queue: depth against its backlog limit, oldest message age against its SLA, dead letters. */
export function queueRow(service: ServiceCore, queue: QueueSpec, ctx: DashboardContext): PanelRow {
  const m = `{service="${service.name}", queue="${queue.name}"}`;
  const panels: PanelSpec[] = [
    timeseriesPanel({
      title: "Depth",
      unit: units.Short,
      width: 8,
      min: 0,
      thresholds: [{ value: queue.maxDepth, color: "red" }],
      queries: [{ expr: `${QUEUE_SERIES.depth}${m}`, legend: "waiting" }],
      links: [runbookLink(ctx.runbookBaseUrl, QUEUE_ALERTS.QueueBacklogHigh)],
    }),
    timeseriesPanel({
      title: "Oldest message age",
      unit: units.Seconds,
      width: 8,
      min: 0,
      thresholds: [{ value: queue.slaSeconds, color: "red" }],
      queries: [{ expr: `${QUEUE_SERIES.age}${m}`, legend: "age" }],
      links: [runbookLink(ctx.runbookBaseUrl, QUEUE_ALERTS.QueueOldestMessageAgeHigh), runbookLink(ctx.runbookBaseUrl, QUEUE_ALERTS.QueueSLABreachForecast)],
    }),
  ];
  if (queue.deadLetterMetric !== undefined) {
    panels.push(
      timeseriesPanel({
        title: "Dead letters",
        unit: units.Short,
        width: 8,
        min: 0,
        queries: [{ expr: `${QUEUE_SERIES.deadLetters}${m}`, legend: "dead letters" }],
        links: [runbookLink(ctx.runbookBaseUrl, QUEUE_ALERTS.DeadLetterGrowing)],
      }),
    );
  }
  return { title: `Queue ${queue.name} of ${service.name} (SLA ${queue.slaSeconds}s)`, panels };
}

/** One row per queue. */
export function queueRows(service: ServiceCore, queues: readonly QueueSpec[], ctx: DashboardContext): PanelRow[] {
  return queues.map((q) => queueRow(service, q, ctx));
}
