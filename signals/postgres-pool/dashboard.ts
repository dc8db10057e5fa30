/** The pool row of a service's dashboard: share of max_connections in use, and connections by state. */
import * as units from "@grafana/grafana-foundation-sdk/units";
import type { ServiceCore } from "../../model/service-core";
import type { DashboardContext } from "../../kit/dashboards/context";
import type { PanelRow } from "../../kit/dashboards/layout";
import { runbookLink } from "../../kit/dashboards/links";
import { timeseriesPanel } from "../../kit/dashboards/panels";
import { selector, eq } from "../../kit/promql";
import { poolThresholds, POSTGRES_EXPORTER_METRICS, POSTGRES_POOL_ALERTS, POSTGRES_POOL_SERIES } from "./rules";
import type { PostgresPool } from "./spec";

/** One row per pool. */
export function poolRows(service: ServiceCore, pools: readonly PostgresPool[], ctx: DashboardContext): PanelRow[] {
  return pools.map((pool) => {
    const raw = selector(POSTGRES_EXPORTER_METRICS.activity, [eq("job", pool.job), ...Object.entries(pool.labels).map(([k, v]) => eq(k, v))]);
    const thresholds = poolThresholds(pool)
      .map(([severity, t]) => ({ value: t.maxUsedRatio, color: severity === "critical" ? ("red" as const) : ("orange" as const) }))
      .sort((a, b) => a.value - b.value);
    return {
      title: `Postgres ${pool.dependency} connections (used by ${service.name})`,
      panels: [
        timeseriesPanel({
          title: "Share of max_connections in use",
          unit: units.PercentUnit,
          min: 0,
          max: 1,
          thresholds,
          queries: [
            { expr: selector(POSTGRES_POOL_SERIES.usedRatio, [eq("service", service.name), eq("dependency", pool.dependency)]), legend: "{{instance}}" },
          ],
          links: [runbookLink(ctx.runbookBaseUrl, POSTGRES_POOL_ALERTS.PostgresConnectionsNearLimit)],
        }),
        timeseriesPanel({
          title: "Connections by state",
          unit: units.Short,
          min: 0,
          queries: [{ expr: `sum by (instance, state) (${raw})`, legend: "{{instance}} {{state}}" }],
        }),
      ],
    };
  });
}
