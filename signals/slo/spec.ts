/**
 * The `slos` part of a service spec: one SLO per item, discriminated by the kind of its SLI
 * (availability, latency, events, ratio, freshness, deadline), each with its period and burn-rate
 * alerts. Every kind yields good and total events per second (sli.ts), so all feed the same windows.
 */
import { z } from "zod";
import { kebabName, labelName, metricName, nonNegative, openRatio, positive } from "../../model/schema-primitives";
import { SEVERITIES } from "../../model/severity";
import { formatNumber } from "../../kit/promql";
import { routePatternSchema } from "../../kit/route-patterns";
import type { IssueReporter, ParsedServiceView } from "../kind";
import { burnThreshold, DEFAULT_BURN_RATE_ALERTS, SLO_WINDOWS } from "./burn-rate";

const burnRateAlertSchema = z
  .strictObject({ severity: z.enum(SEVERITIES), factor: positive, longWindow: z.enum(SLO_WINDOWS), shortWindow: z.enum(SLO_WINDOWS) })
  .refine((a) => SLO_WINDOWS.indexOf(a.shortWindow) < SLO_WINDOWS.indexOf(a.longWindow), {
    message: "must be shorter than longWindow",
    path: ["shortWindow"],
  });

/**
 * Periods of an error budget: rolling windows, or the calendar month (UTC), whose budget starts
 * afresh on the 1st at 00:00 UTC.
 */
export const SLO_PERIODS = ["7d", "28d", "30d", "90d", "calendar-month"] as const;

/** One SLO period. */
export type SloPeriod = (typeof SLO_PERIODS)[number];

/** The period written as `periodDays` (the form before `period`), in days. */
const ROLLING_DAYS = [7, 28, 30, 90] as const;

/** Label matchers, all equalities: `{ job_type: "import" }`. @default {} */
const matchers = z.record(labelName, z.string().min(1)).default({});

/** A metric and the label values that select its series. */
const seriesSelectorSchema = z.strictObject({ metric: metricName, matchers });

const sloCommon = {
  /** kebab-case, unique in the service; the `slo` label. */
  name: kebabName,
  /** Share of good events, in (0, 1): 0.999 for 99.9%. */
  objective: openRatio,
  /** Period of the error budget. @default "30d" (or `periodDays`) */
  period: z.enum(SLO_PERIODS).optional(),
  /** The rolling period in days, the older form of `period` (7, 28, 30 or 90). @default - `period` */
  periodDays: z
    .number()
    .refine((d) => (ROLLING_DAYS as readonly number[]).includes(d), `must be one of ${ROLLING_DAYS.join(", ")} (or set period)`)
    .optional(),
  /** Below this event rate (per second, averaged over the long window) burn alerts stay quiet. @default 0.1 */
  minEventsPerSecond: nonNegative.default(0.1),
  /** @default DEFAULT_BURN_RATE_ALERTS (14.4x 1h/5m and 6x 6h/30m page; 3x 1d/2h and 1x 3d/6h ticket) */
  burnRateAlerts: z
    .array(burnRateAlertSchema)
    .min(1)
    .default([...DEFAULT_BURN_RATE_ALERTS]),
};

/** Routes an HTTP SLI is restricted to, exact or as prefixes (`/api/v1/*`). @default - every route */
const routes = z.array(routePatternSchema).min(1).optional();

/** Units a histogram's observations (and so its `le` boundaries) are in. */
export const HISTOGRAM_UNITS = ["seconds", "milliseconds"] as const;

/**
 * A histogram of durations other than the service's HTTP one: `job_duration_ms` with unit
 * milliseconds reads `job_duration_ms_bucket` and `job_duration_ms_count`.
 */
const histogramSourceSchema = z.strictObject({
  /** Base name, without `_bucket`. */
  metric: metricName,
  /** Unit of its observations and boundaries. */
  unit: z.enum(HISTOGRAM_UNITS),
  /** Its bucket boundaries, in `unit`, as the client declares them (synth cannot read them). */
  buckets: z.array(positive).min(1),
  matchers,
});

/** Checks on a period given twice. */
function checkPeriod(slo: { period?: SloPeriod | undefined; periodDays?: number | undefined }, ctx: z.RefinementCtx): void {
  // A calendar month resolves to periodDays 30, so a resolved spec parses again unchanged.
  const agrees = slo.period === `${slo.periodDays}d` || (slo.period === "calendar-month" && slo.periodDays === 30);
  if (slo.period !== undefined && slo.periodDays !== undefined && !agrees) {
    ctx.addIssue({ code: "custom", path: ["periodDays"], message: `must agree with period ${JSON.stringify(slo.period)}, or be left out` });
  }
}

/** `period` filled, and `periodDays` the period's length in days (a calendar month counts as 30, the burn-rate maths' nominal month). */
function withPeriod<T extends { period?: SloPeriod | undefined; periodDays?: number | undefined }>(slo: T) {
  const period: SloPeriod = slo.period ?? (slo.periodDays !== undefined ? (`${slo.periodDays}d` as SloPeriod) : "30d");
  return { ...slo, period, periodDays: period === "calendar-month" ? 30 : Number.parseInt(period, 10) };
}

/** Availability: requests not answered 5xx / all requests. */
export const availabilitySloSchema = z
  .strictObject({ kind: z.literal("availability"), ...sloCommon, routes })
  .superRefine(checkPeriod)
  .transform(withPeriod);

/**
 * Latency (and job or operation duration, delivery lag): observations at or under a threshold /
 * all observations, from the service's HTTP histogram or from `histogram`. The threshold is given in
 * seconds or in milliseconds and must be one of the histogram's boundaries.
 */
export const latencySloSchema = z
  .strictObject({
    kind: z.literal("latency"),
    ...sloCommon,
    /** Restricts the service's HTTP histogram to these routes (not with `histogram`). */
    routes,
    /** @default - the service's HTTP histogram (`metrics.durationHistogram`, in seconds) */
    histogram: histogramSourceSchema.optional(),
    /** Threshold in seconds; this or `latencyThresholdMilliseconds`. */
    latencyThresholdSeconds: positive.optional(),
    /** Threshold in milliseconds; this or `latencyThresholdSeconds`. */
    latencyThresholdMilliseconds: positive.optional(),
  })
  .superRefine((slo, ctx) => {
    checkPeriod(slo, ctx);
    const [s, ms] = [slo.latencyThresholdSeconds, slo.latencyThresholdMilliseconds];
    // Both may be given when they agree (a resolved spec carries both).
    if (s === undefined ? ms === undefined : ms !== undefined && formatNumber(s * 1000) !== formatNumber(ms)) {
      ctx.addIssue({
        code: "custom",
        path: ["latencyThresholdSeconds"],
        message: "must be set, or latencyThresholdMilliseconds instead (both only when they agree)",
      });
    }
    if (slo.routes !== undefined && slo.histogram !== undefined) {
      ctx.addIssue({ code: "custom", path: ["routes"], message: "must be left out with histogram: select its series with histogram.matchers" });
    }
  })
  .transform((slo) => withPeriod({ ...slo, latencyThresholdSeconds: slo.latencyThresholdSeconds ?? slo.latencyThresholdMilliseconds! / 1000 }));

/** Events: a counter whose outcome label says good or bad (push deliveries, uploads). */
export const eventsSloSchema = z
  .strictObject({
    kind: z.literal("events"),
    ...sloCommon,
    /** Counter of all attempts. */
    metric: metricName,
    /** @default "result" */
    outcomeLabel: labelName.default("result"),
    /** Outcomes that count as good; any other value is bad. @default ["success"] */
    goodOutcomes: z.array(z.string().min(1)).min(1).default(["success"]),
  })
  .superRefine(checkPeriod)
  .transform(withPeriod);

/**
 * Ratio of counters: `numerator` counts good or bad events, `denominator` all of them, each any
 * metric with any matchers (`ai_request_errors_total` / `ai_request_total`).
 */
export const ratioSloSchema = z
  .strictObject({
    kind: z.literal("ratio"),
    ...sloCommon,
    numerator: seriesSelectorSchema,
    /** Whether the numerator counts the good events or the bad ones. */
    numeratorCounts: z.enum(["good", "bad"]),
    denominator: seriesSelectorSchema,
  })
  .superRefine(checkPeriod)
  .transform(withPeriod);

/**
 * Freshness: the share of time the data is younger than `maxAgeSeconds`, from a gauge holding the
 * unix time (seconds) of the last success (`holds: "timestamp"`) or the age in seconds (`"age"`).
 * Good events are fresh seconds, one event per second while the gauge exists (no gauge: SLIMetricAbsent).
 */
export const freshnessSloSchema = z
  .strictObject({
    kind: z.literal("freshness"),
    ...sloCommon,
    gauge: seriesSelectorSchema.extend({ holds: z.enum(["timestamp", "age"]) }),
    /** Fresh while the age is at most this. */
    maxAgeSeconds: positive,
  })
  .superRefine(checkPeriod)
  .transform(withPeriod);

/** Days of the week, Monday first. */
export const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] as const;

/** A wall-clock deadline in UTC, every day or every week on `weekday`. */
const deadlineScheduleSchema = z
  .strictObject({
    every: z.enum(["day", "week"]),
    /** Only with `every: "week"`. */
    weekday: z.enum(WEEKDAYS).optional(),
    /** `HH:MM`, UTC. */
    timeUtc: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be HH:MM in UTC, 00:00 to 23:59"),
  })
  .superRefine((d, ctx) => {
    if ((d.every === "week") !== (d.weekday !== undefined)) {
      ctx.addIssue({
        code: "custom",
        path: ["weekday"],
        message: d.every === "week" ? "must be set for a weekly deadline" : "must be left out of a daily deadline",
      });
    }
  });

/**
 * Deadline: the share of a batch delivered before a daily or weekly deadline. The application
 * exports two gauges for the current batch: `batchSize`, the items due (set when the batch starts),
 * and `deliveredOnTime`, the items delivered before the deadline (it stops counting at the
 * deadline). Both are read during the 5 minutes after the deadline, when the batch's items become
 * its good and total events. `minEventsPerSecond` defaults to 0: events only exist at the deadline.
 */
export const deadlineSloSchema = z
  .strictObject({
    kind: z.literal("deadline"),
    ...sloCommon,
    /** @default 0 */
    minEventsPerSecond: nonNegative.default(0),
    deadline: deadlineScheduleSchema,
    batchSize: seriesSelectorSchema,
    deliveredOnTime: seriesSelectorSchema,
  })
  .superRefine(checkPeriod)
  .transform(withPeriod);

/** One SLO, discriminated by `kind`. */
export const sloSchema = z.discriminatedUnion("kind", [
  availabilitySloSchema,
  latencySloSchema,
  eventsSloSchema,
  ratioSloSchema,
  freshnessSloSchema,
  deadlineSloSchema,
]);

/** One validated SLO. */
export type SloSpec = z.output<typeof sloSchema>;

/** A validated latency SLO. */
export type LatencySloSpec = Extract<SloSpec, { kind: "latency" }>;

/** The latency threshold in the histogram's own unit, as its `le` boundaries are written. */
export function thresholdInHistogramUnit(slo: LatencySloSpec): number {
  return Number(formatNumber(slo.histogram?.unit === "milliseconds" ? slo.latencyThresholdSeconds * 1000 : slo.latencyThresholdSeconds));
}

function checkLatencyBuckets(service: ParsedServiceView, slo: LatencySloSpec, i: number, issue: IssueReporter): void {
  const buckets = slo.histogram?.buckets ?? service.metrics.buckets;
  const unit = slo.histogram?.unit ?? "seconds";
  const threshold = thresholdInHistogramUnit(slo);
  if (buckets.some((b) => formatNumber(b) === formatNumber(threshold))) return;
  const field = slo.latencyThresholdMilliseconds !== undefined ? "latencyThresholdMilliseconds" : "latencyThresholdSeconds";
  const converted = (field === "latencyThresholdSeconds") === (unit === "seconds") ? "" : ` (${formatNumber(threshold)} ${unit})`;
  const inUnit = unit === "seconds" ? "" : ` in ${unit}`;
  issue([i, field], `must be one of the histogram's bucket boundaries (${buckets.map(formatNumber).join(", ")})${inUnit}${converted}`);
}

/** Latency thresholds on a bucket boundary, ascending custom buckets, burn thresholds below 1, unique names. */
export function refineSlos(service: ParsedServiceView, slos: readonly SloSpec[], issue: IssueReporter): void {
  slos.forEach((slo, i) => {
    if (slo.kind === "latency") {
      const custom = slo.histogram?.buckets;
      if (custom !== undefined && custom.some((b, j) => j > 0 && b <= custom[j - 1]!)) issue([i, "histogram", "buckets"], "must be strictly ascending");
      else checkLatencyBuckets(service, slo, i, issue);
    }
    const unreachable = slo.burnRateAlerts.find((alert) => burnThreshold(alert.factor, slo.objective) >= 1);
    if (unreachable !== undefined) {
      const threshold = formatNumber(burnThreshold(unreachable.factor, slo.objective));
      issue(
        [i, "objective"],
        `must keep every burn-rate threshold below 1, an error ratio's maximum (${formatNumber(unreachable.factor)} x (1 - objective) = ${threshold})`,
      );
    }
  });
  const names = slos.map((s) => s.name);
  names.forEach((name, i) => {
    if (names.indexOf(name) !== i) issue([i, "name"], "must be unique among the service's SLOs");
  });
}
