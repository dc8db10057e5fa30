/** Fixtures of the Redis/Postgres alerts: up gauges and ping latency summaries. */
import { dependencyRuleGroups } from "./rules";
import { formatNumber } from "../../kit/promql";
import type { DependencySpec, ServiceSpec } from "../service-spec";
import type { AlertingRule, RuleContext } from "../../kit/rule-types";
import { isAlertingRule } from "../../kit/rule-types";
import type { AlertCase } from "../../kit/promtool/alert-case";
import { gaugeValues, inputSeries, steadyCounter } from "../../kit/promtool/series";
import type { PromtoolSeries } from "../../kit/promtool/types";

function dependencies(service: ServiceSpec): DependencySpec[] {
  return [...service.dependencies.redis, ...service.dependencies.postgres];
}

function labels(d: DependencySpec) {
  return { job: d.job, ...d.labels };
}

/** Pings per minute of the fixtures. */
const PINGS_PER_MINUTE = 60;

/** The up gauge at `up` and, with a latency metric, pings taking `latencySeconds` each. */
function dependencySeries(d: DependencySpec, up: 0 | 1, latencySeconds: number, total: number): PromtoolSeries[] {
  const series = [inputSeries(d.upMetric, labels(d), gaugeValues([[0, up]], total))];
  if (d.latencyMetric !== undefined) {
    series.push(
      inputSeries(`${d.latencyMetric}_sum`, labels(d), steadyCounter(PINGS_PER_MINUTE * latencySeconds, total)),
      inputSeries(`${d.latencyMetric}_count`, labels(d), steadyCounter(PINGS_PER_MINUTE, total)),
    );
  }
  return series;
}

/** Every dependency up and answering at a quarter of its latency threshold. */
export function dependencyHealthySeries(service: ServiceSpec, total: number): PromtoolSeries[] {
  return dependencies(service).flatMap((d) => dependencySeries(d, 1, d.latencyThresholdSeconds / 4, total));
}

/** Down: the up gauge is 0 from minute 0. Slow: pings take twice the threshold (rates hold from minute 1). */
export function dependencyAlertCases(service: ServiceSpec, ctx: RuleContext, total: number): AlertCase[] {
  const rules = dependencyRuleGroups(service, ctx).flatMap((g) => g.rules.filter(isAlertingRule));
  const ruleOf = (d: DependencySpec, down: boolean): AlertingRule | undefined =>
    rules.find((r) => r.labels.dependency === d.name && r.alert.endsWith("Down") === down);
  return dependencies(service).flatMap((d) => {
    const cases: AlertCase[] = [];
    const down = ruleOf(d, true)!;
    cases.push({
      name: `${down.alert} ${d.name}: fires ${down.for} after ${d.upMetric} reads 0`,
      target: { rule: down, exprLabels: { job: d.job }, activeAtMinute: 0 },
      series: dependencySeries(d, 0, d.latencyThresholdSeconds / 4, total),
    });
    const slow = ruleOf(d, false);
    if (slow !== undefined) {
      cases.push({
        name: `${slow.alert} ${d.name}: fires ${slow.for} after the mean ping exceeds ${formatNumber(d.latencyThresholdSeconds)}s`,
        target: { rule: slow, exprLabels: { job: d.job }, activeAtMinute: 1 },
        series: dependencySeries(d, 1, d.latencyThresholdSeconds * 2, total),
      });
    }
    return cases;
  });
}
