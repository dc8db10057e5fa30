import { defineService } from "../signals/service-spec";

/**
 * core-api: internal REST API (spec 002, stack S3), availability 99.9% over spec 002's 90 days. Spec 003's plain
 * threshold beside the burn-rate alerts: 5xx above 2% of requests over 5 minutes, sustained 5m. Postgres and Redis are
 * watched through their exporters (`pg_up`, `redis_up`), shared with workers under the same names,
 * so Alertmanager mutes both services' alerts while one of them is down; read through the
 * exporters, they get their failure-mode alerts (locks, deadlocks, bloat, evictions, memory, ...).
 */
export const coreApi = defineService({
  name: "core-api",
  team: "core",
  namespace: "core",
  tier: "tier-1",
  red: { thresholds: [{ name: "errors-5m", kind: "errors", window: "5m", levels: { warning: { maxRatio: 0.02, for: "5m" } } }] },
  slos: [{ name: "availability", kind: "availability", objective: 0.999, period: "90d" }],
  // The stack provisions both exporters, once each (workers shares these), reading the
  // passwords from Secrets by reference. The hosts are placeholders to replace.
  dependencies: [
    {
      kind: "redis",
      name: "core-redis",
      upMetric: "redis_up",
      job: "core-redis-exporter",
      exporter: { provision: { address: "core-redis.example.com:6379", secret: { name: "core-redis-exporter", key: "password" } } },
    },
    {
      kind: "postgres",
      name: "core-postgres",
      upMetric: "pg_up",
      job: "core-postgres-exporter",
      exporter: {
        provision: {
          host: "core-postgres.example.com",
          port: 5432,
          database: "core",
          user: "postgres_exporter",
          sslMode: "require",
          secret: { name: "core-postgres-exporter", key: "password" },
        },
      },
    },
  ],
  // Spec 003: alert on DB connection-pool exhaustion. core-api owns core-postgres; workers share it.
  postgresPools: [{ dependency: "core-postgres" }],
  // Spec 003: alert on migration failures. core-api runs the core-postgres schema migrations.
  migrations: { failedMetric: "db_migration_failed" },
  probes: { readinessUrl: "http://core-api.core.svc:8080/health/ready" },
});
