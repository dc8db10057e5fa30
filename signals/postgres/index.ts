/**
 * Postgres a service depends on (`dependencies: [{ kind: "postgres", ... }]`): down for 2m, which mutes
 * the alerts of every service depending on it, and ping latency above its budget (300 ms).
 */
import { defineSignalKind } from "../kind";
import { storeSyntheticSeries } from "../dependency/synthetic";
import { storeSimulation } from "../dependency/simulation";
import { dependencyRows } from "../dependency/dashboard";
import { dependencyAlertCases, dependencyHealthySeries } from "../dependency/promtool";
import { storeRuleGroups } from "../dependency/rules";
import { resolveStoreJobs, storeDependencySchema } from "../dependency/spec";

/** The alerts of the kind. */
export const POSTGRES_ALERTS = { PostgresDown: "PostgresDown", PostgresHighLatency: "PostgresHighLatency" } as const;

const alerts = { title: "Postgres", down: POSTGRES_ALERTS.PostgresDown, slow: POSTGRES_ALERTS.PostgresHighLatency };

export const postgresKind = defineSignalKind({
  name: "postgres",
  part: { dependency: "postgres", schema: storeDependencySchema("postgres", 0.3) },
  alertNames: Object.values(POSTGRES_ALERTS),
  identityLabels: ["dependency"],
  dependencyDownAlerts: [POSTGRES_ALERTS.PostgresDown],
  resolve: resolveStoreJobs,
  ruleGroups: (service, postgres, ctx) => storeRuleGroups(service, alerts, postgres, ctx),
  dashboard: { rows: (service, postgres, ctx) => dependencyRows(service, alerts, postgres, ctx) },
  syntheticSeries: (_service, postgres) => storeSyntheticSeries(postgres),
  simulation: (service, postgres, setup) => storeSimulation(service, "postgres", postgres, setup),
  faultExamples: (service, postgres) => [
    { patch: { dependencyDown: [postgres[0]!.name] }, raises: `PostgresDown pages; ${service.name}'s other alerts are inhibited` },
  ],
  promtool: {
    alertCases: (service, postgres, ctx, total) => dependencyAlertCases(service, alerts, postgres, ctx, total),
    healthySeries: (_service, postgres, total) => dependencyHealthySeries(postgres, total),
  },
});
