import * as units from "@grafana/grafana-foundation-sdk/units";
import { formatNumber } from "../kit/promql";
import { SLO_ALERTS } from "../signals/slo/alerts";
import { DEFAULT_BURN_RATE_ALERTS, SLO_WINDOWS, type SloWindow } from "../signals/slo/burn-rate";
import { budgetRemainingPanel } from "../signals/slo/dashboard";
import { SLO_SERIES } from "../signals/slo/rules";
import type { DashboardContext } from "../kit/dashboards/context";
import { assembleDashboard, PLATFORM_FOLDER, type DashboardArtifact } from "../kit/dashboards/dashboard";
import { runbookLink } from "../kit/dashboards/links";
import { statPanel, timeseriesPanel } from "../kit/dashboards/panels";
import { labelValuesVariable } from "../kit/dashboards/variables";

/**
 * Every SLO, templated by `$service` and `$slo` over the recorded SLO series, so the dashboard is
 * the same whatever the catalog holds: burn rate per window against the default alert factors,
 * budget remaining, and time to exhaustion at the budget's current trend.
 */
export function buildSloDashboard(ctx: DashboardContext): DashboardArtifact {
  const m = `{service=~"$service", slo=~"$slo"}`;
  const factors = [...new Set(DEFAULT_BURN_RATE_ALERTS.map((a) => a.factor))].sort((a, b) => a - b);
  const burn = (w: SloWindow) => `${SLO_SERIES.errorRatio(w)}${m} / on (service, slo) (1 - ${SLO_SERIES.objective}${m})`;
  return assembleDashboard({
    key: "slos-and-error-budgets",
    title: "SLOs and error budgets",
    description: "Multiwindow burn rates, error budget remaining and time to exhaustion of every SLO, by service and SLO.",
    folder: PLATFORM_FOLDER,
    tags: ["slo"],
    variables: [
      labelValuesVariable("service", "service", SLO_SERIES.objective, "Service"),
      labelValuesVariable("slo", "slo", `${SLO_SERIES.objective}{service=~"$service"}`, "SLO"),
    ],
    rows: [
      {
        title: "Error budget",
        panels: [
          budgetRemainingPanel(`${SLO_SERIES.budgetRemaining}${m}`, {
            width: 12,
            legend: "{{service}} / {{slo}}",
            links: [runbookLink(ctx.runbookBaseUrl, SLO_ALERTS.SLOErrorBudgetBurn)],
          }),
          statPanel({
            title: "Time to exhaustion (1h trend)",
            description: "At the remaining budget's trend over the last hour, time until it is spent. Empty: the budget is not shrinking.",
            unit: units.Seconds,
            width: 12,
            baseColor: "red",
            thresholds: [
              { value: 3 * 86400, color: "orange" },
              { value: 30 * 86400, color: "green" },
            ],
            queries: [
              {
                expr: `(${SLO_SERIES.budgetRemaining}${m} > 0) / -(deriv(${SLO_SERIES.budgetRemaining}${m}[1h]) < 0)`,
                legend: "{{service}} / {{slo}}",
              },
            ],
          }),
        ],
      },
      {
        title: "Burn rates",
        panels: SLO_WINDOWS.map((w) =>
          timeseriesPanel({
            title: `Burn rate over ${w}`,
            description: `1 = spending the budget exactly over the SLO period. Dashed: the default alert factors (${factors.map(formatNumber).join(", ")}).`,
            unit: units.Short,
            width: w === "3d" ? 24 : 8,
            min: 0,
            thresholds: factors.map((f, i) => ({ value: f, color: i === factors.length - 1 ? ("red" as const) : ("orange" as const) })),
            queries: [{ expr: burn(w), legend: "{{service}} / {{slo}}" }],
          }),
        ),
      },
    ],
  });
}
