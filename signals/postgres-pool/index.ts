/**
 * Postgres connection-pool exhaustion (spec field `postgresPools`): the share of
 * `max_connections` in use on a Postgres dependency's server, from postgres_exporter, recorded and
 * alerted by severity as PostgresConnectionsNearLimit (warning at 80% for 10m as postgres_mixin,
 * page at 95% for 2m by default). It replaces the former PostgresTooManyConnections: one alert for
 * one condition, on the same series.
 */
import { z } from "zod";
import { gauge } from "../../kit/synthetic-series";
import { defineSignalKind } from "../kind";
import { poolRows } from "./dashboard";
import { poolAlertCases, poolHealthySeries } from "./promtool";
import { POSTGRES_EXPORTER_METRICS, POSTGRES_POOL_ALERTS, poolRuleGroups } from "./rules";
import { POSTGRES_POOL_FAULTS, poolSimulation } from "./simulation";
import { postgresPoolSchema, refinePools, resolvePools } from "./spec";

export const postgresPoolKind = defineSignalKind({
  name: "postgres-pool",
  part: { field: "postgresPools", schema: z.array(postgresPoolSchema).default([]) },
  alertNames: Object.values(POSTGRES_POOL_ALERTS),
  identityLabels: ["dependency"],
  refine: refinePools,
  resolve: resolvePools,
  ruleGroups: poolRuleGroups,
  promtool: {
    alertCases: poolAlertCases,
    healthySeries: (_service, pools, total) => poolHealthySeries(pools, total),
  },
  dashboard: { rows: poolRows },
  faults: POSTGRES_POOL_FAULTS,
  simulation: poolSimulation,
  syntheticSeries: (_service, pools) =>
    pools.flatMap((pool) => {
      const labels = { job: pool.job, ...pool.labels };
      return [
        gauge(POSTGRES_EXPORTER_METRICS.activity, { ...labels, datname: "app", state: "active" }, 12),
        gauge(POSTGRES_EXPORTER_METRICS.maxConnections, labels, 100),
      ];
    }),
  faultExamples: (service, pools) => [
    {
      patch: { postgresConnectionsUsed: 0.97 },
      raises: `PostgresConnectionsNearLimit pages (${pools[0]!.dependency} of ${service.name} at 97% of max_connections)`,
    },
  ],
});
