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

/** What the queue panels show: which queues, their legends, and for one queue its limits. */
export interface QueuePanelsOptions {
  /** Matchers of the recorded queue series, e.g. `{service="x", queue="y"}`. */
  readonly matchers: string;
  readonly legends: { readonly depth: string; readonly age: string; readonly deadLetters: string };
  /** The backlog limit and SLA, drawn as thresholds. @default - none (several queues at once) */
  readonly limits?: Pick<QueueSpec, "maxDepth" | "slaSeconds">;
  /** Whether to show dead letters. @default true */
  readonly deadLetters?: boolean;
}

/** Depth, oldest message age (both alerts' runbooks) and dead letters, from the recorded queue series. */
export function queuePanels(options: QueuePanelsOptions, ctx: DashboardContext): PanelSpec[] {
  const { matchers: m, legends, limits } = options;
  const panels: PanelSpec[] = [
    timeseriesPanel({
      title: "Depth",
      unit: units.Short,
      width: 8,
      min: 0,
      ...(limits ? { thresholds: [{ value: limits.maxDepth, color: "red" as const }] } : {}),
      queries: [{ expr: `${QUEUE_SERIES.depth}${m}`, legend: legends.depth }],
      links: [runbookLink(ctx.runbookBaseUrl, QUEUE_ALERTS.QueueBacklogHigh)],
    }),
    timeseriesPanel({
      title: "Oldest message age",
      unit: units.Seconds,
      width: 8,
      min: 0,
      ...(limits ? { thresholds: [{ value: limits.slaSeconds, color: "red" as const }] } : {}),
      queries: [{ expr: `${QUEUE_SERIES.age}${m}`, legend: legends.age }],
      links: [runbookLink(ctx.runbookBaseUrl, QUEUE_ALERTS.QueueOldestMessageAgeHigh), runbookLink(ctx.runbookBaseUrl, QUEUE_ALERTS.QueueSLABreachForecast)],
    }),
  ];
  if (options.deadLetters ?? true) {
    panels.push(
      timeseriesPanel({
        title: "Dead letters",
        unit: units.Short,
        width: 8,
        min: 0,
        queries: [{ expr: `${QUEUE_SERIES.deadLetters}${m}`, legend: legends.deadLetters }],
        links: [runbookLink(ctx.runbookBaseUrl, QUEUE_ALERTS.DeadLetterGrowing)],
      }),
    );
  }
  return panels;
}

/** One queue: depth against its backlog limit, oldest message age against its SLA, dead letters. */
export function queueRow(service: ServiceCore, queue: QueueSpec, ctx: DashboardContext): PanelRow {
  const panels = queuePanels(
    {
      matchers: `{service="${service.name}", queue="${queue.name}"}`,
      legends: { depth: "waiting", age: "age", deadLetters: "dead letters" },
      limits: queue,
      deadLetters: queue.deadLetterMetric !== undefined,
    },
    ctx,
  );
  return { title: `Queue ${queue.name} of ${service.name} (SLA ${queue.slaSeconds}s)`, panels };
}

/** One row per queue. */
export function queueRows(service: ServiceCore, queues: readonly QueueSpec[], ctx: DashboardContext): PanelRow[] {
  return queues.map((q) => queueRow(service, q, ctx));
}
