/**
 * SLO rules: recorded SLI rates and error ratios, objective and remaining error budget, and the
 * multiwindow multi-burn-rate alerts (DESIGN.md sections 4 and 5).
 *
 * Long windows are derived, not re-read. Only `slo:sli_good:rate5m` and `slo:sli_total:rate5m` read
 * raw counters (over 5m). Every window W from 30m to 3d, and the budget over the whole period, is
 *
 *     (sum_over_time(total5m[W]) - sum_over_time(good5m[W])) / sum_over_time(total5m[W])
 *
 * Accuracy trade-off: this is a ratio of sums of overlapping 5m rates, i.e. the events of
 * [t - W - 5m, t] with the first and last 5m weighted less (a trapezoid instead of a box), so the
 * derived ratio lags the exact one by up to 2.5m on average and smooths edges; it weights each 5m by
 * its traffic (unlike `avg_over_time` of the 5m ratio, which overweights quiet periods); gaps in
 * rule evaluation (a Prometheus restart) drop those minutes from both sums instead of being bridged
 * by a counter delta; and `rate` handles counter resets per 5m. In exchange, a 3d or 30d window
 * costs one sample per evaluation of two recorded series instead of millions of raw samples.
 */
import { SLO_ALERTS } from "./alerts";
import { BASE_RATE_WINDOW } from "../../kit/promql";
import { burnThreshold, daysToExhaustion, errorBudget, SLO_WINDOWS, type BurnRateAlert, type SloWindow } from "./burn-rate";
import { eq, formatNumber, overTime, safeRatio, selector } from "../../kit/promql";
import { alertingRule, recordingRule } from "../../kit/rule";
import type { Duration } from "../../model/duration";
import type { ServiceCore } from "../../model/service-core";
import type { SloSpec } from "./spec";
import type { Severity } from "../../model/severity";
import type { AlertingRule, RecordingRule, RuleContext, RuleGroup } from "../../kit/rule-types";
import { sliQueries } from "./sli";

/** Names of the SLO series. `slo:sli_error:ratio_rate<window>` is a contract; the others serve it. */
export const SLO_SERIES = {
  goodRate: "slo:sli_good:rate5m",
  totalRate: "slo:sli_total:rate5m",
  errorRatio: (window: SloWindow) => `slo:sli_error:ratio_rate${window}`,
  objective: "slo:objective:ratio",
  budgetRemaining: "slo:error_budget:remaining_ratio",
} as const;

/** Labels of every SLO series and alert: `service` and `slo`. */
export function sloLabels(service: ServiceCore, slo: SloSpec) {
  return { service: service.name, slo: slo.name };
}

function sloSelector(name: string, service: ServiceCore, slo: SloSpec): string {
  return selector(name, [eq("service", service.name), eq("slo", slo.name)]);
}

/** The error ratio over `window`: direct for 5m, derived from the recorded 5m rates otherwise. */
function errorRatioExpr(service: ServiceCore, slo: SloSpec, window: Duration): string {
  const total = sloSelector(SLO_SERIES.totalRate, service, slo);
  const good = sloSelector(SLO_SERIES.goodRate, service, slo);
  if (window === BASE_RATE_WINDOW) return safeRatio(`${total} - ${good}`, total);
  const sum = (s: string) => overTime("sum_over_time", s, window);
  return safeRatio(`${sum(total)} - ${sum(good)}`, sum(total));
}

/** The recording rules of one SLO the alerts read, in evaluation order (each reads only rules above it). */
export function sloRecordingRules(service: ServiceCore, slo: SloSpec): RecordingRule[] {
  const labels = sloLabels(service, slo);
  const sli = sliQueries(service, slo);
  return [
    recordingRule({ record: SLO_SERIES.goodRate, expr: sli.goodRate, labels }),
    recordingRule({ record: SLO_SERIES.totalRate, expr: sli.totalRate, labels }),
    ...SLO_WINDOWS.map((window) => recordingRule({ record: SLO_SERIES.errorRatio(window), expr: errorRatioExpr(service, slo, window), labels })),
    recordingRule({ record: SLO_SERIES.objective, expr: `vector(${formatNumber(slo.objective)})`, labels }),
  ];
}

/**
 * How often the error budget over the whole SLO period is recomputed. It reads the period (30d) of
 * the recorded 5m rates: three quarters of an SLO's evaluation cost at the global 30s interval
 * (`npm run bench`), for a number that moves by a fraction of a percent per five minutes. No alert
 * reads it; dashboards do.
 */
export const BUDGET_EVALUATION_INTERVAL = "5m";

/**
 * Series of a calendar-month SLO: its 5m good and total rates, copied into one of three partitions
 * by month number modulo 3 (label `month_mod3`). A 31d range of the current month's partition then
 * holds exactly the samples since the 1st, 00:00 UTC: a 31-day range reaches at most two months
 * back, and three consecutive months never share a residue. PromQL has no range that varies with
 * the date; this gives one without a rule that reads its own past values.
 */
export const CALENDAR_MONTH_SERIES = {
  goodRate: "slo:sli_good_month_partition:rate5m",
  totalRate: "slo:sli_total_month_partition:rate5m",
  partitionLabel: "month_mod3",
  /** The longest month: the range the budget reads, and what retention must cover. */
  range: "31d",
} as const;

const MONTH_PARTITIONS = [0, 1, 2] as const;

/** The month's partition of a series: present only in months whose number modulo 3 is `k`. */
function monthFilter(k: number): string {
  return `on () (month() % 3 == ${k})`;
}

/**
 * The partition rules of a calendar-month SLO (none for a rolling one), in the budget's group, so
 * each 5m rate is sampled once per budget evaluation. Failure modes: a month's budget covers only
 * what Prometheus kept (retention must be 31d, synth checks it); minutes Prometheus was down are
 * missing from both sums (as for a rolling period); the first 5m rate of the month still holds up
 * to 5m of the last month's events; and an SLO switched to calendar-month mid-month starts with
 * the partition empty, so its first month counts from the switch.
 */
export function calendarMonthRules(service: ServiceCore, slo: SloSpec): RecordingRule[] {
  if (slo.period !== "calendar-month") return [];
  return MONTH_PARTITIONS.flatMap((k) => {
    const labels = { ...sloLabels(service, slo), [CALENDAR_MONTH_SERIES.partitionLabel]: String(k) };
    return [
      recordingRule({ record: CALENDAR_MONTH_SERIES.goodRate, expr: `${sloSelector(SLO_SERIES.goodRate, service, slo)} and ${monthFilter(k)}`, labels }),
      recordingRule({ record: CALENDAR_MONTH_SERIES.totalRate, expr: `${sloSelector(SLO_SERIES.totalRate, service, slo)} and ${monthFilter(k)}`, labels }),
    ];
  });
}

/** The error ratio since the 1st of the month, 00:00 UTC, from the current month's partition. */
function monthToDateErrorRatio(service: ServiceCore, slo: SloSpec): string {
  const branch = (k: number) => {
    const partition = (name: string) =>
      overTime(
        "sum_over_time",
        selector(name, [eq("service", service.name), eq("slo", slo.name), eq(CALENDAR_MONTH_SERIES.partitionLabel, String(k))]),
        CALENDAR_MONTH_SERIES.range,
      );
    const total = partition(CALENDAR_MONTH_SERIES.totalRate);
    return `(${safeRatio(`${total} - ${partition(CALENDAR_MONTH_SERIES.goodRate)}`, total)} and ${monthFilter(k)})`;
  };
  // One branch survives; dropping the partition label keeps the budget series labelled service, slo.
  return `max without (${CALENDAR_MONTH_SERIES.partitionLabel}) (\n  ${MONTH_PARTITIONS.map(branch).join("\n  or\n  ")}\n)`;
}

/**
 * `slo:error_budget:remaining_ratio`: 1 = untouched, 0 = spent, below 0 = overspent, over the SLO's
 * period: the rolling window, or the calendar month so far (back to 1 on the 1st, 00:00 UTC).
 */
export function budgetRemainingRule(service: ServiceCore, slo: SloSpec): RecordingRule {
  const budget = formatNumber(errorBudget(slo.objective));
  const ratio = slo.period === "calendar-month" ? monthToDateErrorRatio(service, slo) : errorRatioExpr(service, slo, slo.period);
  return recordingRule({
    record: SLO_SERIES.budgetRemaining,
    expr: `1 - (${ratio}) / ${budget}`,
    labels: sloLabels(service, slo),
  });
}

/** One burn-rate condition: both windows above `factor * budget`, with enough traffic to mean it. */
function burnCondition(service: ServiceCore, slo: SloSpec, alert: BurnRateAlert): string {
  const threshold = `(${formatNumber(alert.factor)} * ${formatNumber(errorBudget(slo.objective))})`;
  const ratio = (w: SloWindow) => `${sloSelector(SLO_SERIES.errorRatio(w), service, slo)} > ${threshold}`;
  const parts = [ratio(alert.longWindow), ratio(alert.shortWindow)];
  if (slo.minEventsPerSecond > 0) {
    // Low-traffic guard: one failure among a handful of events is a huge ratio but no incident.
    const traffic = overTime("avg_over_time", sloSelector(SLO_SERIES.totalRate, service, slo), alert.longWindow);
    parts.push(`${traffic} >= ${formatNumber(slo.minEventsPerSecond)}`);
  }
  return `(\n  ${parts.join("\n  and\n  ")}\n)`;
}

function percent(ratio: number): string {
  return `${formatNumber(ratio * 100)}%`;
}

function conditionText(alert: BurnRateAlert, periodDays: number): string {
  const days = daysToExhaustion(alert.factor, periodDays);
  const lasts = days < 1 ? `${formatNumber(Number((days * 24).toFixed(1)))} hours` : `${formatNumber(Number(days.toFixed(1)))} days`;
  return `${formatNumber(alert.factor)}x over ${alert.longWindow} and ${alert.shortWindow} (budget gone in ${lasts})`;
}

/** The burn-rate alert of one severity: its conditions joined by `or`. */
export function burnRateAlertRule(service: ServiceCore, slo: SloSpec, severity: Severity, ctx: RuleContext): AlertingRule {
  const alerts = slo.burnRateAlerts.filter((a) => a.severity === severity);
  const how = severity === "critical" ? "fast" : "steadily";
  return alertingRule(
    {
      alert: SLO_ALERTS.SLOErrorBudgetBurn,
      expr: alerts.map((a) => burnCondition(service, slo, a)).join("\nor\n"),
      severity,
      service: service.name,
      team: service.team,
      labels: { slo: slo.name },
      summary: `{{ $labels.service }} is burning its {{ $labels.slo }} error budget ${how}`,
      description:
        `The {{ $labels.slo }} SLO of {{ $labels.service }} (objective ${percent(slo.objective)} over ${slo.periodDays}d) ` +
        `burns its error budget at ${alerts.map((a) => conditionText(a, slo.periodDays)).join(", or ")}. ` +
        `Error-ratio thresholds: ${alerts.map((a) => `${formatNumber(burnThreshold(a.factor, slo.objective))} (${a.longWindow})`).join(", ")}.`,
    },
    ctx,
  );
}

/** `SLIMetricAbsent`: the SLI's metric is gone, so its ratios read 0 and no burn alert can fire. */
export function sliAbsentRule(service: ServiceCore, slo: SloSpec, ctx: RuleContext): AlertingRule {
  const presence = sliQueries(service, slo).presence;
  return alertingRule(
    {
      alert: SLO_ALERTS.SLIMetricAbsent,
      expr: `absent(${presence})`,
      for: "10m",
      severity: "warning",
      service: service.name,
      team: service.team,
      labels: { slo: slo.name },
      summary: `${service.name}: the metric of the ${slo.name} SLI is missing`,
      description:
        `No series matches ${presence} (job {{ $labels.job }}) for 10m. While it is missing the ${slo.name} SLO of ${service.name} ` +
        `reads no errors and its burn-rate alerts cannot fire: check the scrape, the metric and label names, and the histogram buckets.`,
    },
    ctx,
  );
}

/**
 * Two groups per SLO: its recording rules then its alerts (which read them at the same timestamp),
 * at the global interval; and its error budget over the period, every {@link BUDGET_EVALUATION_INTERVAL}.
 */
export function sloRuleGroups(service: ServiceCore, slos: readonly SloSpec[], ctx: RuleContext): RuleGroup[] {
  return slos.flatMap((slo) => {
    const severities = [...new Set(slo.burnRateAlerts.map((a) => a.severity))];
    return [
      {
        name: `${service.name}.slo.${slo.name}`,
        rules: [
          ...sloRecordingRules(service, slo),
          ...severities.map((severity) => burnRateAlertRule(service, slo, severity, ctx)),
          sliAbsentRule(service, slo, ctx),
        ],
      },
      {
        name: `${service.name}.slo.${slo.name}.budget`,
        interval: BUDGET_EVALUATION_INTERVAL,
        rules: [...calendarMonthRules(service, slo), budgetRemainingRule(service, slo)],
      },
    ];
  });
}
