import { defineService } from "../signals/service-spec";

/**
 * divan-api: FastAPI + Socket.IO backend (spec 001, phase 8). Its metrics carry the `divan_` prefix
 * and the status label `status`; buckets are the spec's 0.01..5 s. Alerts as its rules-phase8.yml
 * asks: 5xx > 5% for 10m, p95 > 400 ms for 15m, Redis/Postgres down 2m, Socket.IO drop > 50% in 5m.
 */
export const divanApi = defineService({
  name: "divan-api",
  team: "social",
  namespace: "divan",
  tier: "tier-1",
  metrics: {
    requests: "divan_http_requests_total",
    codeLabel: "status",
    durationHistogram: "divan_http_request_duration_seconds",
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  },
  red: { errorRatio: { warning: { maxRatio: 0.05, for: "10m" } }, latencyP95: { warning: { maxSeconds: 0.4, for: "15m" } } },
  slos: [{ name: "api-availability", kind: "availability", objective: 0.999 }],
  // Exported elsewhere: divan-api pings its stores and exports the result under its own job.
  dependencies: [
    { kind: "redis", name: "divan-redis", upMetric: "divan_redis_up", latencyMetric: "divan_redis_latency_seconds" },
    { kind: "postgres", name: "divan-postgres", upMetric: "divan_postgres_up", latencyMetric: "divan_postgres_latency_seconds" },
  ],
  jobs: { runsMetric: "divan_jobs_runs_total" },
  sockets: { clientsMetric: "divan_socketio_clients" },
  probes: { readinessUrl: "http://divan-api.divan.svc:8000/health/ready", livenessUrl: "http://divan-api.divan.svc:8000/health/live" },
});
