import { parseServiceSpec } from "../../signals/service-spec";
import { RED_SERIES } from "../../signals/http/rules";
import { redAlertRules, redRecordingRules, redRuleGroups } from "../../signals/http/rules";
import { CTX } from "../support/context";

const divan = parseServiceSpec({
  name: "divan-api",
  team: "social",
  namespace: "divan",
  metrics: { requests: "divan_http_requests_total", codeLabel: "status", durationHistogram: "divan_http_request_duration_seconds", buckets: [0.1, 0.5, 1] },
  red: { errorRatio: { warning: { maxRatio: 0.05, for: "10m" }, critical: { maxRatio: 0.2, for: "5m" } } },
});

describe("RED recording rules", () => {
  it("records rate, 5xx ratio and p50/p95/p99 per route and per service from the service's own metric names", () => {
    const rules = redRecordingRules(divan);
    expect(rules.map((r) => [r.record, r.labels?.quantile ?? ""])).toEqual([
      [RED_SERIES.routeRequests, ""],
      [RED_SERIES.routeErrors, ""],
      [RED_SERIES.routeErrorRatio, ""],
      [RED_SERIES.routeBuckets, ""],
      [RED_SERIES.routeQuantile, "0.5"],
      [RED_SERIES.routeQuantile, "0.95"],
      [RED_SERIES.routeQuantile, "0.99"],
      [RED_SERIES.requests, ""],
      [RED_SERIES.errorRatio, ""],
      [RED_SERIES.quantile, "0.5"],
      [RED_SERIES.quantile, "0.95"],
      [RED_SERIES.quantile, "0.99"],
    ]);
    expect(rules[1]).toEqual({
      record: "service_route:http_request_errors:rate5m",
      expr: 'sum by (route) (rate(divan_http_requests_total{job="divan-api",status=~"5.."}[5m]))',
      labels: { service: "divan-api" },
    });
    expect(rules[3]!.expr).toBe('sum by (route, le) (rate(divan_http_request_duration_seconds_bucket{job="divan-api"}[5m]))');
  });

  it("copies a differently named route label to `route`", () => {
    const ai = parseServiceSpec({ name: "ai-coach", team: "ai", namespace: "ai", metrics: { routeLabel: "endpoint" } });
    expect(redRecordingRules(ai)[0]!.expr).toBe(
      'sum by (route) (label_replace(rate(http_requests_total{job="ai-coach"}[5m]), "route", "$1", "endpoint", "(.*)"))',
    );
  });

  it("builds nothing when RED is disabled", () => {
    const workers = parseServiceSpec({ name: "workers", team: "data", namespace: "w", red: { enabled: false } });
    expect(redRuleGroups(workers, workers.red, CTX)).toEqual([]);
  });
});

describe("RED alerts", () => {
  it("alerts per severity on the 5xx ratio and on p95, with a traffic guard", () => {
    const rules = redAlertRules(divan, divan.red, CTX);
    expect(rules.map((r) => [r.alert, r.labels.severity, r.for, r.expr])).toEqual([
      [
        "ServiceHighErrorRate",
        "warning",
        "10m",
        'service:http_request_errors:ratio_rate5m{service="divan-api"} > 0.05 and on (service) service:http_requests:rate5m{service="divan-api"} >= 0.1',
      ],
      [
        "ServiceHighErrorRate",
        "critical",
        "5m",
        'service:http_request_errors:ratio_rate5m{service="divan-api"} > 0.2 and on (service) service:http_requests:rate5m{service="divan-api"} >= 0.1',
      ],
      [
        "ServiceHighLatencyP95",
        "warning",
        "15m",
        'service:http_request_duration_seconds:histogram_quantile{service="divan-api",quantile="0.95"} > 0.4 and on (service) service:http_requests:rate5m{service="divan-api"} >= 0.1',
      ],
    ]);
    expect(rules[0]).toEqual({
      alert: "ServiceHighErrorRate",
      expr: rules[0]!.expr,
      for: "10m",
      labels: { service: "divan-api", severity: "warning", team: "social" },
      annotations: {
        summary: "{{ $labels.service }}: more than 5% of requests fail with 5xx",
        description: "Over the last 5m more than 5% of the requests to {{ $labels.service }} were answered 5xx, for 10m (alerting from 0.1 requests/s).",
        runbook_url: "https://runbooks.example.com/observability/ServiceHighErrorRate.md",
      },
    });
  });

  it("alerts per route when asked to", () => {
    const ai = parseServiceSpec({ name: "ai-coach", team: "ai", namespace: "ai", red: { alertPer: "route" } });
    const [errors] = redAlertRules(ai, ai.red, CTX);
    expect(errors!.expr).toBe(
      'service_route:http_request_errors:ratio_rate5m{service="ai-coach"} > 0.05 and on (service, route) service_route:http_requests:rate5m{service="ai-coach"} >= 0.1',
    );
    expect(errors!.annotations.summary).toBe("{{ $labels.service }} {{ $labels.route }}: more than 5% of requests fail with 5xx");
  });
});
