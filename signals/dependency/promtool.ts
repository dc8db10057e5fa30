/** Fixtures of the store dependency alerts: up gauges and ping latency summaries. */
import type { ServiceCore } from "../../model/service-core";
import { formatNumber } from "../../kit/promql";
import type { RuleContext } from "../../kit/rule-types";
import { storeAlertRules, type StoreAlerts } from "./rules";
import type { StoreDependency } from "./spec";
import type { AlertCase } from "../../kit/promtool/alert-case";
import { gaugeValues, inputSeries, steadyCounter } from "../../kit/promtool/series";
import type { PromtoolSeries } from "../../kit/promtool/types";

function labels(d: StoreDependency) {
  return { job: d.job, ...d.labels };
}

/** Pings per minute of the fixtures. */
const PINGS_PER_MINUTE = 60;

/** The up gauge at `up` and, with a latency metric, pings taking `latencySeconds` each. */
function dependencySeries(d: StoreDependency, up: 0 | 1, latencySeconds: number, total: number): PromtoolSeries[] {
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
export function dependencyHealthySeries(dependencies: readonly StoreDependency[], total: number): PromtoolSeries[] {
  return dependencies.flatMap((d) => dependencySeries(d, 1, d.latencyThresholdSeconds / 4, total));
}

/** Down: the up gauge is 0 from minute 0. Slow: pings take twice the threshold (rates hold from minute 1). */
export function dependencyAlertCases(
  service: ServiceCore,
  alerts: StoreAlerts,
  dependencies: readonly StoreDependency[],
  ctx: RuleContext,
  total: number,
): AlertCase[] {
  return dependencies.flatMap((d) => {
    const [down, slow] = storeAlertRules(service, alerts, d, ctx);
    const cases: AlertCase[] = [
      {
        name: `${down!.alert} ${d.name}: fires ${down!.for} after ${d.upMetric} reads 0`,
        target: { rule: down!, exprLabels: { job: d.job }, activeAtMinute: 0 },
        series: dependencySeries(d, 0, d.latencyThresholdSeconds / 4, total),
      },
    ];
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
