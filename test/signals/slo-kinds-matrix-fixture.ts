import { parseServiceSpec } from "../../signals/service-spec";

/**
 * One SLO of every SLI kind, the periods spread over them so each period's burn alert (its
 * description names the period) fires in some case; the counter kinds also carry the budget resets
 * of the five periods.
 */
export const matrix = parseServiceSpec({
  name: "matrix",
  team: "data",
  namespace: "matrix",
  red: { enabled: false },
  slos: [
    { name: "availability", kind: "availability", objective: 0.999, period: "30d" },
    { name: "latency-seconds", kind: "latency", objective: 0.99, period: "calendar-month", latencyThresholdSeconds: 0.5 },
    {
      name: "latency-ms",
      kind: "latency",
      objective: 0.95,
      period: "90d",
      histogram: { metric: "job_duration_ms", unit: "milliseconds", buckets: [1000, 5000, 30000, 60000], matchers: { job_type: "import" } },
      latencyThresholdMilliseconds: 30000,
    },
    { name: "events", kind: "events", objective: 0.98, period: "7d", metric: "push_deliveries_total", goodOutcomes: ["delivered"] },
    {
      name: "ratio",
      kind: "ratio",
      objective: 0.99,
      period: "28d",
      numerator: { metric: "ai_request_errors_total", matchers: {} },
      numeratorCounts: "bad",
      denominator: { metric: "ai_request_total", matchers: {} },
    },
    {
      name: "freshness",
      kind: "freshness",
      objective: 0.99,
      period: "calendar-month",
      gauge: { metric: "sync_last_success_timestamp_seconds", matchers: { table: "favorites" }, holds: "timestamp" },
      maxAgeSeconds: 120,
    },
    {
      name: "digest",
      kind: "deadline",
      objective: 0.99,
      period: "30d",
      deadline: { every: "week", weekday: "monday", timeUtc: "09:00" },
      batchSize: { metric: "digest_batch_users" },
      deliveredOnTime: { metric: "digest_delivered_on_time_users" },
    },
  ],
});
