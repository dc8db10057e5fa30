/**
 * RED rules of an HTTP service: request rate, 5xx ratio and p50/p95/p99 latency recorded per route
 * and per service (under normalised names, so dashboards query every service alike), and the
 * error-ratio and p95 alerts, thresholds keyed by severity.
 */
import type { ServiceCore } from "../../model/service-core";
import type { Severity } from "../../model/severity";
import { BASE_RATE_WINDOW, copyLabel, eq, formatNumber, rate, safeRatio, selector, sumBy } from "../../kit/promql";
import { alertingRule, recordingRule } from "../../kit/rule";
import type { AlertingRule, RecordingRule, RuleContext, RuleGroup } from "../../kit/rule-types";
import { errorSelector, quantileSeconds } from "./selectors";
import type { RedSpec } from "./spec";
import { thresholdRules } from "./thresholds";

/** The alerts of the kind. */
export const HTTP_ALERTS = {
  /** 5xx ratio of a service above its threshold. */
  ServiceHighErrorRate: "ServiceHighErrorRate",
  /** p95 latency of a service above its threshold. */
  ServiceHighLatencyP95: "ServiceHighLatencyP95",
  /** A metric the RED rules read is gone: they record nothing and none of their alerts can fire. */
  HttpMetricAbsent: "HttpMetricAbsent",
} as const;

/** Quantiles recorded per route and per service. */
export const RED_QUANTILES = [0.5, 0.95, 0.99] as const;

/** Names of the RED series; every one carries `service` (and `route` at route level). */
export const RED_SERIES = {
  routeRequests: "service_route:http_requests:rate5m",
  routeErrors: "service_route:http_request_errors:rate5m",
  routeErrorRatio: "service_route:http_request_errors:ratio_rate5m",
  routeBuckets: "service_route:http_request_duration_seconds_bucket:rate5m",
  /** The same for a histogram in milliseconds: its `le` values stay in milliseconds. */
  routeBucketsMilliseconds: "service_route:http_request_duration_milliseconds_bucket:rate5m",
  routeQuantile: "service_route:http_request_duration_seconds:histogram_quantile",
  requests: "service:http_requests:rate5m",
  errorRatio: "service:http_request_errors:ratio_rate5m",
  quantile: "service:http_request_duration_seconds:histogram_quantile",
} as const;

/** `sum by (route, ...) (rate(...))`, the service's route label copied to `route` first if named otherwise. */
function byRoute(service: ServiceCore, vectorSelector: string, extra: readonly string[] = []): string {
  const routeLabel = service.metrics.routeLabel;
  const rates = rate(vectorSelector, BASE_RATE_WINDOW);
  return sumBy(["route", ...extra], routeLabel === "route" ? rates : copyLabel(rates, routeLabel, "route"));
}

/** The recorded per-route bucket rates of the service's histogram, named after its unit (`le` is never rescaled). */
export function routeBucketSeries(service: ServiceCore): string {
  return service.metrics.durationUnit === "milliseconds" ? RED_SERIES.routeBucketsMilliseconds : RED_SERIES.routeBuckets;
}

/** The recording rules, in evaluation order (each reads only raw series or rules above it). */
export function redRecordingRules(service: ServiceCore): RecordingRule[] {
  const { requests, durationHistogram, job } = service.metrics;
  const buckets = routeBucketSeries(service);
  const own = (name: string) => selector(name, [eq("service", service.name)]);
  const labels = { service: service.name };
  const rule = (record: string, expr: string, extra: Record<string, string> = {}) => recordingRule({ record, expr, labels: { ...labels, ...extra } });
  return [
    rule(RED_SERIES.routeRequests, byRoute(service, selector(requests, [eq("job", job)]))),
    rule(RED_SERIES.routeErrors, byRoute(service, errorSelector(service, [eq("job", job)]))),
    // Routes without any 5xx series yet read 0, not empty; quiet routes read 0, not NaN.
    rule(RED_SERIES.routeErrorRatio, safeRatio(`${own(RED_SERIES.routeErrors)} or ${own(RED_SERIES.routeRequests)} * 0`, own(RED_SERIES.routeRequests))),
    rule(buckets, byRoute(service, selector(`${durationHistogram}_bucket`, [eq("job", job)]), ["le"])),
    ...RED_QUANTILES.map((q) => rule(RED_SERIES.routeQuantile, quantileSeconds(service, q, own(buckets)), { quantile: formatNumber(q) })),
    rule(RED_SERIES.requests, sumBy([], own(RED_SERIES.routeRequests))),
    rule(RED_SERIES.errorRatio, safeRatio(`${sumBy([], own(RED_SERIES.routeErrors))} or vector(0)`, sumBy([], own(RED_SERIES.routeRequests)))),
    ...RED_QUANTILES.map((q) => rule(RED_SERIES.quantile, quantileSeconds(service, q, sumBy(["le"], own(buckets))), { quantile: formatNumber(q) })),
  ];
}

function severities<T>(bySeverity: Partial<Record<Severity, T>>): [Severity, T][] {
  return Object.entries(bySeverity).filter((e): e is [Severity, T] => e[1] !== undefined);
}

/** Series, grouping labels and wording of the alerts at the service's granularity. */
function granularity(service: ServiceCore, red: RedSpec) {
  const perRoute = red.alertPer === "route";
  const matchers = [eq("service", service.name)];
  return {
    on: perRoute ? "on (service, route)" : "on (service)",
    requests: selector(perRoute ? RED_SERIES.routeRequests : RED_SERIES.requests, matchers),
    errorRatio: selector(perRoute ? RED_SERIES.routeErrorRatio : RED_SERIES.errorRatio, matchers),
    p95: selector(perRoute ? RED_SERIES.routeQuantile : RED_SERIES.quantile, [...matchers, eq("quantile", "0.95")]),
    where: perRoute ? "{{ $labels.service }} {{ $labels.route }}" : "{{ $labels.service }}",
  };
}

/** `ServiceHighErrorRate` and `ServiceHighLatencyP95`, one rule per severity given. */
export function redAlertRules(service: ServiceCore, red: RedSpec, ctx: RuleContext): AlertingRule[] {
  if (!red.enabled) return [];
  const g = granularity(service, red);
  const minRate = formatNumber(red.minRequestsPerSecond);
  // The traffic guard keeps a handful of requests from alerting; `on` because the p95 series also
  // carries `quantile`.
  const guard = (expr: string) => (red.minRequestsPerSecond > 0 ? `${expr} and ${g.on} ${g.requests} >= ${minRate}` : expr);
  const base = { service: service.name, team: service.team };
  const errors = severities(red.errorRatio).map(([severity, t]) =>
    alertingRule(
      {
        ...base,
        alert: HTTP_ALERTS.ServiceHighErrorRate,
        expr: guard(`${g.errorRatio} > ${formatNumber(t.maxRatio)}`),
        for: t.for,
        severity,
        summary: `${g.where}: more than ${formatNumber(t.maxRatio * 100)}% of requests fail with 5xx`,
        description: `Over the last 5m more than ${formatNumber(t.maxRatio * 100)}% of the requests to ${g.where} were answered 5xx, for ${t.for} (alerting from ${minRate} requests/s).`,
      },
      ctx,
    ),
  );
  const latency = severities(red.latencyP95).map(([severity, t]) =>
    alertingRule(
      {
        ...base,
        alert: HTTP_ALERTS.ServiceHighLatencyP95,
        expr: guard(`${g.p95} > ${formatNumber(t.maxSeconds)}`),
        for: t.for,
        severity,
        summary: `${g.where}: p95 latency above ${formatNumber(t.maxSeconds * 1000)} ms`,
        description: `The 95th percentile of request latency of ${g.where} over the last 5m has been above ${formatNumber(t.maxSeconds * 1000)} ms for ${t.for} (alerting from ${minRate} requests/s).`,
      },
      ctx,
    ),
  );
  return [...errors, ...latency];
}

/** How long a RED metric may be missing before {@link redAbsentRules} fire. */
export const RED_ABSENT_FOR = "10m";

/**
 * `HttpMetricAbsent`, one rule per metric every request lands in (the counter and the histogram's
 * buckets; an errors counter may rightly not exist before the first error): with wrong metric names
 * or a renamed metric, every RED series is empty and nothing else says so.
 */
export function redAbsentRules(service: ServiceCore, ctx: RuleContext): AlertingRule[] {
  const m = service.metrics;
  return [m.requests, `${m.durationHistogram}_bucket`].map((metric) => {
    const series = selector(metric, [eq("job", m.job)]);
    return alertingRule(
      {
        alert: HTTP_ALERTS.HttpMetricAbsent,
        expr: `absent(${series})`,
        for: RED_ABSENT_FOR,
        severity: "warning",
        service: service.name,
        team: service.team,
        labels: { metric },
        summary: `${service.name}: no series of ${metric}, its RED rules read nothing`,
        description:
          `No series matches ${series} (job {{ $labels.job }}) for ${RED_ABSENT_FOR}. While it is missing, the request rate, error ratio and latency of ${service.name} ` +
          `record nothing and their alerts cannot fire: check the scrape, and the metric and label names in the service's spec.`,
      },
      ctx,
    );
  });
}

/** The `<service>.red` group (recording rules, then the alerts that read them), unless RED is disabled. */
export function redRuleGroups(service: ServiceCore, red: RedSpec, ctx: RuleContext): RuleGroup[] {
  if (!red.enabled) return [];
  return [
    {
      name: `${service.name}.red`,
      rules: [
        ...redRecordingRules(service),
        ...redAlertRules(service, red, ctx),
        ...thresholdRules(service, red.thresholds, red.minRequestsPerSecond, ctx),
        ...redAbsentRules(service, ctx),
      ],
    },
  ];
}
