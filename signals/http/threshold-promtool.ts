/**
 * promtool fixtures of the threshold tiers: for every level, traffic on a route of the tier just
 * above its threshold (fires after its `for`, with the tier's other levels it crosses), and for
 * every tier, traffic just below its lowest threshold, during which none of its alerts is ever
 * pending or firing.
 */
import { bucketsInSeconds, type ServiceCore } from "../../model/service-core";
import { eq, formatNumber, selector } from "../../kit/promql";
import type { AlertCase, FiringRule } from "../../kit/promtool/alert-case";
import { FIXTURE_STEP, minutes } from "../../kit/promtool/series";
import type { PromtoolSeries, PromtoolTestGroup } from "../../kit/promtool/types";
import type { RuleContext } from "../../kit/rule-types";
import { FIXTURE_REQUESTS_PER_MINUTE, FIXTURE_ROUTE, histogramSeries, quantileOfSingleBucket, requestSeries, slowBucketAbove, type Phase } from "./promtool";
import type { RedSpec } from "./spec";
import { concreteRoute, routeMatchesPatterns } from "../../kit/route-patterns";
import { THRESHOLD_ALERTS, tierLevels, tierRule, type ThresholdTier, type TierLevel } from "./thresholds";

/** The route a tier's fixtures serve: its first route (a prefix gets `fixture` appended), or the default fixture route. */
export function tierFixtureRoute(tier: ThresholdTier): string {
  const first = tier.routes?.[0];
  return first === undefined ? FIXTURE_ROUTE : concreteRoute(first);
}

function inScope(tier: ThresholdTier, route: string): boolean {
  return routeMatchesPatterns(route, tier.routes);
}

const alertOf = (tier: ThresholdTier) =>
  tier.kind === "latency" ? THRESHOLD_ALERTS.HttpLatencyThresholdExceeded : THRESHOLD_ALERTS.HttpErrorRateThresholdExceeded;

/** Requests on `route` with a 5xx share of `ratio`, all in the first bucket. */
function errorSeries(service: ServiceCore, route: string, ratio: number, total: number): PromtoolSeries[] {
  const perMinute = FIXTURE_REQUESTS_PER_MINUTE;
  const phases: Phase[] = [{ minutes: total, good: perMinute * (1 - ratio), bad: perMinute * ratio }];
  return [...requestSeries(service, route, phases), ...histogramSeries(service, route, phases, { good: 0, bad: 0 })];
}

/** Requests on `route`, all answered 200 and all in bucket `bucket`. */
function latencySeries(service: ServiceCore, route: string, bucket: number, total: number): PromtoolSeries[] {
  const ok = [{ minutes: total, good: FIXTURE_REQUESTS_PER_MINUTE, bad: 0 }];
  const timed = [{ minutes: total, good: 0, bad: FIXTURE_REQUESTS_PER_MINUTE }];
  return [...requestSeries(service, route, ok), ...histogramSeries(service, route, timed, { good: 0, bad: bucket })];
}

/** What the tier reads from the series of a case: a quantile of bucket `bucket`, or the 5xx ratio. */
function valueFor(service: ServiceCore, tier: ThresholdTier, input: { bucket: number; ratio: number }): number {
  return tier.kind === "latency" ? quantileOfSingleBucket(bucketsInSeconds(service.metrics), input.bucket, tier.quantile) : input.ratio;
}

/** One firing case per level of every tier. */
export function thresholdAlertCases(service: ServiceCore, red: RedSpec, ctx: RuleContext, total: number): AlertCase[] {
  if (!red.enabled) return [];
  const all = red.thresholds.flatMap((tier) => tierLevels(tier).map((level) => ({ tier, level })));
  const firing = (tier: ThresholdTier, level: TierLevel): FiringRule => ({
    rule: tierRule(service, tier, level, red.minRequestsPerSecond, ctx),
    exprLabels: {},
    activeAtMinute: 1, // rates need two samples
  });
  return all.map(({ tier, level }) => {
    const route = tierFixtureRoute(tier);
    const higher = tierLevels(tier).find((l) => l.max > level.max)?.max ?? 1;
    const input = { bucket: tier.kind === "latency" ? slowBucketAbove(service, level.max) : 0, ratio: Number(formatNumber((level.max + higher) / 2)) };
    const series = tier.kind === "latency" ? latencySeries(service, route, input.bucket, total) : errorSeries(service, route, input.ratio, total);
    const value = valueFor(service, tier, input);
    const others = all.filter(
      (o) => o.level !== level && o.tier.kind === tier.kind && inScope(o.tier, route) && valueFor(service, o.tier, input) > o.level.max,
    );
    return {
      name: `${alertOf(tier)} (${tier.name}, ${level.severity}) fires ${level.for} after its value (${formatNumber(value)}) crosses ${formatNumber(level.max)} on ${route}`,
      target: firing(tier, level),
      alsoFiring: others.map((o) => firing(o.tier, o.level)),
      series,
    };
  });
}

/** Per tier: traffic just below its lowest threshold never makes any of its alerts pending. */
export function thresholdQuietGroups(service: ServiceCore, red: RedSpec, total: number): PromtoolTestGroup[] {
  if (!red.enabled) return [];
  return red.thresholds.map((tier) => {
    const lowest = tierLevels(tier)[0]!.max;
    const route = tierFixtureRoute(tier);
    // Latency: every request in the highest bucket whose bound is at most the threshold, so the
    // interpolated quantile stays below that bound. Errors: half the threshold.
    const bucket = bucketsInSeconds(service.metrics).filter((b) => b <= lowest).length - 1;
    const series = tier.kind === "latency" ? latencySeries(service, route, bucket, total) : errorSeries(service, route, lowest / 2, total);
    const value = valueFor(service, tier, { bucket, ratio: lowest / 2 });
    const alerts = selector("ALERTS", [eq("alertname", alertOf(tier)), eq("service", service.name), eq("threshold", tier.name)]);
    return {
      name: `${alertOf(tier)} (${tier.name}) stays quiet for ${total}m at ${formatNumber(value)}, below its lowest threshold ${formatNumber(lowest)}, on ${route}`,
      interval: FIXTURE_STEP,
      input_series: series,
      promql_expr_test: [{ expr: `count_over_time(${alerts}[${minutes(total)}])`, eval_time: minutes(total), exp_samples: [] }],
    };
  });
}
