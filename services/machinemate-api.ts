import { defineService } from "../signals/service-spec";
import { canarySecret } from "./canary-fixtures/canary-user";

/**
 * machinemate-api: the FastAPI backend of spec 004 (reliability targets). Instrumented with
 * prometheus-fastapi-instrumentator, whose defaults are `http_requests_total{handler,status,method}`
 * (status grouped as `2xx`, `5xx`, which `5..` matches) and `http_request_duration_seconds{handler,method}`;
 * its `buckets` option is set to the boundaries below so that 400 ms and 450 ms are buckets.
 * Alerts as spec 004 asks: p95 of `/api/v1/*` above 450 ms in any 5-minute window (a threshold
 * tier, no `for`), and as an SLO, 95% of `/api/v1/*` requests within 400 ms; availability 99.9% per
 * calendar month (UTC).
 * Data sync freshness (favorites and history replicated within 2 minutes) from the background
 * sync's replication lag, `sync_replication_lag_seconds{dataset}` (an age gauge: a contract the
 * product chose; spec 004 defers the metric to a later phase and names no objective: 99% of the
 * time). An age rather than a last-success timestamp also keeps the preview's time compression,
 * which refuses `time()`.
 */
export const machinemateApi = defineService({
  name: "machinemate-api",
  team: "core",
  namespace: "machinemate",
  tier: "tier-1",
  metrics: { routeLabel: "handler", codeLabel: "status", buckets: [0.025, 0.05, 0.1, 0.2, 0.3, 0.4, 0.45, 0.6, 0.8, 1, 2, 5] },
  red: {
    thresholds: [{ name: "api-v1-p95", kind: "latency", routes: ["/api/v1/*"], window: "5m", levels: { warning: { maxSeconds: 0.45 } } }],
  },
  slos: [
    { name: "availability", kind: "availability", objective: 0.999, period: "calendar-month" },
    { name: "api-v1-latency", kind: "latency", objective: 0.95, latencyThresholdSeconds: 0.4, routes: ["/api/v1/*"] },
    ...["favorites", "history"].map((dataset) => ({
      name: `${dataset}-sync-freshness`,
      kind: "freshness" as const,
      objective: 0.99,
      gauge: { metric: "sync_replication_lag_seconds", matchers: { dataset }, holds: "age" as const },
      maxAgeSeconds: 120,
    })),
  ],
  probes: { readinessUrl: "http://machinemate-api.machinemate.svc:8080/health/ready" },
  // Spec 004's scheduled health checks, every 10 minutes, alerting after 2 consecutive failures.
  canaries: [
    {
      name: "health",
      description: "GET /health answers 200 (spec 004's scheduled health check).",
      baseUrl: "http://machinemate-api.machinemate.svc:8080",
      every: "10m",
      failAfterRuns: 2,
      steps: [{ name: "health", request: { url: "/health" } }],
    },
    {
      name: "machines",
      description: "GET /api/v1/machines?limit=1 answers 200 (spec 004's scheduled health check).",
      baseUrl: "http://machinemate-api.machinemate.svc:8080",
      every: "10m",
      failAfterRuns: 2,
      steps: [{ name: "machines", request: { url: "/api/v1/machines?limit=1" } }],
    },
    {
      name: "supabase-favorites-count",
      description: "Supabase's REST API counts the favorites with the anon key (spec 004's scheduled health check).",
      // The Supabase project's URL (HEALTHCHECK_SUPABASE_REST_URL in spec 004): a placeholder, the
      // reserved .invalid domain, until the organisation sets its own project's https://<project>.supabase.co.
      baseUrl: "https://supabase.example.invalid",
      every: "10m",
      failAfterRuns: 2,
      credentials: { anonKey: { secret: canarySecret("machinemate-api"), key: "anon-key" } },
      steps: [
        {
          name: "favorites-count",
          request: { url: "/rest/v1/favorites?select=count&limit=1", headers: { apikey: "{{anonKey}}", Authorization: "Bearer {{anonKey}}" } },
          expect: { json: [{ path: "$[0].count", atLeast: 0 }] },
        },
      ],
    },
  ],
});
