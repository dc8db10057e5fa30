/** The migrations row of a service's dashboard: failed or not, with the runbook. */
import * as units from "@grafana/grafana-foundation-sdk/units";
import type { ServiceCore } from "../../model/service-core";
import type { DashboardContext } from "../../kit/dashboards/context";
import type { PanelRow } from "../../kit/dashboards/layout";
import { runbookLink } from "../../kit/dashboards/links";
import { timeseriesPanel } from "../../kit/dashboards/panels";
import { MIGRATION_ALERTS, migrationFailedExpr } from "./rules";
import type { MigrationsSpec } from "./spec";

export function migrationRows(service: ServiceCore, m: MigrationsSpec, ctx: DashboardContext): PanelRow[] {
  return [
    {
      title: "Migrations",
      panels: [
        timeseriesPanel({
          title: "Failed migrations",
          description: m.type === "gauge" ? `${m.failedMetric}: 1 while the last migration is failed.` : `Failed runs over ${m.window}.`,
          unit: units.Short,
          width: 8,
          min: 0,
          thresholds: [{ value: 1, color: "red" }],
          queries: [{ expr: migrationFailedExpr(service, m), legend: "{{job}}" }],
          links: [runbookLink(ctx.runbookBaseUrl, MIGRATION_ALERTS.MigrationFailed)],
        }),
      ],
    },
  ];
}
