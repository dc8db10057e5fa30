/**
 * Postgres a service depends on (`dependencies: [{ kind: "postgres", ... }]`): down for 2m, which
 * mutes the alerts of every service depending on it, ping latency above its budget (300 ms) and,
 * read through postgres_exporter (`upMetric: "pg_up"`), its failure modes (./failure-modes.ts)
 * with their demo series and faults (./simulation.ts). Connections near `max_connections` are
 * their own kind (signals/postgres-pool/).
 */
import { postgresProvisionSchema } from "../dependency/exporter";
import type { StoreFailureModes } from "../dependency/failure-modes";
import { defineStoreKind } from "../dependency/store-kind";
import {
  POSTGRES_FAILURE_ALERTS,
  postgresFailureCases,
  postgresFailureHealthySeries,
  postgresFailureModesSchema,
  postgresFailurePanels,
  postgresFailureRules,
  postgresFailureSyntheticSeries,
  type PostgresFailureModes,
} from "./failure-modes";
import { POSTGRES_FAULTS, postgresFailureSimulation } from "./simulation";

/** The Postgres kind's failure modes. */
export const postgresFailureModes: StoreFailureModes<typeof postgresFailureModesSchema, PostgresFailureModes> = {
  schema: postgresFailureModesSchema,
  resolve: (written) => written ?? postgresFailureModesSchema.parse({}),
  alertNames: Object.values(POSTGRES_FAILURE_ALERTS),
  rules: postgresFailureRules,
  alertCases: postgresFailureCases,
  healthySeries: postgresFailureHealthySeries,
  panels: postgresFailurePanels,
  syntheticSeries: postgresFailureSyntheticSeries,
  faults: POSTGRES_FAULTS,
  simulate: postgresFailureSimulation,
  faultExamples: (service, d) => [{ patch: { postgresDeadlocks: true }, raises: `PostgresDeadlocks (${d.name} of ${service.name})` }],
};

/** The alerts of the kind. */
export const POSTGRES_ALERTS = { PostgresDown: "PostgresDown", PostgresHighLatency: "PostgresHighLatency", ...POSTGRES_FAILURE_ALERTS } as const;

export const postgresKind = defineStoreKind({
  kind: "postgres",
  alerts: { title: "Postgres", down: POSTGRES_ALERTS.PostgresDown, slow: POSTGRES_ALERTS.PostgresHighLatency },
  exporter: { provision: postgresProvisionSchema, upMetric: "pg_up" },
  defaultLatencySeconds: 0.3,
  failureModes: postgresFailureModes,
});
