/**
 * Service level indicators as PromQL: per-second rates of good and of all events over the base 5m
 * window, from the raw series of the service. Every kind, whatever its source, has this shape, so
 * every longer window, the budget and the burn-rate alerts are derived from these two the same way:
 * - availability, latency, events, ratio: counters (a histogram's buckets and count are counters);
 * - freshness: one event per second while its gauge exists, good while the data is fresh;
 * - deadline: a batch's items, read in the 5m after the deadline, as events spread over those 5m.
 */
import { durationSeconds } from "../../model/duration";
import { BASE_RATE_WINDOW } from "../../kit/promql";
import { aggregate, anyOfRegex, bucketMatcher, eq, formatNumber, nre, rate, re, selector, sumBy, type LabelMatcher } from "../../kit/promql";
import type { ServiceCore } from "../../model/service-core";
import { thresholdInHistogramUnit, WEEKDAYS, type SloSpec } from "./spec";
import { routePatternMatchers } from "../../kit/route-patterns";

/** The raw expressions of one SLI. */
export interface SliQueries {
  /** Good events per second over 5m; 0 (not empty) when none happened. */
  readonly goodRate: string;
  /** All events per second over 5m; 0 (not empty) when none happened. */
  readonly totalRate: string;
  /** The series whose disappearance blinds the SLI, for `absent()`. */
  readonly presence: string;
}

/**
 * `sum(rate(...)) or vector(0)`: a counter that does not exist yet (no 2xx since the last restart,
 * no errors ever) reads as 0 instead of an empty result, so a full outage cannot hide as "no good
 * events, hence no ratio". A missing SLI metric is caught by `SLIMetricAbsent` instead.
 */
function rateOrZero(vectorSelector: string): string {
  return `${sumBy([], rate(vectorSelector, BASE_RATE_WINDOW))} or vector(0)`;
}

function routeMatchers(service: ServiceCore, routes: readonly string[] | undefined): LabelMatcher[] {
  return routePatternMatchers(service.metrics.routeLabel, routes);
}

function equalities(labels: Readonly<Record<string, string>>): LabelMatcher[] {
  return Object.entries(labels).map(([label, value]) => eq(label, value));
}

const DAY_SECONDS = 86_400;
const WEEK_SECONDS = 7 * DAY_SECONDS;
/** The unix epoch (1970-01-01) was a Thursday: Monday 00:00 UTC comes 3 days before it in its week. */
const EPOCH_AFTER_MONDAY_SECONDS = 3 * DAY_SECONDS;

type DeadlineSpec = Extract<SloSpec, { kind: "deadline" }>["deadline"];

/** Seconds from the start of the deadline's cycle (midnight, or Monday midnight) to the deadline. */
export function deadlineOffsetSeconds(deadline: DeadlineSpec): number {
  const [hours = 0, minutes = 0] = deadline.timeUtc.split(":").map(Number);
  const day = deadline.weekday === undefined ? 0 : WEEKDAYS.indexOf(deadline.weekday);
  return day * DAY_SECONDS + hours * 3600 + minutes * 60;
}

/**
 * A vector that exists only during the base window after each deadline: `(time() + k) % cycle`
 * is the time since the last deadline (unix time has no leap seconds, so UTC is exact).
 */
export function afterDeadlineCondition(deadline: DeadlineSpec): string {
  const cycle = deadline.every === "week" ? WEEK_SECONDS : DAY_SECONDS;
  const sinceCycleStart = deadline.every === "week" ? EPOCH_AFTER_MONDAY_SECONDS : 0;
  const shift = (((sinceCycleStart - deadlineOffsetSeconds(deadline)) % cycle) + cycle) % cycle;
  return `vector((time() + ${shift}) % ${cycle}) < ${durationSeconds(BASE_RATE_WINDOW)}`;
}

/** Good, total and presence queries of an SLO, from the service's metric and label names. */
export function sliQueries(service: ServiceCore, slo: SloSpec): SliQueries {
  const job = eq("job", service.metrics.job);
  switch (slo.kind) {
    case "availability": {
      const scope = [job, ...routeMatchers(service, slo.routes)];
      const requests = service.metrics.requests;
      return {
        goodRate: rateOrZero(selector(requests, [...scope, nre(service.metrics.codeLabel, "5..")])),
        totalRate: rateOrZero(selector(requests, scope)),
        presence: selector(requests, [job]),
      };
    }
    case "latency": {
      const histogram = slo.histogram?.metric ?? service.metrics.durationHistogram;
      const scope = [job, ...routeMatchers(service, slo.routes), ...equalities(slo.histogram?.matchers ?? {})];
      const bucket = bucketMatcher(thresholdInHistogramUnit(slo));
      return {
        goodRate: rateOrZero(selector(`${histogram}_bucket`, [...scope, bucket])),
        totalRate: rateOrZero(selector(`${histogram}_count`, scope)),
        // The threshold's own bucket: a client that changes its buckets blinds the SLI too. Without
        // the routes and matchers: a route or job that has not run since a restart is not missing.
        presence: selector(`${histogram}_bucket`, [job, bucket]),
      };
    }
    case "events":
      return {
        goodRate: rateOrZero(selector(slo.metric, [job, re(slo.outcomeLabel, anyOfRegex(slo.goodOutcomes))])),
        totalRate: rateOrZero(selector(slo.metric, [job])),
        presence: selector(slo.metric, [job]),
      };
    case "ratio": {
      const numerator = rateOrZero(selector(slo.numerator.metric, [job, ...equalities(slo.numerator.matchers)]));
      const total = rateOrZero(selector(slo.denominator.metric, [job, ...equalities(slo.denominator.matchers)]));
      return {
        // Good = total - bad; clamped so a bad counter scraped ahead of its total never reads negative.
        goodRate: slo.numeratorCounts === "good" ? numerator : `clamp_min((${total}) - (${numerator}), 0)`,
        totalRate: total,
        // The denominator: an error counter that does not exist yet is how most clients say "no
        // errors" (labelled counters appear on first use), so its absence is no alert.
        presence: selector(slo.denominator.metric, [job]),
      };
    }
    case "freshness": {
      const gauge = selector(slo.gauge.metric, [job, ...equalities(slo.gauge.matchers)]);
      // The freshest replica decides: max of the last-success times, min of the ages.
      const age = slo.gauge.holds === "timestamp" ? `(time() - ${aggregate("max", [], gauge)})` : aggregate("min", [], gauge);
      // One event per second while the gauge exists: without it the SLI reads no events, like a
      // missing counter, and SLIMetricAbsent says so.
      return {
        goodRate: `(${age} <= bool ${formatNumber(slo.maxAgeSeconds)}) or vector(0)`,
        totalRate: `(${aggregate("count", [], gauge)} > bool 0) or vector(0)`,
        presence: selector(slo.gauge.metric, [job]),
      };
    }
    case "deadline": {
      const atDeadline = afterDeadlineCondition(slo.deadline);
      const window = durationSeconds(BASE_RATE_WINDOW);
      const items = (s: { metric: string; matchers: Readonly<Record<string, string>> }) =>
        `(${aggregate("sum", [], selector(s.metric, [job, ...equalities(s.matchers)]))} / ${window} and on () (${atDeadline})) or vector(0)`;
      return {
        goodRate: items(slo.deliveredOnTime),
        totalRate: items(slo.batchSize),
        presence: selector(slo.batchSize.metric, [job]),
      };
    }
  }
}
