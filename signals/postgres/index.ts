/**
 * Postgres a service depends on (`dependencies: [{ kind: "postgres", ... }]`): down for 2m, which
 * mutes the alerts of every service depending on it, ping latency above its budget (300 ms) and,
 * read through postgres_exporter (`upMetric: "pg_up"`), its failure modes (./failure-modes.ts).
 * Connections near `max_connections` are their own kind (signals/postgres-pool/).
 */
import { defineStoreKind } from "../dependency/store-kind";
import { POSTGRES_FAILURE_ALERTS, postgresFailureModes } from "./failure-modes";

/** The alerts of the kind. */
export const POSTGRES_ALERTS = { PostgresDown: "PostgresDown", PostgresHighLatency: "PostgresHighLatency", ...POSTGRES_FAILURE_ALERTS } as const;

export const postgresKind = defineStoreKind({
  kind: "postgres",
  alerts: { title: "Postgres", down: POSTGRES_ALERTS.PostgresDown, slow: POSTGRES_ALERTS.PostgresHighLatency },
  defaultLatencySeconds: 0.3,
  failureModes: postgresFailureModes,
});
