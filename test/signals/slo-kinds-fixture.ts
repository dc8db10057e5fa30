import { parseServiceSpec } from "../../signals/service-spec";

/** A service with one SLO of every kind and period, on metric names of its own. */
export const ledger = parseServiceSpec({
  name: "ledger",
  team: "data",
  namespace: "ledger",
  red: { enabled: false },
  slos: [
    {
      name: "import-duration",
      kind: "latency",
      objective: 0.95,
      period: "90d",
      histogram: { metric: "job_duration_ms", unit: "milliseconds", buckets: [1000, 5000, 30000, 60000, 120000], matchers: { job_type: "import" } },
      latencyThresholdMilliseconds: 60000,
    },
    {
      name: "ai-errors",
      kind: "ratio",
      objective: 0.99,
      period: "7d",
      numerator: { metric: "ai_request_errors_total", matchers: {} },
      numeratorCounts: "bad",
      denominator: { metric: "ai_request_total", matchers: {} },
    },
    {
      name: "ai-success",
      kind: "ratio",
      objective: 0.99,
      period: "28d",
      numerator: { metric: "ai_request_ok_total", matchers: { endpoint: "reflect" } },
      numeratorCounts: "good",
      denominator: { metric: "ai_request_total", matchers: { endpoint: "reflect" } },
    },
    {
      name: "sync-freshness",
      kind: "freshness",
      objective: 0.99,
      period: "calendar-month",
      gauge: { metric: "sync_last_success_timestamp_seconds", matchers: { table: "favorites" }, holds: "timestamp" },
      maxAgeSeconds: 120,
    },
    {
      name: "sync-age",
      kind: "freshness",
      objective: 0.99,
      gauge: { metric: "sync_lag_seconds", matchers: {}, holds: "age" },
      maxAgeSeconds: 120,
    },
    {
      name: "digest",
      kind: "deadline",
      objective: 0.99,
      deadline: { every: "week", weekday: "monday", timeUtc: "09:00" },
      batchSize: { metric: "digest_batch_users", matchers: {} },
      deliveredOnTime: { metric: "digest_delivered_on_time_users", matchers: {} },
    },
    {
      name: "lag-median",
      kind: "latency",
      objective: 0.5,
      histogram: { metric: "event_delivery_lag_ms", unit: "milliseconds", buckets: [250, 500, 1000, 1500, 3000, 5000] },
      latencyThresholdMilliseconds: 1500,
      burnRateAlerts: [
        { severity: "critical", factor: 1.8, longWindow: "1h", shortWindow: "5m" },
        { severity: "warning", factor: 1.2, longWindow: "6h", shortWindow: "30m" },
      ],
    },
  ],
});
