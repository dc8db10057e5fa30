/**
 * SLO rules: recorded SLI rates and error ratios, objective and remaining error budget, and the
 * multiwindow multi-burn-rate alerts (DESIGN.md sections 4 and 5).
 *
 * Every window W is recorded as three series: bad events per second over W
 * (`slo:sli_error:rate<W>`), all events per second over W (`slo:sli_total:rate<W>`) and their
 * ratio, the contract `slo:sli_error:ratio_rate<W>`. Only two windows read raw counters: 5m (the
 * SLI contract `slo:sli_good:rate5m`, `slo:sli_total:rate5m`) and 1h, the long window of the fast
 * page. Every other window adds up back-to-back tiles of a shorter recorded window read at offsets
 * (`x + x offset 1h + ...`, burn-rate.ts' SLO_WINDOW_SOURCES): 6 samples of the 1h rates for 6h,
 * 3 of the 1d rates for 3d. The alerts read one recorded sample per window and one for the
 * traffic guard.
 *
 * Accuracy trade-off:
 * - Each window is a box over exactly its range (raw `rate()` over it, or tiles that meet end to
 *   end), so a window lags only the scrape and the evaluation: no 5m rate ramps up inside a long
 *   window. A full outage at 99.9% fills the 1h window's 0.0144 in 52 s, and the page fires at the
 *   next evaluation after that is scraped. Within a tile, `rate()`'s extrapolation at the window's
 *   edges is kept as it is.
 * - A tile whose sample is missing (the first W after the rules are deployed; Prometheus down for
 *   longer than the lookback delta) counts as no events, in the numerator and the denominator: the
 *   ratio then covers the tiles that exist (a shorter window, so a steadier burn shows sooner),
 *   and the total rate, which the traffic guard reads, is understated in proportion, so the guard
 *   errs on the quiet side.
 * - A tile read at an offset is the rate recorded at that evaluation: a counter reset inside the
 *   tile is handled by that tile's `rate()`, and a rule changed today changes the history of the
 *   longer windows only as their tiles roll over.
 * - The budget over the whole period adds up hourly 1h rates (a subquery at a 1h step): it omits
 *   the current, partial hour, so the budget a dashboard shows is up to an hour behind. No alert
 *   reads it.
 * In exchange, an SLO's evaluation reads the raw counters over 5m and 1h only, plus a few dozen
 * recorded samples, instead of every window's raw counters (`npm run bench`).
 */
import { parser } from "@prometheus-io/lezer-promql";
import { SLO_ALERTS } from "./alerts";
import { BASE_RATE_WINDOW } from "../../kit/promql";
import { burnThreshold, daysToExhaustion, errorBudget, SLO_WINDOW_SOURCES, SLO_WINDOWS, type BurnRateAlert, type SloWindow } from "./burn-rate";
import { eq, formatNumber, overTime, safeRatio, selector } from "../../kit/promql";
import { alertingRule, recordingRule } from "../../kit/rule";
import { durationSeconds, isDuration, type Duration } from "../../model/duration";
import type { ServiceCore } from "../../model/service-core";
import type { SloSpec } from "./spec";
import type { Severity } from "../../model/severity";
import type { AlertingRule, RecordingRule, RuleContext, RuleGroup } from "../../kit/rule-types";
import { sliQueries } from "./sli";

/** Names of the SLO series. `slo:sli_error:ratio_rate<window>` is a contract; the others serve it. */
export const SLO_SERIES = {
  goodRate: "slo:sli_good:rate5m",
  totalRate: "slo:sli_total:rate5m",
  /** Good events per second over a window read from the raw counters (5m and 1h). */
  goodRateOver: (window: SloWindow) => `slo:sli_good:rate${window}`,
  /** All events per second over a window; `totalRateOver("5m")` is {@link SLO_SERIES.totalRate}. */
  totalRateOver: (window: SloWindow) => `slo:sli_total:rate${window}`,
  /** Bad events per second over a window. */
  errorRateOver: (window: SloWindow) => `slo:sli_error:rate${window}`,
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

/** The `[5m]` ranges of an SLI query's raw-counter reads, as offsets into the query. */
function baseRanges(expr: string): { from: number; to: number }[] {
  const edits: { from: number; to: number }[] = [];
  const cursor = parser.parse(expr).cursor();
  do {
    if (cursor.name !== "MatrixSelector") continue;
    const range = cursor.node.getChild("DurationExpr");
    if (range !== null && expr.slice(range.from, range.to) === BASE_RATE_WINDOW) edits.push({ from: range.from, to: range.to });
  } while (cursor.next());
  return edits;
}

/**
 * The SLI's query at another range: every `[5m]` of its raw-counter rates becomes `[window]`. The
 * fast page's long window reads the raw counters over 1h this way.
 */
export function sliOverRange(expr: string, window: Duration): string {
  const edits = baseRanges(expr);
  if (edits.length === 0)
    throw new Error(`an SLI query must read its counters over [${BASE_RATE_WINDOW}] to be read over ${window}, got ${JSON.stringify(expr)}`);
  return edits.sort((x, y) => y.from - x.from).reduce((out, e) => out.slice(0, e.from) + window + out.slice(e.to), expr);
}

/** `x + (x offset 1h or x * 0) + ...`: `count` back-to-back tiles of `tile`, a missing one read as 0, averaged. */
function tilesExpr(series: string, tile: SloWindow, count: number): string {
  const step = (k: number) => {
    // A tile missing at its offset reads as 0 (`or` falls back to the current sample times 0, same labels).
    return k === 0 ? series : `(${series} offset ${formatTileOffset(tile, k)} or ${series} * 0)`;
  };
  return `(${Array.from({ length: count }, (_, k) => step(k)).join(" + ")}) / ${count}`;
}

/** `k` tiles of `tile` as a duration (`5h`, `18h`, `2d`). */
function formatTileOffset(tile: SloWindow, k: number): Duration {
  const amount = Number(tile.slice(0, -1)) * k;
  const text = `${amount}${tile.slice(-1)}`;
  if (!isDuration(text)) throw new Error(`tile offset must be a duration, got ${text}`);
  return text;
}

/**
 * The error ratio over `window`, from the recorded rates: a recorded window's bad over all events
 * per second; any longer window (the SLO period) from hourly samples of the 1h rates, a subquery
 * at a 1h step over `window` (whole hours, up to an hour behind: see the accuracy trade-off above).
 */
export function errorRatioExpr(service: ServiceCore, slo: SloSpec, window: Duration): string {
  if ((SLO_WINDOWS as readonly string[]).includes(window)) {
    const w = window as SloWindow;
    return safeRatio(sloSelector(SLO_SERIES.errorRateOver(w), service, slo), sloSelector(SLO_SERIES.totalRateOver(w), service, slo));
  }
  const hourly = (name: string) => `sum_over_time(${sloSelector(name, service, slo)}[${window}:1h])`;
  return safeRatio(hourly(SLO_SERIES.errorRateOver("1h")), hourly(SLO_SERIES.totalRateOver("1h")));
}

/** The rate rules of one window: raw good, total and bad for an SLI window; bad and total from tiles otherwise. */
function windowRateRules(service: ServiceCore, slo: SloSpec, window: SloWindow): RecordingRule[] {
  const labels = sloLabels(service, slo);
  const source = SLO_WINDOW_SOURCES[window];
  const total = sloSelector(SLO_SERIES.totalRateOver(window), service, slo);
  const sli = sliQueries(service, slo);
  // An SLI that reads no counter range (freshness: a gauge sampled each evaluation) has no raw 1h
  // form: its longer windows are back-to-back tiles of its 5m rates instead.
  const tileSource = source.from === "sli" && window !== BASE_RATE_WINDOW && (baseRanges(sli.goodRate).length === 0 || baseRanges(sli.totalRate).length === 0);
  if (source.from === "sli" && !tileSource) {
    const over = (expr: string) => (window === BASE_RATE_WINDOW ? expr : sliOverRange(expr, window));
    return [
      recordingRule({ record: SLO_SERIES.goodRateOver(window), expr: over(sli.goodRate), labels }),
      recordingRule({ record: SLO_SERIES.totalRateOver(window), expr: over(sli.totalRate), labels }),
      recordingRule({ record: SLO_SERIES.errorRateOver(window), expr: `${total} - ${sloSelector(SLO_SERIES.goodRateOver(window), service, slo)}`, labels }),
    ];
  }
  const { tile, count } =
    source.from === "tiles" ? source : { tile: BASE_RATE_WINDOW as SloWindow, count: durationSeconds(window) / durationSeconds(BASE_RATE_WINDOW) };
  const tiles = (name: string) => tilesExpr(sloSelector(name, service, slo), tile, count);
  return [
    recordingRule({ record: SLO_SERIES.errorRateOver(window), expr: tiles(SLO_SERIES.errorRateOver(tile)), labels }),
    recordingRule({ record: SLO_SERIES.totalRateOver(window), expr: tiles(SLO_SERIES.totalRateOver(tile)), labels }),
  ];
}

/** The recording rules of one SLO the alerts read, in evaluation order (each reads only rules above it). */
export function sloRecordingRules(service: ServiceCore, slo: SloSpec): RecordingRule[] {
  const labels = sloLabels(service, slo);
  return [
    ...SLO_WINDOWS.flatMap((window) => [
      ...windowRateRules(service, slo, window),
      recordingRule({ record: SLO_SERIES.errorRatio(window), expr: errorRatioExpr(service, slo, window), labels }),
    ]),
    recordingRule({ record: SLO_SERIES.objective, expr: `vector(${formatNumber(slo.objective)})`, labels }),
  ];
}

/**
 * How often the error budget over the whole SLO period is recomputed: a number that moves by a
 * fraction of a percent per five minutes, read from hourly samples. No alert reads it; dashboards do.
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
    // The events per second over the long window, as recorded.
    const traffic = sloSelector(SLO_SERIES.totalRateOver(alert.longWindow), service, slo);
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
        `The {{ $labels.slo }} SLO of {{ $labels.service }} (objective ${percent(slo.objective)} over ${slo.period === "calendar-month" ? "the calendar month" : `${slo.periodDays}d`}) ` +
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
