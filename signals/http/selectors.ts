/** Selectors of a service's HTTP metrics shared by the RED rules, the threshold tiers and the dashboard. */
import type { ServiceCore } from "../../model/service-core";
import { histogramQuantile, re, selector, type LabelMatcher } from "../../kit/promql";

/** The service's failed requests: its errors counter, or its requests answered 5xx. */
export function errorSelector(service: ServiceCore, matchers: readonly LabelMatcher[]): string {
  const m = service.metrics;
  return m.errors !== undefined ? selector(m.errors, matchers) : selector(m.requests, [...matchers, re(m.codeLabel, "5..")]);
}

/** A quantile of the service's histogram, in seconds whatever unit the histogram observes. */
export function quantileSeconds(service: ServiceCore, q: number, bucketRates: string): string {
  const quantile = histogramQuantile(q, bucketRates);
  return service.metrics.durationUnit === "milliseconds" ? `${quantile} / 1000` : quantile;
}
