/**
 * MigrationFailed: a schema migration of the service failed (spec 003: "alert on migration
 * failures"). Critical: a half-applied schema or a blocked rollout needs someone now, before the
 * next deploy or a restart runs the failed migration again.
 */
import type { ServiceCore } from "../../model/service-core";
import { BASE_RATE_WINDOW, aggregate, eq, selector } from "../../kit/promql";
import { alertingRule, recordingRule } from "../../kit/rule";
import type { AlertingRule, RecordingRule, RuleContext, RuleGroup } from "../../kit/rule-types";
import type { MigrationsSpec } from "./spec";

/** The alerts of the kind. */
export const MIGRATION_ALERTS = { MigrationFailed: "MigrationFailed" } as const;

/** `job` of the migration series. */
export function migrationJob(service: ServiceCore, m: MigrationsSpec): string {
  return m.job ?? service.metrics.job;
}

/** The failed-metric selector. */
export function migrationSelector(service: ServiceCore, m: MigrationsSpec): string {
  return selector(m.failedMetric, [
    eq("job", migrationJob(service, m)),
    ...Object.keys(m.labels)
      .sort()
      .map((k) => eq(k, m.labels[k]!)),
  ]);
}

/** A counter's failed runs over 5m, recorded per job, labelled `service`: the alert reads its window over this. */
export const MIGRATION_SERIES = { failures: "service_migration:failures:increase5m" } as const;

/** The recording rule of a counter (alerts read raw series over 5m at most). */
export function migrationRecordingRule(service: ServiceCore, m: MigrationsSpec): RecordingRule {
  return recordingRule({
    record: MIGRATION_SERIES.failures,
    expr: aggregate("sum", ["job"], `increase(${migrationSelector(service, m)}[${BASE_RATE_WINDOW}])`),
    labels: { service: service.name },
  });
}

/** What the alert and the dashboard read: above 0 means failed. */
export function migrationFailedExpr(service: ServiceCore, m: MigrationsSpec): string {
  if (m.type === "gauge") return aggregate("max", ["job"], migrationSelector(service, m));
  return aggregate("max", ["job"], `max_over_time(${selector(MIGRATION_SERIES.failures, [eq("service", service.name)])}[${m.window}])`);
}

export function migrationAlertRule(service: ServiceCore, m: MigrationsSpec, ctx: RuleContext): AlertingRule {
  const what = m.type === "gauge" ? `${m.failedMetric} reads above 0` : `${m.failedMetric} rose over the last ${m.window}`;
  return alertingRule(
    {
      alert: MIGRATION_ALERTS.MigrationFailed,
      expr: `${migrationFailedExpr(service, m)} > 0`,
      severity: "critical",
      service: service.name,
      team: service.team,
      summary: `A schema migration of ${service.name} failed`,
      description: `${what} (job {{ $labels.job }}): the schema may be half applied and the rollout of ${service.name} is blocked until the migration is fixed or rolled back.`,
    },
    ctx,
  );
}

/** The `<service>.migrations` group. */
export function migrationRuleGroups(service: ServiceCore, m: MigrationsSpec | undefined, ctx: RuleContext): RuleGroup[] {
  if (m === undefined) return [];
  const records = m.type === "counter" ? [migrationRecordingRule(service, m)] : [];
  return [{ name: `${service.name}.migrations`, rules: [...records, migrationAlertRule(service, m, ctx)] }];
}
