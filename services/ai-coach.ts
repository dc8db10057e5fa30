import { defineService } from "../signals/service-spec";

/**
 * ai-coach: /v1/indicators, /v1/bias/score, /v1/nlg/reflect (spec 002, stack S5). Error rate 5%
 * for 10m per endpoint (ticket) and over all endpoints (page); p95 alerted per endpoint (label
 * `endpoint`) against the reflect budget of 3 s.
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
  probes: { readinessUrl: "http://ai-coach.ai-coach.svc:8000/health/ready" },
});
