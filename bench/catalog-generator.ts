/**
 * A deterministic synthetic service catalog for the benchmarks: `count` realistic HTTP services,
 * each one `defineService(...)` value as `services/*.ts` write theirs, checked as a catalog, so every
 * generated spec passes the same validation (`parseServiceSpec`, the catalog's checks).
 *
 * Shape of service i (names `bench-svc-0001`, ...):
 * - HTTP with the default metric names and buckets, routes `ROUTES_PER_SERVICE` templates;
 * - an availability SLO of 99.9% and a latency SLO (95% under 0.5 s) on the first two routes;
 * - a Redis and a Postgres dependency (own exporters; every 10th service also shares
 *   `bench-shared-postgres`, so Alertmanager inhibition sees a dependency with many dependants);
 * - every 4th service also has a queue and background jobs; every 8th has Socket.IO clients;
 * - every service but the first calls the previous one (a `{ kind: "service" }` dependency);
 * - owner: one of the declared teams (model/teams.ts), which every profile has receivers for, round robin.
 */
import { buildCatalog } from "../signals/catalog";
import { defineService, type ServiceSpec, type ServiceSpecInput } from "../signals/service-spec";
import { TEAMS } from "../model/teams";

/** Route templates of every generated service. */
export const ROUTES_PER_SERVICE = ["/api/v1/items", "/api/v1/items/{id}", "/api/v1/search", "/api/v1/users/{id}", "/auth/login", "/health"] as const;

/** `bench-svc-0042`. */
export function benchServiceName(index: number): string {
  return `bench-svc-${String(index + 1).padStart(4, "0")}`;
}

/** The spec input of service `index`; pure and deterministic. */
export function benchServiceInput(index: number): ServiceSpecInput {
  const name = benchServiceName(index);
  const team = TEAMS[index % TEAMS.length]!;
  const withWork = index % 4 === 3;
  const withSockets = index % 8 === 5;
  const postgres = [{ kind: "postgres" as const, name: `${name}-postgres`, upMetric: "pg_up", job: `${name}-postgres-exporter` }];
  if (index % 10 === 9) postgres.push({ kind: "postgres", name: "bench-shared-postgres", upMetric: "pg_up", job: "bench-shared-postgres-exporter" });
  return {
    name,
    team,
    namespace: name,
    tier: index % 3 === 0 ? "tier-1" : "tier-2",
    slos: [
      { name: "availability", kind: "availability", objective: 0.999 },
      { name: "latency", kind: "latency", objective: 0.95, latencyThresholdSeconds: 0.5, routes: ROUTES_PER_SERVICE.slice(0, 2) },
    ],
    dependencies: [
      { kind: "redis", name: `${name}-redis`, upMetric: "redis_up", job: `${name}-redis-exporter`, latencyMetric: "redis_ping_latency_seconds" },
      ...postgres,
      ...(index > 0 ? [{ kind: "service" as const, name: benchServiceName(index - 1) }] : []),
    ],
    ...(withWork
      ? {
          queues: [
            {
              name: `${name.replace(/-/g, "_")}_tasks`,
              depthMetric: "queue_depth",
              ageMetric: "queue_oldest_message_age_seconds",
              deadLetterMetric: "queue_dead_letter_messages",
              slaSeconds: 300,
              maxDepth: 1000,
            },
          ],
          jobs: { runsMetric: "worker_job_runs_total", nameLabel: "job_type", retriesMetric: "worker_job_retries_total" },
        }
      : {}),
    ...(withSockets ? { sockets: { clientsMetric: "socketio_connected_clients" } } : {}),
    probes: { readinessUrl: `http://${name}.${name}.svc:8080/health/ready` },
  };
}

/** `count` validated services, sorted by name, read from a catalog like `serviceCatalog()`. */
export function generateCatalog(count: number): ServiceSpec[] {
  if (!Number.isInteger(count) || count < 1) throw new Error(`service count must be a positive integer, got ${count}`);
  return [...buildCatalog(Array.from({ length: count }, (_, i) => defineService(benchServiceInput(i))))];
}
