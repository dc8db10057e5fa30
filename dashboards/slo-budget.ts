import * as units from "@grafana/grafana-foundation-sdk/units";
import { ALERT_NAMES } from "../signals/alert-names";
import { DEFAULT_BURN_RATE_ALERTS, SLO_WINDOWS, type SloWindow } from "../signals/slo/burn-rate";
import { formatNumber } from "../kit/promql";
import type { ServiceSpec, SloSpec } from "../signals/service-spec";
import { SLO_SERIES } from "../signals/slo/rules";
import type { DashboardContext } from "./context";
import { assembleDashboard, PLATFORM_FOLDER, type DashboardArtifact } from "./dashboard";
import type { PanelRow } from "./layout";
import { runbookLink } from "./links";
import { statPanel, timeseriesPanel, type PanelLink, type PanelSpec } from "./panels";
import { labelValuesVariable } from "./variables";

/** `{service="x", slo="y"}` */
function sloMatchers(service: ServiceSpec, slo: SloSpec): string {
  return `{service="${service.name}", slo="${slo.name}"}`;
}

/** Burn rate over a window: the window's error ratio divided by the error budget (1 - objective). */
export function burnRateExpr(service: ServiceSpec, slo: SloSpec, window: SloWindow): string {
  const m = sloMatchers(service, slo);
  return `${SLO_SERIES.errorRatio(window)}${m} / on (service, slo) (1 - ${SLO_SERIES.objective}${m})`;
}

/**
 * Hours until the remaining budget is spent at the current 1h burn rate: remaining share of the
 * budget × period / burn rate. Empty while nothing burns.
 */
export function timeToExhaustionExpr(service: ServiceSpec, slo: SloSpec): string {
  const m = sloMatchers(service, slo);
  return `clamp_min(${SLO_SERIES.budgetRemaining}${m}, 0) * ${formatNumber(slo.periodDays * 24)} / (${burnRateExpr(service, slo, "1h")} > 0)`;
}

/** Budget remaining as a stat: red below 25%, orange below 50%. One look for every dashboard. */
export function budgetRemainingPanel(expr: string, layout: { width: number; height?: number; legend?: string; links?: readonly PanelLink[] }): PanelSpec {
  return statPanel({
    title: "Error budget remaining",
    unit: units.PercentUnit,
    width: layout.width,
    ...(layout.height !== undefined ? { height: layout.height } : {}),
    baseColor: "red",
    thresholds: [
      { value: 0.25, color: "orange" },
      { value: 0.5, color: "green" },
    ],
    queries: [{ expr, ...(layout.legend !== undefined ? { legend: layout.legend } : {}) }],
    ...(layout.links !== undefined ? { links: layout.links } : {}),
  });
}

/** One SLO's row: burn rate per window against the alert factors, budget remaining, time to exhaustion. */
export function sloRow(service: ServiceSpec, slo: SloSpec, ctx: DashboardContext): PanelRow {
  const m = sloMatchers(service, slo);
  const factors = [...new Set(slo.burnRateAlerts.map((a) => a.factor))].sort((a, b) => a - b);
  const runbook = [runbookLink(ctx.runbookBaseUrl, ALERT_NAMES.SLOErrorBudgetBurn)];
  return {
    title: `${service.name} / ${slo.name}: ${formatNumber(slo.objective * 100)}% over ${slo.periodDays}d (${slo.kind})`,
    panels: [
      timeseriesPanel({
        title: "Burn rate by window",
        description: `1 = spending the budget exactly over ${slo.periodDays}d. Dashed lines: the burn-rate alert factors (${factors.map(formatNumber).join(", ")}).`,
        unit: units.Short,
        min: 0,
        width: 12,
        thresholds: factors.map((f, i) => ({ value: f, color: i === factors.length - 1 ? ("red" as const) : ("orange" as const) })),
        queries: SLO_WINDOWS.map((w) => ({ expr: burnRateExpr(service, slo, w), legend: w })),
        links: runbook,
      }),
      budgetRemainingPanel(`${SLO_SERIES.budgetRemaining}${m}`, { width: 6, height: 8, links: runbook }),
      statPanel({
        title: "Time to exhaustion (1h burn)",
        description: "At the current 1h burn rate, hours until the remaining budget is spent. Empty: not burning.",
        unit: units.Hours,
        width: 6,
        height: 8,
        baseColor: "red",
        thresholds: [
          { value: 72, color: "orange" },
          { value: 24 * slo.periodDays, color: "green" },
        ],
        queries: [{ expr: timeToExhaustionExpr(service, slo) }],
      }),
    ],
  };
}

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
            links: [runbookLink(ctx.runbookBaseUrl, ALERT_NAMES.SLOErrorBudgetBurn)],
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
