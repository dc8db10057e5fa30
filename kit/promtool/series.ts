/**
 * Input series for promtool fixtures, one sample per minute from time 0: counters that grow by so
 * much per minute, piecewise, and gauges that step between values.
 */
import { eq, formatNumber, selector } from "../promql";
import type { Labels } from "../rule-types";
import type { PromtoolSeries } from "./types";

/** The fixtures' sample and evaluation step. */
export const FIXTURE_STEP = "1m";

/** `<n>m`, the form of every fixture time. */
export function minutes(n: number): string {
  if (!Number.isInteger(n) || n < 0) throw new Error(`minutes must be a non-negative integer, got ${n}`);
  return `${n}m`;
}

/** `metric{a="b",...}` with labels in the order given. */
export function seriesName(metric: string, labels: Labels): string {
  return selector(
    metric,
    Object.entries(labels).map(([k, v]) => eq(k, v)),
  );
}

/** One stretch of a counter: grows by `perMinute` each minute for `minutes` minutes. */
export interface CounterStretch {
  readonly perMinute: number;
  readonly minutes: number;
}

function step(start: number, increment: number, count: number): string {
  const sign = increment < 0 ? "-" : "+";
  return `${formatNumber(start)}${sign}${formatNumber(Math.abs(increment))}x${count}`;
}

/**
 * Values of a counter starting at 0 (sample at minute 0), then growing stretch by stretch:
 * `[{perMinute: 10, minutes: 3}, {perMinute: 20, minutes: 2}]` -> `0+10x3 50+20x1` (0 10 20 30 50 70).
 */
export function counterValues(stretches: readonly CounterStretch[]): string {
  const parts: string[] = [];
  let value = 0;
  stretches.forEach((s, i) => {
    if (i === 0) parts.push(step(0, s.perMinute, s.minutes));
    else if (s.minutes > 0) parts.push(step(value + s.perMinute, s.perMinute, s.minutes - 1));
    value += s.perMinute * s.minutes;
  });
  return parts.join(" ");
}

/** A counter growing by `perMinute` for `total` minutes. */
export function steadyCounter(perMinute: number, total: number): string {
  return counterValues([{ perMinute, minutes: total }]);
}

/**
 * Values of a gauge: `steps` are `[fromMinute, value]`, the first from minute 0, each holding until
 * the next; the last holds until `total`. `[[0, 100], [10, 20]]` -> 100 at 0..9, 20 from 10.
 */
export function gaugeValues(steps: readonly (readonly [number, number])[], total: number): string {
  return steps
    .map(([from, value], i) => {
      const until = i + 1 < steps.length ? steps[i + 1]![0] - 1 : total;
      return step(value, 0, until - from);
    })
    .join(" ");
}

/** A gauge growing by `perMinute` from `start`, for `total` minutes. */
export function rampValues(start: number, perMinute: number, total: number): string {
  return step(start, perMinute, total);
}

/** One input series. */
export function inputSeries(metric: string, labels: Labels, values: string): PromtoolSeries {
  return { series: seriesName(metric, labels), values };
}

/** Series merged by name; the same series twice must have the same values. */
export function mergeSeries(...lists: readonly (readonly PromtoolSeries[])[]): PromtoolSeries[] {
  const byName = new Map<string, PromtoolSeries>();
  for (const s of lists.flat()) {
    const seen = byName.get(s.series);
    if (seen !== undefined && seen.values !== s.values) {
      throw new Error(`fixture series ${s.series} is given twice with different values: "${seen.values}" and "${s.values}"`);
    }
    byName.set(s.series, s);
  }
  return [...byName.values()];
}
