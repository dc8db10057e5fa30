import { ALERT_NAMES } from "../alert-rules/alert-names";
import { SLO_WINDOWS, type SloWindow } from "../alert-rules/burn-rate";
import { formatNumber } from "../alert-rules/promql";
import type { ServiceSpec, SloSpec } from "../alert-rules/service-spec";
import { SLO_SERIES } from "../alert-rules/slo";
import type { DashboardContext } from "./context";
import { assembleDashboard, PLATFORM_FOLDER, type DashboardArtifact } from "./dashboard";
import type { PanelRow } from "./layout";
import { runbookLink } from "./links";
import { statPanel, timeseriesPanel } from "./panels";

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
        unit: "short",
        min: 0,
        width: 12,
        thresholds: factors.map((f, i) => ({ value: f, color: i === factors.length - 1 ? ("red" as const) : ("orange" as const) })),
        queries: SLO_WINDOWS.map((w) => ({ expr: burnRateExpr(service, slo, w), legend: w })),
        links: runbook,
      }),
      statPanel({
        title: "Error budget remaining",
        unit: "percentunit",
        width: 6,
        height: 8,
        baseColor: "red",
        thresholds: [
          { value: 0.25, color: "orange" },
          { value: 0.5, color: "green" },
        ],
        queries: [{ expr: `${SLO_SERIES.budgetRemaining}${m}` }],
        links: runbook,
      }),
      statPanel({
        title: "Time to exhaustion (1h burn)",
        description: "At the current 1h burn rate, hours until the remaining budget is spent. Empty: not burning.",
        unit: "h",
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

/** Every SLO of the catalog, one row each. */
export function buildSloDashboard(services: readonly ServiceSpec[], ctx: DashboardContext): DashboardArtifact {
  return assembleDashboard({
    title: "SLOs and error budgets",
    description: "Multiwindow burn rates, error budget remaining and time to exhaustion of every SLO in the catalog.",
    folder: PLATFORM_FOLDER,
    tags: ["slo"],
    rows: services.flatMap((s) => s.slos.map((slo) => sloRow(s, slo, ctx))),
  });
}
