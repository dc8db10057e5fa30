/**
 * HTTP fixtures: request counters and duration histograms of one route, shaped by traffic phases
 * (good and bad requests per minute), and the RED alert cases built on them.
 */
import { bucketsInSeconds, type ServiceCore } from "../../model/service-core";
import { formatNumber, goBucketLabel } from "../../kit/promql";
import { HTTP_ALERTS, redAbsentRules, redAlertRules } from "./rules";
import type { RedSpec } from "./spec";
import type { AlertingRule, RuleContext } from "../../kit/rule-types";
import type { AlertCase, FiringRule } from "../../kit/promtool/alert-case";
import { counterValues, gaugeValues, inputSeries } from "../../kit/promtool/series";
import type { PromtoolSeries } from "../../kit/promtool/types";

/** A stretch of traffic: `good` and `bad` events per minute for `minutes` minutes. */
export interface Phase {
  readonly minutes: number;
  readonly good: number;
  readonly bad: number;
}

/** The route fixtures use unless an SLO restricts its routes. */
export const FIXTURE_ROUTE = "/fixture";
/** Requests per minute of RED fixtures: 10/s, far above any traffic guard. */
export const FIXTURE_REQUESTS_PER_MINUTE = 600;

function counter(phases: readonly Phase[], pick: (p: Phase) => number): string {
  return counterValues(phases.map((p) => ({ perMinute: pick(p), minutes: p.minutes })));
}

/**
 * `<requests>{job, route, method="GET", code="200"|"500"}`: good answered 200, bad answered 500; or,
 * for a service counting errors apart, `<requests>` of every request and `<errors>` of the bad ones.
 */
export function requestSeries(service: ServiceCore, route: string, phases: readonly Phase[]): PromtoolSeries[] {
  const m = service.metrics;
  if (m.errors !== undefined) {
    const labels = { job: m.job, [m.routeLabel]: route, [m.methodLabel]: "GET" };
    return [
      inputSeries(
        m.requests,
        labels,
        counter(phases, (p) => p.good + p.bad),
      ),
      inputSeries(
        m.errors,
        labels,
        counter(phases, (p) => p.bad),
      ),
    ];
  }
  const labels = (code: string) => ({ job: m.job, [m.routeLabel]: route, [m.methodLabel]: "GET", [m.codeLabel]: code });
  return [
    inputSeries(
      m.requests,
      labels("200"),
      counter(phases, (p) => p.good),
    ),
    inputSeries(
      m.requests,
      labels("500"),
      counter(phases, (p) => p.bad),
    ),
  ];
}

/**
 * A duration histogram of one route: good requests land in the bucket whose upper bound has index
 * `goodBucket`, bad ones in `badBucket` (index `buckets.length` is `+Inf`). `le` is spelled by
 * `spell` (Go style by default) so fixtures can also prove Python clients' `1.0` matches.
 */
export function histogramSeries(
  service: ServiceCore,
  route: string,
  phases: readonly Phase[],
  buckets: { readonly good: number; readonly bad: number },
  spell: (seconds: number) => string = goBucketLabel,
): PromtoolSeries[] {
  const m = service.metrics;
  const labels = { job: m.job, [m.routeLabel]: route, [m.methodLabel]: "GET" };
  const upTo = (k: number) => (p: Phase) => (buckets.good <= k ? p.good : 0) + (buckets.bad <= k ? p.bad : 0);
  return [
    ...m.buckets.map((b, k) => inputSeries(`${m.durationHistogram}_bucket`, { ...labels, le: spell(b) }, counter(phases, upTo(k)))),
    inputSeries(
      `${m.durationHistogram}_bucket`,
      { ...labels, le: "+Inf" },
      counter(phases, (p) => p.good + p.bad),
    ),
    inputSeries(
      `${m.durationHistogram}_count`,
      labels,
      counter(phases, (p) => p.good + p.bad),
    ),
  ];
}

/** Index of the bucket (by upper bound) holding requests surely slower than `seconds`; p95 lands above it. */
export function slowBucketAbove(service: ServiceCore, seconds: number): number {
  const index = bucketsInSeconds(service.metrics).findIndex((b) => b > seconds);
  if (index < 0) throw new Error(`no histogram bucket of service "${service.name}" lies above ${seconds}s`);
  return index + 1;
}

/** What `histogram_quantile` returns when every request is in bucket `upper` (0 is the first). */
export function quantileOfSingleBucket(buckets: readonly number[], upper: number, q: number): number {
  if (upper >= buckets.length) return buckets[buckets.length - 1]!;
  const lower = upper === 0 ? 0 : buckets[upper - 1]!;
  return lower + (buckets[upper]! - lower) * q;
}

/** Healthy HTTP traffic of one route: good requests only, all in the first bucket. */
export function healthyHttpSeries(service: ServiceCore, route: string, total: number): PromtoolSeries[] {
  const phases = [{ minutes: total, good: FIXTURE_REQUESTS_PER_MINUTE, bad: 0 }];
  return [...requestSeries(service, route, phases), ...histogramSeries(service, route, phases, { good: 0, bad: 0 })];
}

function exprLabels(service: ServiceCore, red: RedSpec, extra: Record<string, string> = {}) {
  return red.alertPer === "route" ? { route: FIXTURE_ROUTE, service: service.name, ...extra } : { service: service.name, ...extra };
}

/** `HttpMetricAbsent`: only the scrape's `up` exists, so both RED metrics are absent and both rules fire. */
export function redAbsentCases(service: ServiceCore, red: RedSpec, ctx: RuleContext, total: number): AlertCase[] {
  if (!red.enabled) return [];
  const rules = redAbsentRules(service, ctx);
  const firing = (rule: AlertingRule): FiringRule => ({ rule, exprLabels: { job: service.metrics.job }, activeAtMinute: 0 });
  const series = [inputSeries("up", { job: service.metrics.job, instance: "fixture:8080" }, gaugeValues([[0, 1]], total))];
  return rules.map((rule) => ({
    name: `${service.name}: HttpMetricAbsent fires ${rule.for} after ${rule.labels.metric} is gone`,
    target: firing(rule),
    alsoFiring: rules.filter((r) => r !== rule).map(firing),
    series,
  }));
}

/** Each RED rule with the threshold it was built from. */
function rulesWithThresholds(service: ServiceCore, red: RedSpec, ctx: RuleContext) {
  if (!red.enabled) return [];
  const rules = redAlertRules(service, red, ctx);
  const find = (alert: string, severity: string) => rules.find((r) => r.alert === alert && r.labels.severity === severity)!;
  return [
    ...Object.entries(red.errorRatio).map(([severity, t]) => ({ rule: find(HTTP_ALERTS.ServiceHighErrorRate, severity), threshold: t!.maxRatio })),
    ...Object.entries(red.latencyP95).map(([severity, t]) => ({ rule: find(HTTP_ALERTS.ServiceHighLatencyP95, severity), threshold: t!.maxSeconds })),
  ];
}

/**
 * One case per RED alert rule. Error ratio: halfway between its threshold and the next higher one
 * (or 1). Latency: every request in the bucket above the threshold's bucket, so p95 is surely above.
 * Rules of the same name with lower thresholds fire too and are expected.
 */
export function redAlertCases(service: ServiceCore, red: RedSpec, ctx: RuleContext, total: number): AlertCase[] {
  const all = rulesWithThresholds(service, red, ctx);
  const perMinute = FIXTURE_REQUESTS_PER_MINUTE;
  return all.map(({ rule, threshold }) => {
    const sameName = all.filter((r) => r.rule.alert === rule.alert);
    let series: PromtoolSeries[];
    let value: number;
    let extra: Record<string, string> = {};
    if (rule.alert === HTTP_ALERTS.ServiceHighErrorRate) {
      const next = Math.min(1, ...sameName.map((r) => r.threshold).filter((t) => t > threshold));
      value = Number(formatNumber((threshold + next) / 2));
      const phases = [{ minutes: total, good: perMinute * (1 - value), bad: perMinute * value }];
      series = [...requestSeries(service, FIXTURE_ROUTE, phases), ...histogramSeries(service, FIXTURE_ROUTE, phases, { good: 0, bad: 0 })];
    } else {
      const slow = slowBucketAbove(service, threshold);
      value = quantileOfSingleBucket(bucketsInSeconds(service.metrics), slow, 0.95);
      const ok = [{ minutes: total, good: perMinute, bad: 0 }];
      const slowOnly = [{ minutes: total, good: 0, bad: perMinute }];
      series = [...requestSeries(service, FIXTURE_ROUTE, ok), ...histogramSeries(service, FIXTURE_ROUTE, slowOnly, { good: 0, bad: slow })];
      extra = { quantile: "0.95" };
    }
    // Rates need two samples: the expression first holds at minute 1.
    const firing = (r: AlertingRule): FiringRule => ({ rule: r, exprLabels: exprLabels(service, red, extra), activeAtMinute: 1 });
    return {
      name: `${rule.alert} (${rule.labels.severity}) fires ${rule.for ?? "at once"} after its value (${formatNumber(value)}) crosses ${formatNumber(threshold)}`,
      target: firing(rule),
      alsoFiring: sameName.filter((r) => r.rule !== rule && r.threshold < value).map((r) => firing(r.rule)),
      series,
    };
  });
}
