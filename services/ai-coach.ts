import { defineService } from "../signals/service-spec";
import { INDICATORS_INPUT } from "./canary-fixtures/indicators";

/**
 * ai-coach: /v1/indicators, /v1/bias/score, /v1/nlg/reflect (spec 002, stack S5). Error rate 5%
 * for 10m per endpoint (ticket) and over all endpoints (page); p95 alerted per endpoint (label
 * `endpoint`) against the reflect budget of 3 s. Its SLIs (spec 002: "p95 latency, error rate") as
 * SLOs on its own metric names: errors at most 1% of requests, and 95% of requests within 3 s. The
 * spec names no objective for them: 99% lets the 5% page above be a 5x burn.
 */
export const aiCoach = defineService({
  name: "ai-coach",
  team: "ai",
  namespace: "ai-coach",
  tier: "tier-2",
  // Spec 002's AI metrics, as the service exports them: requests and errors counted apart, durations
  // in milliseconds (buckets too; thresholds stay in seconds).
  metrics: {
    requests: "ai_request_total",
    errors: "ai_request_errors_total",
    durationHistogram: "ai_request_duration_ms",
    durationUnit: "milliseconds",
    buckets: [25, 50, 100, 250, 500, 1000, 1500, 2000, 3000, 5000, 10000],
    routeLabel: "endpoint",
  },
  red: {
    alertPer: "route",
    errorRatio: { warning: { maxRatio: 0.05, for: "10m" } },
    latencyP95: { warning: { maxSeconds: 3, for: "10m" } },
    // Spec 002's AIErrorRateHigh: errors of all endpoints together above 5% for 10m page; an
    // endpoint failing alone keeps its ticket above.
    thresholds: [{ name: "ai-errors", kind: "errors", levels: { critical: { maxRatio: 0.05, for: "10m" } } }],
  },
  slos: [
    {
      name: "errors",
      kind: "ratio",
      objective: 0.99,
      numerator: { metric: "ai_request_errors_total" },
      numeratorCounts: "bad",
      denominator: { metric: "ai_request_total" },
    },
    {
      name: "latency",
      kind: "latency",
      objective: 0.95,
      histogram: { metric: "ai_request_duration_ms", unit: "milliseconds", buckets: [25, 50, 100, 250, 500, 1000, 1500, 2000, 3000, 5000, 10000] },
      latencyThresholdMilliseconds: 3000,
    },
  ],
  probes: { readinessUrl: "http://ai-coach.ai-coach.svc:8000/health/ready" },
  // Spec 002's AI probe: indicators on the fixture, compared by the hash of the outputs.
  canaries: [
    {
      name: "indicators",
      description: "Indicators computed on the fixture's closes equal the fixture's expected output (SHA-256 of its canonical JSON, spec 002's AI probe).",
      baseUrl: "http://ai-coach.ai-coach.svc:8000",
      every: "5m",
      steps: [
        {
          name: "compute-indicators",
          request: { method: "POST", url: "/v1/indicators", body: INDICATORS_INPUT },
          // SHA-256 of INDICATORS_OUTPUT's canonical JSON (test/services/canaries.test.ts recomputes it).
          expect: { json: [{ path: "$.indicators", sha256: "5749718c449f04d64f0fa7292838de41ca3938a06b9241f0ef5413271d6f5721" }] },
          budget: "3s",
        },
      ],
    },
  ],
});
