/**
 * SLOTH-STYLE BASELINE, for the benchmark only; never deployed.
 *
 * The rule structure Sloth (slok/sloth) generates for one SLO, written here from its published
 * conventions for the same SLOs, windows and factors as the product:
 * - SLI group: `slo:sli_error:ratio_rate<W>` for every window the alerts read (5m, 30m, 1h, 2h, 6h,
 *   1d, 3d), each straight from the raw counters, `(sum(rate(errors[W]))) / (sum(rate(total[W])))`,
 *   plus the period window, `slo:sli_error:ratio_rate30d`, as Sloth's optimized form: the mean of
 *   the recorded 5m ratio over the period (`sum_over_time / ignoring (sloth_window) count_over_time`).
 * - Metadata group: `slo:objective:ratio`, `slo:error_budget:ratio`, `slo:time_period:days`,
 *   `slo:current_burn_rate:ratio` (5m ratio / budget), `slo:period_burn_rate:ratio` (period ratio /
 *   budget), `slo:period_error_budget_remaining:ratio` (1 - period burn rate), `sloth_slo_info`.
 * - Alert group: the page and the ticket, each `(max(short > f * budget) without (sloth_window) and
 *   max(long > f * budget) without (sloth_window)) or (...)` over the two pairs of its severity.
 * Labels `sloth_id`, `sloth_service`, `sloth_slo` and `sloth_window` as Sloth sets them. Sloth has
 * no traffic guard; neither has this.
 */
import { DEFAULT_BURN_RATE_ALERTS, errorBudget, type BurnRateAlert } from "../signals/slo/burn-rate";
import { anyOfRegex, bucketMatcher, eq, formatNumber, nre, re, selector, type LabelMatcher } from "../kit/promql";
import type { ServiceSpec } from "../signals/service-spec";
import type { SloSpec } from "../signals/slo/spec";
import type { AlertingRule, RecordingRule, RuleGroup } from "../kit/rule-types";
import { gauge, type SyntheticSeries } from "../kit/synthetic-series";

/** The Sloth-style alert's name, apart from the product's. */
export const SLOTH_ALERT = "SlothStyleSLOErrorBudgetBurn";

/** Windows Sloth records for the default 30d alert windows, short and long of each pair. */
export const SLOTH_WINDOWS = ["5m", "30m", "1h", "2h", "6h", "1d", "3d"] as const;
type SlothWindow = (typeof SLOTH_WINDOWS)[number];

const ratioName = (window: string) => `slo:sli_error:ratio_rate${window}`;

/** Sloth's identifying labels of one SLO. */
export function slothLabels(service: ServiceSpec, slo: SloSpec): Record<string, string> {
  return { sloth_id: `${service.name}-${slo.name}`, sloth_service: service.name, sloth_slo: slo.name };
}

function filter(service: ServiceSpec, slo: SloSpec): string {
  return `{${Object.entries(slothLabels(service, slo))
    .map(([k, v]) => `${k}="${v}"`)
    .join(", ")}}`;
}

/** The error and total queries a Sloth user writes for the SLI, over `window`. */
export function slothQueries(service: ServiceSpec, slo: SloSpec, window: string): { errors: string; total: string } {
  const job = eq("job", service.metrics.job);
  const routes: LabelMatcher[] = "routes" in slo && slo.routes ? [re(service.metrics.routeLabel, anyOfRegex(slo.routes))] : [];
  const sumRate = (s: string) => `sum(rate(${s}[${window}]))`;
  switch (slo.kind) {
    case "availability": {
      const total = sumRate(selector(service.metrics.requests, [job, ...routes]));
      return { errors: sumRate(selector(service.metrics.requests, [job, ...routes, re(service.metrics.codeLabel, "5..")])), total };
    }
    case "latency": {
      // Errors: every request minus those within the threshold's bucket.
      const total = sumRate(selector(`${service.metrics.durationHistogram}_count`, [job, ...routes]));
      const fast = sumRate(selector(`${service.metrics.durationHistogram}_bucket`, [job, ...routes, bucketMatcher(slo.latencyThresholdSeconds)]));
      return { errors: `${total} - ${fast}`, total };
    }
    case "events":
      return { errors: sumRate(selector(slo.metric, [job, nre(slo.outcomeLabel, anyOfRegex(slo.goodOutcomes))])), total: sumRate(selector(slo.metric, [job])) };
    default:
      // The bench's generated services declare only the kinds above.
      throw new Error(`the Sloth-style baseline has no rules for SLO kind "${slo.kind}" (${service.name}/${slo.name})`);
  }
}

function sliRules(service: ServiceSpec, slo: SloSpec): RecordingRule[] {
  const labels = slothLabels(service, slo);
  const raw = SLOTH_WINDOWS.map((w): RecordingRule => {
    const q = slothQueries(service, slo, w);
    return { record: ratioName(w), expr: `(${q.errors})\n/\n(${q.total})`, labels: { ...labels, sloth_window: w } };
  });
  const period = `${slo.periodDays}d`;
  const five = `${ratioName("5m")}${filter(service, slo)}[${period}]`;
  return [
    ...raw,
    { record: ratioName(period), expr: `sum_over_time(${five})\n/ ignoring (sloth_window)\ncount_over_time(${five})`, labels: { sloth_window: period } },
  ];
}

function metaRules(service: ServiceSpec, slo: SloSpec): RecordingRule[] {
  const labels = slothLabels(service, slo);
  const f = filter(service, slo);
  const burn = (ratio: string) => `${ratio}${f}\n/ on(sloth_id, sloth_slo, sloth_service) group_left\nslo:error_budget:ratio${f}`;
  return [
    { record: "slo:objective:ratio", expr: `vector(${formatNumber(slo.objective)})`, labels },
    { record: "slo:error_budget:ratio", expr: `vector(1-${formatNumber(slo.objective)})`, labels },
    { record: "slo:time_period:days", expr: `vector(${slo.periodDays})`, labels },
    { record: "slo:current_burn_rate:ratio", expr: burn(ratioName("5m")), labels },
    { record: "slo:period_burn_rate:ratio", expr: burn(ratioName(`${slo.periodDays}d`)), labels },
    { record: "slo:period_error_budget_remaining:ratio", expr: `1 - slo:period_burn_rate:ratio${f}`, labels },
    { record: "sloth_slo_info", expr: "vector(1)", labels: { ...labels, sloth_objective: formatNumber(slo.objective * 100) } },
  ];
}

function pairExpr(service: ServiceSpec, slo: SloSpec, pair: BurnRateAlert): string {
  const threshold = `(${formatNumber(pair.factor)} * ${formatNumber(errorBudget(slo.objective))})`;
  const side = (w: string) => `max(${ratioName(w)}${filter(service, slo)} > ${threshold}) without (sloth_window)`;
  return `(\n    ${side(pair.shortWindow)}\n    and\n    ${side(pair.longWindow)}\n)`;
}

/** Sloth's page and ticket over the product's default pairs (Sloth's own defaults, the workbook's). */
function alertRules(service: ServiceSpec, slo: SloSpec): AlertingRule[] {
  return (["critical", "warning"] as const).map((severity) => ({
    alert: SLOTH_ALERT,
    expr: DEFAULT_BURN_RATE_ALERTS.filter((p) => p.severity === severity)
      .map((p) => pairExpr(service, slo, p))
      .join("\nor\n"),
    labels: { sloth_severity: severity === "critical" ? "page" : "ticket", severity, service: service.name, slo: slo.name, team: service.team },
    annotations: { summary: `Sloth-style baseline: ${service.name} burns its ${slo.name} budget` },
  }));
}

/** The three groups Sloth generates per SLO: SLI recordings, metadata recordings, alerts. */
export function slothStyleGroups(service: ServiceSpec): RuleGroup[] {
  return service.slos.flatMap((slo) => {
    const id = slothLabels(service, slo).sloth_id;
    return [
      { name: `sloth-slo-sli-recordings-${id}`, rules: sliRules(service, slo) },
      { name: `sloth-slo-meta-recordings-${id}`, rules: metaRules(service, slo) },
      { name: `sloth-slo-alerts-${id}`, rules: alertRules(service, slo) },
    ];
  });
}

/** Sloth's recorded error ratio of one SLO over `window`, as a query. */
export function slothErrorRatio(service: ServiceSpec, slo: SloSpec, window: SlothWindow): string {
  return `${ratioName(window)}${filter(service, slo)}`;
}

/**
 * Every series the Sloth-style rules record for one SLO, with the value they hold under steady
 * traffic (`errorRatio` constant): what a Prometheus that has run them for a while holds.
 */
export function slothRecordedSeries(service: ServiceSpec, slo: SloSpec, errorRatio: number): SyntheticSeries[] {
  const labels = slothLabels(service, slo);
  const budget = errorBudget(slo.objective);
  return [
    ...[...SLOTH_WINDOWS, `${slo.periodDays}d`].map((w) => gauge(ratioName(w), { ...labels, sloth_window: w }, errorRatio)),
    gauge("slo:objective:ratio", labels, slo.objective),
    gauge("slo:error_budget:ratio", labels, budget),
    gauge("slo:time_period:days", labels, slo.periodDays),
    gauge("slo:current_burn_rate:ratio", labels, errorRatio / budget),
    gauge("slo:period_burn_rate:ratio", labels, errorRatio / budget),
    gauge("slo:period_error_budget_remaining:ratio", labels, 1 - errorRatio / budget),
    gauge("sloth_slo_info", { ...labels, sloth_objective: formatNumber(slo.objective * 100) }, 1),
  ];
}

/** The series of {@link slothRecordedSeries} a rule reads over the whole period: the 5m ratio. */
export function slothPeriodSeries(service: ServiceSpec, slo: SloSpec, errorRatio: number): SyntheticSeries[] {
  return [gauge(ratioName("5m"), { ...slothLabels(service, slo), sloth_window: "5m" }, errorRatio)];
}
