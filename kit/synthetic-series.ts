/**
 * Synthetic series for the bench: a counter growing at a fixed rate from an origin, or a constant
 * gauge, so a backfilled history and a live scrape are one continuous series.
 */

/** One synthetic series. */
export interface SyntheticSeries {
  /** `name{labels}`, label values already escaped. */
  readonly id: string;
  readonly kind: "counter" | "gauge";
  /** Counter: increase per second. Gauge: the value. */
  readonly value: number;
}

/** `{a="b",c="d"}` with values escaped as the exposition format wants them. */
export function syntheticLabels(pairs: Readonly<Record<string, string>>): string {
  return `{${Object.entries(pairs)
    .map(([k, v]) => `${k}="${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`)
    .join(",")}}`;
}

/** A constant gauge. */
export function gauge(metric: string, labels: Readonly<Record<string, string>>, value: number): SyntheticSeries {
  return { id: `${metric}${syntheticLabels(labels)}`, kind: "gauge", value };
}

/** A counter growing `perSecond`. */
export function counter(metric: string, labels: Readonly<Record<string, string>>, perSecond: number): SyntheticSeries {
  return { id: `${metric}${syntheticLabels(labels)}`, kind: "counter", value: perSecond };
}
