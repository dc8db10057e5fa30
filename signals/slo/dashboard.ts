/** The SLO rows of a service's dashboard: burn rate per window, budget remaining, time to exhaustion. */
import * as units from "@grafana/grafana-foundation-sdk/units";
import type { ServiceCore } from "../../model/service-core";
import { formatNumber } from "../../kit/promql";
import type { DashboardContext } from "../../kit/dashboards/context";
import type { PanelRow } from "../../kit/dashboards/layout";
import { runbookLink } from "../../kit/dashboards/links";
import { statPanel, timeseriesPanel, type PanelLink } from "../../kit/dashboards/panels";
import type { PanelSpec } from "../../kit/dashboards/grid";
import { SLO_ALERTS } from "./alerts";
import { SLO_WINDOWS, type SloWindow } from "./burn-rate";
import { SLO_SERIES } from "./rules";
import type { SloSpec } from "./spec";

/** `{service="x", slo="y"}` */
function sloMatchers(service: ServiceCore, slo: SloSpec): string {
  return `{service="${service.name}", slo="${slo.name}"}`;
}

/** Burn rate over a window: the window's error ratio divided by the error budget (1 - objective). */
export function burnRateExpr(service: ServiceCore, slo: SloSpec, window: SloWindow): string {
  const m = sloMatchers(service, slo);
  return `${SLO_SERIES.errorRatio(window)}${m} / on (service, slo) (1 - ${SLO_SERIES.objective}${m})`;
}

/** The period as a reader says it: `30d`, `calendar month (UTC)`. */
export function periodText(slo: SloSpec): string {
  return slo.period === "calendar-month" ? "calendar month (UTC)" : slo.period;
}

/** The period in hours: the rolling window's, or the current month's (`days_in_month()`, UTC). */
function periodHoursExpr(slo: SloSpec): string {
  return slo.period === "calendar-month" ? "scalar(days_in_month()) * 24" : formatNumber(slo.periodDays * 24);
}

/**
 * Hours until the remaining budget is spent at the current 1h burn rate: remaining share of the
 * budget × period / burn rate. Empty while nothing burns.
 */
export function timeToExhaustionExpr(service: ServiceCore, slo: SloSpec): string {
  const m = sloMatchers(service, slo);
  return `clamp_min(${SLO_SERIES.budgetRemaining}${m}, 0) * ${periodHoursExpr(slo)} / (${burnRateExpr(service, slo, "1h")} > 0)`;
}

/** What the budget panel covers: the rolling window, or the month so far. */
function budgetDescription(slo: SloSpec): string {
  return slo.period === "calendar-month"
    ? "Share of this calendar month's error budget left: the month so far, back to 100% on the 1st at 00:00 UTC."
    : `Share of the error budget left over the last ${slo.period}.`;
}

/** Budget remaining as a stat: red below 25%, orange below 50%. One look for every dashboard. */
export function budgetRemainingPanel(
  expr: string,
  layout: { width: number; height?: number; legend?: string; links?: readonly PanelLink[]; description?: string },
): PanelSpec {
  return statPanel({
    title: "Error budget remaining",
    ...(layout.description !== undefined ? { description: layout.description } : {}),
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
export function sloRow(service: ServiceCore, slo: SloSpec, ctx: DashboardContext): PanelRow {
  const m = sloMatchers(service, slo);
  const factors = [...new Set(slo.burnRateAlerts.map((a) => a.factor))].sort((a, b) => a - b);
  const runbook = [runbookLink(ctx.runbookBaseUrl, SLO_ALERTS.SLOErrorBudgetBurn)];
  return {
    title: `${service.name} / ${slo.name}: ${formatNumber(slo.objective * 100)}% over ${periodText(slo)} (${slo.kind})`,
    panels: [
      timeseriesPanel({
        title: "Burn rate by window",
        description: `1 = spending the budget exactly over ${slo.period === "calendar-month" ? "a month" : slo.period}. Dashed lines: the burn-rate alert factors (${factors.map(formatNumber).join(", ")}).`,
        unit: units.Short,
        min: 0,
        width: 12,
        thresholds: factors.map((f, i) => ({ value: f, color: i === factors.length - 1 ? ("red" as const) : ("orange" as const) })),
        queries: SLO_WINDOWS.map((w) => ({ expr: burnRateExpr(service, slo, w), legend: w })),
        links: runbook,
      }),
      budgetRemainingPanel(`${SLO_SERIES.budgetRemaining}${m}`, { width: 6, height: 8, links: runbook, description: budgetDescription(slo) }),
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

/** One row per SLO. */
export function sloRows(service: ServiceCore, slos: readonly SloSpec[], ctx: DashboardContext): PanelRow[] {
  return slos.map((slo) => sloRow(service, slo, ctx));
}
