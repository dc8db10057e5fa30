/**
 * promtool tests derived from an SLO's definition and the burn-rate maths (burn-rate.ts):
 * - a full outage pages within the detection bound of the fastest page condition, and every
 *   severity fires, with complete labels and annotations, within its own bound;
 * - after recovery the page resolves within the longest page short window plus slack;
 * - a steady burn at exactly the budget (1x) never pages;
 * - the SLI metric missing fires `SLIMetricAbsent` after its `for`.
 */
import { SLO_ALERTS } from "./alerts";
import {
  detectionBoundAfterWarmupSeconds,
  detectionBoundSeconds,
  detectionSlackSeconds,
  errorBudget,
  resolveBoundSeconds,
  type BurnRateAlert,
} from "./burn-rate";
import { durationSeconds } from "../../model/duration";
import { formatNumber, goBucketLabel, pythonBucketLabel } from "../../kit/promql";
import type { ServiceCore } from "../../model/service-core";
import { thresholdInHistogramUnit, type SloSpec } from "./spec";
import { concreteRoute } from "../../kit/route-patterns";
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

/** The route an HTTP SLO's fixtures serve: a concrete route of its first pattern, or the default fixture route. */
export function sloFixtureRoute(slo: SloSpec): string {
  const first = "routes" in slo ? slo.routes?.[0] : undefined;
  return first === undefined ? FIXTURE_ROUTE : concreteRoute(first);
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
      return requestSeries(service, sloFixtureRoute(slo), phases);
    case "latency": {
      const h = slo.histogram;
      if (h === undefined) {
        // Good requests in the first bucket, bad ones in the bucket above the threshold; `le` spelled
        // as Python clients do (`1.0`), which the SLI must match as well as Go's `1`.
        const threshold = service.metrics.buckets.findIndex((b) => formatNumber(b) === formatNumber(slo.latencyThresholdSeconds));
        return histogramSeries(service, sloFixtureRoute(slo), phases, { good: 0, bad: threshold + 1 }, pythonBucketLabel);
      }
      // Every declared bucket, cumulative: good observations in the first bucket, bad ones in the
      // bucket above the threshold (+Inf when the threshold is the last), so a sibling SLO on the same
      // histogram at another threshold reads what a real client would export.
      const labels = { job, ...h.matchers };
      const threshold = thresholdInHistogramUnit(slo);
      const all = counter(phases, (p) => p.good + p.bad);
      return [
        ...h.buckets.map((le) =>
          inputSeries(`${h.metric}_bucket`, { ...labels, le: goBucketLabel(le) }, le > threshold ? all : counter(phases, (p) => p.good)),
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

/**
 * Which burn-rate cases a test file holds:
 * - `"deployed"`: the cases in the service's generated test file, which promtool evaluates with every
 *   rule of the service at each fixture minute. The page path only: a full outage pages within its
 *   bound and resolves after recovery (one fixture), and a 1x burn never pages. The warm-up fills the
 *   fastest page condition's long window (1h by default); a partly filled longer window only makes
 *   its condition fire earlier, so the bound stays an upper bound. Each case reads its own SLO's
 *   `ALERTS` series, so a sibling SLO reading the same series (an all-routes SLO beside a login one)
 *   may fire alongside without breaking it.
 * - `"isolated"`: every severity within its own bound, with complete labels and annotations, after a
 *   warm-up that fills every page window; the page resolving; 1x never paging once every page window
 *   is full. Tickets of low objectives take hours of fixture time (3x over 1d at 95% fires after
 *   3.6h), so these run on the SLO's own rule groups alone (test/catalog), never the whole file.
 */
export type SloTestScope = "deployed" | "isolated";

/** The test groups of one SLO's burn-rate alerts, for a test file of `scope`. */
export function sloBurnTestGroups(service: ServiceCore, slo: SloSpec, ctx: RuleContext, scope: SloTestScope = "isolated"): PromtoolTestGroup[] {
  // A deadline's events exist only after its deadline, days into a fixture: promtool would evaluate
  // the whole rule file every minute until then (minutes per SLO), so its cases
  // (promtool-periods.ts, deadlineTestGroups) run on the SLO's own rules, in test/signals.
  if (slo.kind === "deadline") return [];
  const perMinute = eventsPerMinute(slo);
  const healthy = (m: number): Phase => ({ minutes: m, good: perMinute, bad: 0 });
  const outage = (m: number): Phase => ({ minutes: m, good: 0, bad: perMinute });
  const page = slo.burnRateAlerts.filter((a) => a.severity === "critical");
  const longest = (alerts: readonly BurnRateAlert[], key: "longWindow" | "shortWindow") => Math.max(...alerts.map((a) => durationSeconds(a[key]) / 60));
  const budget = errorBudget(slo.objective);
  const steadyGroup = (steady: number): PromtoolTestGroup => ({
    name: `${service.name}/${slo.name}: a steady burn at exactly the budget (1x, error ratio ${formatNumber(budget)}) never pages in ${steady}m`,
    interval: FIXTURE_STEP,
    input_series: sliSeries(service, slo, [{ minutes: steady, good: perMinute * (1 - budget), bad: perMinute * budget }]),
    promql_expr_test: [
      { expr: `count_over_time(${burnAlertsQuery(service, slo, "critical")}[${minutes(steady)}])`, eval_time: minutes(steady), exp_samples: [] },
    ],
  });
  if (scope === "deployed") {
    const pool = page.length > 0 ? page : slo.burnRateAlerts;
    const fastest = pool.reduce((a, b) => (detectionBoundSeconds(b, slo.objective) < detectionBoundSeconds(a, slo.objective) ? b : a));
    const warmup = durationSeconds(fastest.longWindow) / 60 + 5;
    const severities = [...new Set(slo.burnRateAlerts.map((a) => a.severity))];
    // Freshness counts one event per second, whatever the fixture's traffic.
    const traffic = { eventsPerSecond: slo.kind === "freshness" ? 1 : perMinute / 60, minEventsPerSecond: slo.minEventsPerSecond };
    const bound = (severity: Severity) =>
      ceilMinutes(
        Math.min(
          ...slo.burnRateAlerts.filter((a) => a.severity === severity).map((a) => detectionBoundAfterWarmupSeconds(a, slo.objective, warmup * 60, traffic)),
        ),
      );
    const bounds = new Map(severities.map((sev) => [sev, bound(sev)]));
    // Longer windows are tiles of recorded tiles, each read one evaluation after it is written: a
    // margin of 5m over the partial-window bound for the severities other than the fastest one's.
    const others = severities.filter((sev) => sev !== fastest.severity);
    const outageMinutes = Math.max(...bounds.values()) + (others.length > 0 ? 5 : 2);
    const resolving = pool.filter((a) => a.severity === fastest.severity);
    const resolve = ceilMinutes(Math.max(...resolving.map((a) => resolveBoundSeconds(a))));
    const query = (severity: Severity) => burnAlertsQuery(service, slo, severity);
    const detect = bounds.get(fastest.severity)!;
    const groups: PromtoolTestGroup[] = [
      {
        name:
          `${service.name}/${slo.name}: a full outage after ${warmup}m of healthy traffic (${fastest.longWindow} window full, longer ones partly) ` +
          `fires ${fastest.severity} within ${detect}m (${boundText(fastest, slo)})` +
          (others.length > 0 ? ` and ${others.join(", ")} within ${outageMinutes}m` : "") +
          `; ${fastest.severity} resolves within ${resolve}m of recovery`,
        interval: FIXTURE_STEP,
        input_series: sliSeries(service, slo, [healthy(warmup), outage(outageMinutes), healthy(resolve + 2)]),
        promql_expr_test: [
          ...severities.map((sev) => ({ expr: query(sev), eval_time: minutes(warmup - 1), exp_samples: [] })),
          { expr: query(fastest.severity), eval_time: minutes(warmup + detect), exp_samples: [burnAlertsSample(service, slo, fastest.severity, ctx)] },
          ...others.map((sev) => ({ expr: query(sev), eval_time: minutes(warmup + outageMinutes), exp_samples: [burnAlertsSample(service, slo, sev, ctx)] })),
          { expr: query(fastest.severity), eval_time: minutes(warmup + outageMinutes + resolve), exp_samples: [] },
        ],
      },
    ];
    return page.length > 0 ? [...groups, steadyGroup(warmup + 30)] : groups;
  }
  const severities = [...new Set(slo.burnRateAlerts.map((a) => a.severity))];
  const firing = (severity: Severity): FiringRule => firingBurnRule(service, slo, severity, ctx);
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
        { eval_time: minutes(warmup - 1), alertname: SLO_ALERTS.SLOErrorBudgetBurn, exp_alerts: [] },
        { eval_time: minutes(warmup + all), alertname: SLO_ALERTS.SLOErrorBudgetBurn, exp_alerts: severities.map((s) => expectedAlert(firing(s))) },
      ],
      promql_expr_test: severities.map((s): PromqlExprTest => ({
        expr: burnAlertsQuery(service, slo, s),
        eval_time: minutes(warmup + bounds.get(s)!),
        exp_samples: [burnAlertsSample(service, slo, s, ctx)],
      })),
    },
  ];
  if (page.length === 0) return groups;
  const detect = bounds.get("critical")!;
  const resolve = ceilMinutes(Math.max(...page.map((a) => resolveBoundSeconds(a))));
  const outageMinutes = detect + 5;
  groups.push(
    {
      name: `${service.name}/${slo.name}: the page resolves within ${resolve}m of recovery (longest page short window ${longest(page, "shortWindow")}m + ${slackText()} slack)`,
      interval: FIXTURE_STEP,
      input_series: sliSeries(service, slo, [healthy(warmup), outage(outageMinutes), healthy(resolve + 2)]),
      promql_expr_test: [
        {
          expr: burnAlertsQuery(service, slo, "critical"),
          eval_time: minutes(warmup + detect),
          exp_samples: [burnAlertsSample(service, slo, "critical", ctx)],
        },
        { expr: burnAlertsQuery(service, slo, "critical"), eval_time: minutes(warmup + outageMinutes + resolve), exp_samples: [] },
      ],
    },
    steadyGroup(warmup + 60),
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
