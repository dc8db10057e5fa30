/**
 * promtool tests derived from an SLO's definition and the burn-rate maths (burn-rate.ts):
 * - a full outage pages within the detection bound of the fastest page condition, and every
 *   severity fires, with complete labels and annotations, within its own bound;
 * - after recovery the page resolves within the longest page short window plus slack;
 * - a steady burn at exactly the budget (1x) never pages;
 * - the SLI metric missing fires `SLIMetricAbsent` after its `for`.
 */
import { SLO_ALERTS } from "./alerts";
import { detectionBoundSeconds, detectionSlackSeconds, errorBudget, resolveBoundSeconds, type BurnRateAlert } from "./burn-rate";
import { durationSeconds } from "../../model/duration";
import { formatNumber, goBucketLabel, pythonBucketLabel } from "../../kit/promql";
import type { ServiceCore } from "../../model/service-core";
import { thresholdInHistogramUnit, type SloSpec } from "./spec";
import type { Severity } from "../../model/severity";
import { sliAbsentRule } from "./rules";
import type { RuleContext } from "../../kit/rule-types";
import { expectedAlert, type AlertCase, type FiringRule } from "../../kit/promtool/alert-case";
import { FIXTURE_ROUTE, histogramSeries, requestSeries, type Phase } from "../http/promtool";
import { counterValues, FIXTURE_STEP, gaugeValues, inputSeries, minutes } from "../../kit/promtool/series";
import { burnAlertsQuery, burnAlertsSample, firingBurnRule } from "./promtool-alerts";
import type { PromqlExprTest, PromtoolSeries, PromtoolTestGroup } from "../../kit/promtool/types";

function counter(phases: readonly Phase[], pick: (p: Phase) => number): string {
  return counterValues(phases.map((p) => ({ perMinute: pick(p), minutes: p.minutes })));
}

/** `v+dxN` runs of per-minute values (one sample per minute from 0), as promtool expands them. */
export function encodeSamples(values: readonly number[]): string {
  const parts: string[] = [];
  let i = 0;
  while (i < values.length) {
    const delta = i + 1 < values.length ? values[i + 1]! - values[i]! : 0;
    let j = i + 1;
    while (j + 1 < values.length && values[j + 1]! - values[j]! === delta) j++;
    if (j >= values.length) j = values.length - 1;
    const run = j - i;
    const sign = delta < 0 ? "-" : "+";
    parts.push(`${formatNumber(values[i]!)}${sign}${formatNumber(Math.abs(delta))}x${run}`);
    i = j + 1;
  }
  return parts.join(" ");
}

/** Per minute of the phases: true when fresh; each phase stale for its bad share of minutes, spread evenly. */
function freshMinutes(phases: readonly Phase[]): boolean[] {
  return phases.flatMap((p) => {
    const share = p.good + p.bad === 0 ? 0 : p.bad / (p.good + p.bad);
    return Array.from({ length: p.minutes }, (_, m) => Math.floor((m + 1) * share + 1e-9) === Math.floor(m * share + 1e-9));
  });
}

/**
 * SLI series of one SLO shaped by traffic phases (good and bad events per minute). Fixtures sampled
 * at another step give phases in samples (events per sample) and the step, which only a gauge of
 * timestamps needs.
 */
export function sliSeries(service: ServiceCore, slo: SloSpec, phases: readonly Phase[], stepSeconds = 60): PromtoolSeries[] {
  const job = service.metrics.job;
  switch (slo.kind) {
    case "availability":
      return requestSeries(service, slo.routes?.[0] ?? FIXTURE_ROUTE, phases);
    case "latency": {
      const h = slo.histogram;
      if (h === undefined) {
        // Good requests in the first bucket, bad ones in the bucket above the threshold; `le` spelled
        // as Python clients do (`1.0`), which the SLI must match as well as Go's `1`.
        const threshold = service.metrics.buckets.findIndex((b) => formatNumber(b) === formatNumber(slo.latencyThresholdSeconds));
        return histogramSeries(service, slo.routes?.[0] ?? FIXTURE_ROUTE, phases, { good: 0, bad: threshold + 1 }, pythonBucketLabel);
      }
      // The threshold's bucket holds the good observations; +Inf and the count hold all of them.
      const labels = { job, ...h.matchers };
      const all = counter(phases, (p) => p.good + p.bad);
      return [
        inputSeries(
          `${h.metric}_bucket`,
          { ...labels, le: goBucketLabel(thresholdInHistogramUnit(slo)) },
          counter(phases, (p) => p.good),
        ),
        inputSeries(`${h.metric}_bucket`, { ...labels, le: "+Inf" }, all),
        inputSeries(`${h.metric}_count`, labels, all),
      ];
    }
    case "events": {
      const bad = slo.goodOutcomes.includes("failure") ? "fixture-failure" : "failure";
      const labels = (outcome: string) => ({ job, [slo.outcomeLabel]: outcome });
      return [
        inputSeries(
          slo.metric,
          labels(slo.goodOutcomes[0]!),
          counter(phases, (p) => p.good),
        ),
        inputSeries(
          slo.metric,
          labels(bad),
          counter(phases, (p) => p.bad),
        ),
      ];
    }
    case "ratio":
      return [
        inputSeries(
          slo.numerator.metric,
          { job, ...slo.numerator.matchers },
          counter(phases, (p) => (slo.numeratorCounts === "good" ? p.good : p.bad)),
        ),
        inputSeries(
          slo.denominator.metric,
          { job, ...slo.denominator.matchers },
          counter(phases, (p) => p.good + p.bad),
        ),
      ];
    case "freshness": {
      // Fresh minutes read age 0, stale ones twice the bound and a minute: the gauge jumps, as after a failed sync.
      const stale = 2 * slo.maxAgeSeconds + 60;
      const ages = freshMinutes(phases).map((fresh) => (fresh ? 0 : stale));
      const values = slo.gauge.holds === "age" ? ages : ages.map((age, m) => m * stepSeconds - age);
      return [inputSeries(slo.gauge.metric, { job, ...slo.gauge.matchers }, encodeSamples(values))];
    }
    case "deadline": {
      // A batch as large as a phase's events, every one of them delivered on time; deadline fixtures set their own.
      const total = phases.reduce((n, p) => n + p.minutes, 0);
      const size = Math.max(...phases.map((p) => p.good + p.bad));
      return [
        inputSeries(slo.batchSize.metric, { job, ...slo.batchSize.matchers }, gaugeValues([[0, size]], total)),
        inputSeries(slo.deliveredOnTime.metric, { job, ...slo.deliveredOnTime.matchers }, gaugeValues([[0, size]], total)),
      ];
    }
  }
}

/** Events per minute of SLO fixtures: at least 1000, and 20x the traffic guard. */
function eventsPerMinute(slo: SloSpec): number {
  return Math.max(1000, Math.ceil(slo.minEventsPerSecond * 60 * 20));
}

/** Healthy SLI series: good events only. */
export function sloHealthySeries(service: ServiceCore, slo: SloSpec, total: number): PromtoolSeries[] {
  return sliSeries(service, slo, [{ minutes: total, good: eventsPerMinute(slo), bad: 0 }]);
}

const ceilMinutes = (seconds: number) => Math.ceil(seconds / 60);
const slackText = () => `${formatNumber(detectionSlackSeconds() / 60)}m`;

/** Per severity: the minute bound of the fastest of its conditions detecting a full outage. */
function detectionMinutes(slo: SloSpec, severity: Severity): number {
  const pairs = slo.burnRateAlerts.filter((a) => a.severity === severity);
  return ceilMinutes(Math.min(...pairs.map((a) => detectionBoundSeconds(a, slo.objective))));
}

function boundText(a: BurnRateAlert, slo: SloSpec): string {
  const threshold = formatNumber(a.factor * errorBudget(slo.objective));
  return `${formatNumber(a.factor)}x over ${a.longWindow}: ${threshold} x ${a.longWindow} + ${slackText()} slack`;
}

/** The test groups of one SLO's burn-rate alerts. */
export function sloBurnTestGroups(service: ServiceCore, slo: SloSpec, ctx: RuleContext): PromtoolTestGroup[] {
  // A deadline's events exist only after its deadline, days into a fixture: promtool would evaluate
  // the whole rule file every minute until then (minutes per SLO), so its cases
  // (promtool-periods.ts, deadlineTestGroups) run on the SLO's own rules, in test/signals.
  if (slo.kind === "deadline") return [];
  const severities = [...new Set(slo.burnRateAlerts.map((a) => a.severity))];
  const firing = (severity: Severity): FiringRule => firingBurnRule(service, slo, severity, ctx);
  const alertsSample = (severity: Severity) => burnAlertsSample(service, slo, severity, ctx);
  const alertsQuery = burnAlertsQuery;
  const perMinute = eventsPerMinute(slo);
  const healthy = (m: number): Phase => ({ minutes: m, good: perMinute, bad: 0 });
  const outage = (m: number): Phase => ({ minutes: m, good: 0, bad: perMinute });
  const page = slo.burnRateAlerts.filter((a) => a.severity === "critical");
  const longest = (alerts: readonly BurnRateAlert[], key: "longWindow" | "shortWindow") => Math.max(...alerts.map((a) => durationSeconds(a[key]) / 60));
  // Warm up with healthy traffic until the page windows are full (ticket windows fill partly,
  // which only shortens their detection: the bounds stay upper bounds).
  const warmup = (page.length > 0 ? longest(page, "longWindow") : 60) + 5;
  const bounds = new Map(severities.map((s) => [s, detectionMinutes(slo, s)]));
  const all = Math.max(...bounds.values());
  const groups: PromtoolTestGroup[] = [
    {
      name: `${service.name}/${slo.name}: a full outage fires ${severities.map((s) => `${s} within ${bounds.get(s)}m`).join(", ")} (${slo.burnRateAlerts.map((a) => boundText(a, slo)).join("; ")})`,
      interval: FIXTURE_STEP,
      input_series: sliSeries(service, slo, [healthy(warmup), outage(all + 2)]),
      alert_rule_test: [
        { eval_time: minutes(warmup), alertname: SLO_ALERTS.SLOErrorBudgetBurn, exp_alerts: [] },
        { eval_time: minutes(warmup + all), alertname: SLO_ALERTS.SLOErrorBudgetBurn, exp_alerts: severities.map((s) => expectedAlert(firing(s))) },
      ],
      promql_expr_test: severities.map((s): PromqlExprTest => ({
        expr: alertsQuery(service, slo, s),
        eval_time: minutes(warmup + bounds.get(s)!),
        exp_samples: [alertsSample(s)],
      })),
    },
  ];
  if (page.length === 0) return groups;
  const detect = bounds.get("critical")!;
  const resolve = ceilMinutes(Math.max(...page.map((a) => resolveBoundSeconds(a))));
  const outageMinutes = detect + 5;
  const steady = warmup + 60;
  const budget = errorBudget(slo.objective);
  groups.push(
    {
      name: `${service.name}/${slo.name}: the page resolves within ${resolve}m of recovery (longest page short window ${longest(page, "shortWindow")}m + ${slackText()} slack)`,
      interval: FIXTURE_STEP,
      input_series: sliSeries(service, slo, [healthy(warmup), outage(outageMinutes), healthy(resolve + 2)]),
      promql_expr_test: [
        { expr: alertsQuery(service, slo, "critical"), eval_time: minutes(warmup + detect), exp_samples: [alertsSample("critical")] },
        { expr: alertsQuery(service, slo, "critical"), eval_time: minutes(warmup + outageMinutes + resolve), exp_samples: [] },
      ],
    },
    {
      name: `${service.name}/${slo.name}: a steady burn at exactly the budget (1x, error ratio ${formatNumber(budget)}) never pages in ${steady}m`,
      interval: FIXTURE_STEP,
      input_series: sliSeries(service, slo, [{ minutes: steady, good: perMinute * (1 - budget), bad: perMinute * budget }]),
      promql_expr_test: [
        { expr: `count_over_time(${alertsQuery(service, slo, "critical")}[${minutes(steady)}])`, eval_time: minutes(steady), exp_samples: [] },
      ],
    },
  );
  return groups;
}

/**
 * `SLIMetricAbsent`, one case per SLO: only the scrape's `up` exists and no SLI metric ever appears,
 * so the absent alerts of the service's other SLOs fire alongside.
 */
export function sliAbsentCases(service: ServiceCore, slos: readonly SloSpec[], ctx: RuleContext, total: number): AlertCase[] {
  const firing = (slo: SloSpec): FiringRule => ({ rule: sliAbsentRule(service, slo, ctx), exprLabels: { job: service.metrics.job }, activeAtMinute: 0 });
  const series = [inputSeries("up", { job: service.metrics.job, instance: "fixture:8080" }, gaugeValues([[0, 1]], total))];
  return slos.map((slo) => ({
    name: `${service.name}/${slo.name}: SLIMetricAbsent fires ${sliAbsentRule(service, slo, ctx).for} after the SLI metric is gone`,
    target: firing(slo),
    alsoFiring: slos.filter((other) => other !== slo).map(firing),
    series,
  }));
}
