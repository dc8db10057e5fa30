/**
 * RED of a service on its own metric shape: an errors counter apart from the requests counter and
 * a histogram in milliseconds (spec 002's AI Coach), on a small fixture; and `HttpMetricAbsent`.
 */
import { buildPromtoolTestFiles, buildRuleFiles } from "../../rules";
import { isAlertingRule, isRecordingRule } from "../../kit/rule-types";
import { parseServiceSpec } from "../../signals/service-spec";
import { CTX } from "../support/context";
import { expectPromtoolTestPasses } from "../support/promtool";
import { specProblems } from "../support/spec-problems";

const ai = {
  name: "ai",
  team: "ai",
  namespace: "ai",
  metrics: {
    requests: "ai_request_total",
    errors: "ai_request_errors_total",
    durationHistogram: "ai_request_duration_ms",
    durationUnit: "milliseconds" as const,
    buckets: [50, 100, 250, 500, 1000, 3000, 5000],
  },
  red: {
    latencyP95: { warning: { maxSeconds: 0.25, for: "5m" } },
    thresholds: [{ name: "slow", kind: "latency" as const, levels: { critical: { maxSeconds: 1 } } }],
  },
};

const rulesOf = (input: unknown) => buildRuleFiles([parseServiceSpec(input)], CTX).flatMap((f) => f.groups.flatMap((g) => g.rules));

describe("a service counting errors apart, timing in milliseconds", () => {
  const rules = rulesOf(ai);
  const record = (name: string, quantile?: string) =>
    rules.filter(isRecordingRule).find((r) => r.record === name && (quantile === undefined || r.labels?.quantile === quantile))!.expr;

  it("reads its errors counter for the error rate", () => {
    expect(record("service_route:http_request_errors:rate5m")).toBe('sum by (route) (rate(ai_request_errors_total{job="ai"}[5m]))');
  });

  it("records its buckets under a milliseconds name and its quantiles in seconds", () => {
    expect(record("service_route:http_request_duration_milliseconds_bucket:rate5m")).toBe(
      'sum by (route, le) (rate(ai_request_duration_ms_bucket{job="ai"}[5m]))',
    );
    expect(rules.filter(isRecordingRule).some((r) => r.record === "service_route:http_request_duration_seconds_bucket:rate5m")).toBe(false);
    expect(record("service:http_request_duration_seconds:histogram_quantile", "0.95")).toBe(
      'histogram_quantile(0.95, sum by (le) (service_route:http_request_duration_milliseconds_bucket:rate5m{service="ai"})) / 1000',
    );
  });

  it("compares a tier's latency in the histogram's unit", () => {
    const tier = rules.filter(isAlertingRule).find((r) => r.alert === "HttpLatencyThresholdExceeded")!;
    expect(tier.expr).toContain('histogram_quantile(0.95, sum by (le) (rate(ai_request_duration_ms_bucket{job="ai"}[5m]))) > 1000');
  });

  it("alerts when its counter or histogram is absent, not its errors counter", () => {
    const absent = rules.filter(isAlertingRule).filter((r) => r.alert === "HttpMetricAbsent");
    expect(absent.map((r) => [r.labels.metric, r.expr, r.for])).toEqual([
      ["ai_request_total", 'absent(ai_request_total{job="ai"})', "10m"],
      ["ai_request_duration_ms_bucket", 'absent(ai_request_duration_ms_bucket{job="ai"})', "10m"],
    ]);
  });

  it("passes promtool: every alert fires on its fixture, none on healthy traffic", () => {
    const spec = parseServiceSpec(ai);
    expectPromtoolTestPasses(buildRuleFiles([spec], CTX), buildPromtoolTestFiles([spec], CTX), "ai.yaml");
  });

  it("fails when a p95 threshold in seconds is outside its millisecond buckets, naming them in seconds", () => {
    expect(specProblems({ ...ai, red: { latencyP95: { warning: { maxSeconds: 5 } } } })).toEqual([
      'red.latencyP95.warning.maxSeconds must be within the histogram\'s buckets [0.05, 5), or p95 can never cross it, got 5 (service "ai")',
    ]);
  });

  it("fails on an unknown unit", () => {
    expect(specProblems({ ...ai, metrics: { ...ai.metrics, durationUnit: "ms" } })).toEqual([
      'metrics.durationUnit must be one of seconds, milliseconds, got "ms" (service "ai")',
    ]);
  });
});
