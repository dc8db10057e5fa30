/** The bench's healthy series of store dependencies: up, and pings of 1 ms on average. */
import { counter, gauge, type SyntheticSeries } from "../../kit/synthetic-series";
import type { StoreDependency } from "./spec";

/** Up 1; with a latency metric, 2 pings per second taking 1 ms each. */
export function storeSyntheticSeries(dependencies: readonly StoreDependency[]): SyntheticSeries[] {
  return dependencies.flatMap((d) => {
    const labels = { job: d.job, ...d.labels };
    const series = [gauge(d.upMetric, labels, 1)];
    if (d.latencyMetric !== undefined) series.push(counter(`${d.latencyMetric}_sum`, labels, 0.002), counter(`${d.latencyMetric}_count`, labels, 2));
    return series;
  });
}
