/**
 * Service level indicators as PromQL: per-second rates of good and of all events over the base 5m
 * window, read from the raw counters of the service. Every longer window is derived from these.
 */
import { BASE_RATE_WINDOW } from "../../kit/promql";
import { anyOfRegex, bucketMatcher, eq, nre, rate, re, selector, sumBy, type LabelMatcher } from "../../kit/promql";
import type { ServiceCore } from "../../model/service-core";
import type { SloSpec } from "./spec";

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
  return routes === undefined ? [] : [re(service.metrics.routeLabel, anyOfRegex(routes))];
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
      const scope = [job, ...routeMatchers(service, slo.routes)];
      const histogram = service.metrics.durationHistogram;
      const bucket = bucketMatcher(slo.latencyThresholdSeconds);
      return {
        goodRate: rateOrZero(selector(`${histogram}_bucket`, [...scope, bucket])),
        totalRate: rateOrZero(selector(`${histogram}_count`, scope)),
        // The threshold's own bucket: a client that changes its buckets blinds the SLI too.
        presence: selector(`${histogram}_bucket`, [job, bucket]),
      };
    }
    case "events":
      return {
        goodRate: rateOrZero(selector(slo.metric, [job, re(slo.outcomeLabel, anyOfRegex(slo.goodOutcomes))])),
        totalRate: rateOrZero(selector(slo.metric, [job])),
        presence: selector(slo.metric, [job]),
      };
  }
}
