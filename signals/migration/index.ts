/**
 * Schema migrations of a service (spec field `migrations`): MigrationFailed, critical, when the
 * declared gauge reads above 0 or the declared counter of failed runs rises.
 */
import { defineSignalKind } from "../kind";
import { counter, gauge } from "../../kit/synthetic-series";
import { migrationRows } from "./dashboard";
import { migrationAlertCases, migrationHealthySeries } from "./promtool";
import { MIGRATION_ALERTS, migrationJob, migrationRuleGroups } from "./rules";
import { MIGRATION_FAULTS, migrationSimulation } from "./simulation";
import { migrationsSchema } from "./spec";

export const migrationKind = defineSignalKind({
  name: "migration",
  part: { field: "migrations", schema: migrationsSchema.optional() },
  alertNames: Object.values(MIGRATION_ALERTS),
  ruleGroups: migrationRuleGroups,
  promtool: { alertCases: migrationAlertCases, healthySeries: migrationHealthySeries },
  dashboard: { rows: migrationRows },
  faults: MIGRATION_FAULTS,
  simulation: migrationSimulation,
  syntheticSeries: (service, m) => {
    const labels = { job: migrationJob(service, m), ...m.labels };
    return [m.type === "gauge" ? gauge(m.failedMetric, labels, 0) : counter(m.failedMetric, labels, 0)];
  },
  faultExamples: (service) => [{ patch: { migrationFailed: true }, raises: `MigrationFailed pages (${service.name}'s schema migration failed)` }],
});
