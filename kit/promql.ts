/**
 * Small typed PromQL helpers. Each returns expression text; label and metric names come from the
 * service's config, never from string concatenation at call sites. Values are escaped here.
 */
import type { Duration } from "../model/duration";

/** The range of the raw-counter rates every recorded rate and longer window is derived from. */
export const BASE_RATE_WINDOW = "5m" satisfies Duration;

/** A label matcher operator. */
export type MatchOp = "=" | "!=" | "=~" | "!~";

/** One label matcher of a selector: `label op "value"`. */
export interface LabelMatcher {
  readonly label: string;
  readonly op: MatchOp;
  readonly value: string;
}

/** `label="value"`. */
export const eq = (label: string, value: string): LabelMatcher => ({ label, op: "=", value });
/** `label=~"regex"` (anchored by Prometheus). */
export const re = (label: string, regex: string): LabelMatcher => ({ label, op: "=~", value: regex });
/** `label!~"regex"`. */
export const nre = (label: string, regex: string): LabelMatcher => ({ label, op: "!~", value: regex });

/** A PromQL double-quoted string literal. */
export function quote(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;
}

/** Escapes RE2 metacharacters so `value` matches only itself (`1.0` -> `1\.0`, not `100`). */
export function escapeRegex(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A regex matching exactly one of `values`: `a|b\.c`. */
export function anyOfRegex(values: readonly string[]): string {
  return values.map(escapeRegex).join("|");
}

/** `metric{a="b",c=~"d"}`; matchers keep their order. */
export function selector(metric: string, matchers: readonly LabelMatcher[] = []): string {
  if (matchers.length === 0) return metric;
  return `${metric}{${matchers.map((m) => `${m.label}${m.op}${quote(m.value)}`).join(",")}}`;
}

/** `<selector>[window]`: a range vector. */
export function rangeOf(vectorSelector: string, window: Duration): string {
  return `${vectorSelector}[${window}]`;
}

/** `rate(<selector>[window])`. */
export function rate(vectorSelector: string, window: Duration = "5m"): string {
  return `rate(${vectorSelector}[${window}])`;
}

/** `<fn>(<selector>[window])` for any range-vector function (`delta`, `sum_over_time`, ...). */
export function overTime(fn: string, vectorSelector: string, window: Duration): string {
  return `${fn}(${vectorSelector}[${window}])`;
}

/** `<op> by (a, b) (expr)`, or `<op>(expr)` when no labels are kept. */
export function aggregate(op: "sum" | "max" | "min" | "count" | "avg", by: readonly string[], expr: string): string {
  return by.length === 0 ? `${op}(${expr})` : `${op} by (${by.join(", ")}) (${expr})`;
}

/** `sum by (labels) (expr)`. */
export function sumBy(by: readonly string[], expr: string): string {
  return aggregate("sum", by, expr);
}

/**
 * The smallest positive denominator a ratio divides by. `x / clamp_min(total, ε)` is 0 (not NaN)
 * when nothing happened, so a quiet service has a steady 0 ratio instead of NaN gaps that reset
 * `for` timers and make alerts flap; ε is far below any real per-second rate.
 */
export const RATIO_EPSILON = "1e-12";

/** `(numerator) / clamp_min(denominator, ε)`: 0 when the denominator is 0, empty when either is. */
export function safeRatio(numerator: string, denominator: string): string {
  return `(${numerator}) / clamp_min(${denominator}, ${RATIO_EPSILON})`;
}

/** `histogram_quantile(q, bucketRates)`; `bucketRates` must keep the `le` label. */
export function histogramQuantile(quantile: number, bucketRates: string): string {
  return `histogram_quantile(${formatNumber(quantile)}, ${bucketRates})`;
}

/**
 * `label_replace(expr, "to", "$1", "from", "(.*)")`: copies label `from` into `to` so series of
 * services that name a label differently (`endpoint`, `path`) aggregate under one name.
 */
export function copyLabel(expr: string, from: string, to: string): string {
  return `label_replace(${expr}, ${quote(to)}, "$1", ${quote(from)}, "(.*)")`;
}

/**
 * A number as PromQL reads it back exactly as written, rounded to 12 significant digits so float
 * noise never reaches a rule (`14.4 * 0.001` -> `0.0144`).
 */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`value must be a finite number, got ${value}`);
  return String(Number(value.toPrecision(12)));
}

/** Go's `%g` spelling (client_golang, Prometheus 2): exponent form below 1e-4 and from 1e6 on (`1e-05`, `1e+06`). */
function goSpelling(seconds: number): string {
  if (seconds >= 1e-4 && seconds < 1e6) return formatNumber(seconds);
  return Number(seconds.toPrecision(12))
    .toExponential()
    .replace(/e([+-])(\d)$/, "e$10$2");
}

/**
 * How client libraries spell a histogram bucket boundary in `le`: Go clients and Prometheus 2 write
 * `1`, `0.25`, `1e-05`; Python clients (and Prometheus 3's normalisation) write `1.0`, `0.25`,
 * `1e-05`. All spellings are the same bucket, so a latency SLI matches every one of them.
 */
export function bucketBoundarySpellings(seconds: number): string[] {
  if (!(seconds > 0) || !Number.isFinite(seconds)) {
    throw new Error(`bucket boundary must be a positive finite number of seconds, got ${seconds}`);
  }
  return [...new Set([goSpelling(seconds), pythonBucketLabel(seconds), formatNumber(seconds)])];
}

/** `le=~"1|1\\.0"`: the matcher of one bucket boundary, whatever the client's spelling. */
export function bucketMatcher(seconds: number): LabelMatcher {
  return re("le", anyOfRegex(bucketBoundarySpellings(seconds)));
}

/** The `le` value Go clients write for a boundary (`1`, `0.25`). */
export function goBucketLabel(seconds: number): string {
  return bucketBoundarySpellings(seconds)[0]!;
}

/** The `le` value Python clients write for a boundary (`1.0`, `0.25`). */
export function pythonBucketLabel(seconds: number): string {
  const go = goSpelling(seconds);
  return /^\d+$/.test(go) ? `${go}.0` : go;
}
