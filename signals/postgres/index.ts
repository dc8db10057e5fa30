/**
 * Postgres a service depends on (`dependencies: [{ kind: "postgres", ... }]`): down for 2m, which
 * mutes the alerts of every service depending on it, and ping latency above its budget (300 ms).
 * Connection-pool exhaustion is its own kind (signals/postgres-pool/).
 */
import { postgresProvisionSchema } from "../dependency/exporter";
import { defineStoreKind } from "../dependency/store-kind";

/** The alerts of the kind. */
export const POSTGRES_ALERTS = { PostgresDown: "PostgresDown", PostgresHighLatency: "PostgresHighLatency" } as const;

export const postgresKind = defineStoreKind({
  kind: "postgres",
  alerts: { title: "Postgres", down: POSTGRES_ALERTS.PostgresDown, slow: POSTGRES_ALERTS.PostgresHighLatency },
  exporter: { provision: postgresProvisionSchema, upMetric: "pg_up" },
  defaultLatencySeconds: 0.3,
});
