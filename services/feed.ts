import { defineService } from "../signals/service-spec";

/** feed: the home feed (spec 000): p95 latency under 500 ms, as 95% of requests in the 0.5 s bucket. */
export const feed = defineService({
  name: "feed",
  team: "social",
  namespace: "feed",
  tier: "tier-1",
  red: { latencyP95: { warning: { maxSeconds: 0.5, for: "15m" } } },
  slos: [{ name: "latency", kind: "latency", objective: 0.95, latencyThresholdSeconds: 0.5 }],
  probes: { readinessUrl: "http://feed.feed.svc:8080/health/ready" },
});
