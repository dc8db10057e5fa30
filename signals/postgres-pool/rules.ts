/**
 * Postgres connection-pool exhaustion: the share of `max_connections` in use per server, recorded
 * per service and dependency, and an alert per severity above its threshold. Past
 * `max_connections - superuser_reserved_connections` ordinary clients are refused
 * ("remaining connection slots are reserved"), so the page fires a little before 100%.
 */
import type { ServiceCore } from "../../model/service-core";
import type { Severity } from "../../model/severity";
import { eq, formatNumber, safeRatio, selector, aggregate, type LabelMatcher } from "../../kit/promql";
import { alertingRule, recordingRule } from "../../kit/rule";
import type { AlertingRule, RecordingRule, RuleContext, RuleGroup } from "../../kit/rule-types";
import { dependencyGroupName } from "../dependency/rules";
import type { PostgresPool } from "./spec";

/** The alerts of the kind. */
export const POSTGRES_POOL_ALERTS = {
  /** Connections in use above a share of max_connections. */
  PostgresConnectionsNearLimit: "PostgresConnectionsNearLimit",
} as const;

/** Recorded per server (`instance`), labelled `service` and `dependency`. */
export const POSTGRES_POOL_SERIES = { usedRatio: "service_dependency:postgres_connections_used:ratio" } as const;

/** postgres_exporter's series the kind reads. */
export const POSTGRES_EXPORTER_METRICS = { activity: "pg_stat_activity_count", maxConnections: "pg_settings_max_connections" } as const;

function matchers(pool: PostgresPool): LabelMatcher[] {
  const extra = Object.entries(pool.labels).sort(([a], [b]) => a.localeCompare(b));
  return [eq("job", pool.job), ...extra.map(([k, v]) => eq(k, v))];
}

/** Connections of every database and state over the server's limit, per server. */
export function poolRecordingRule(service: ServiceCore, pool: PostgresPool): RecordingRule {
  const m = matchers(pool);
  return recordingRule({
    record: POSTGRES_POOL_SERIES.usedRatio,
    expr: safeRatio(
      aggregate("sum", ["instance"], selector(POSTGRES_EXPORTER_METRICS.activity, m)),
      aggregate("max", ["instance"], selector(POSTGRES_EXPORTER_METRICS.maxConnections, m)),
    ),
    labels: { service: service.name, dependency: pool.dependency },
  });
}

type PoolThreshold = NonNullable<PostgresPool["thresholds"][Severity]>;

/** The pool's thresholds as `[severity, threshold]`, in the order written. */
export function poolThresholds(pool: PostgresPool): [Severity, PoolThreshold][] {
  return Object.entries(pool.thresholds).filter((e): e is [Severity, PoolThreshold] => e[1] !== undefined);
}

/** One alert per severity of a pool. */
export function poolAlertRules(service: ServiceCore, pool: PostgresPool, ctx: RuleContext): AlertingRule[] {
  const used = selector(POSTGRES_POOL_SERIES.usedRatio, [eq("service", service.name), eq("dependency", pool.dependency)]);
  return poolThresholds(pool).map(([severity, t]) => {
    const percent = formatNumber(t.maxUsedRatio * 100);
    return alertingRule(
      {
        alert: POSTGRES_POOL_ALERTS.PostgresConnectionsNearLimit,
        expr: `${used} > ${formatNumber(t.maxUsedRatio)}`,
        for: t.for,
        severity,
        service: service.name,
        team: service.team,
        labels: { dependency: pool.dependency },
        summary: `Postgres ${pool.dependency} of ${service.name}: more than ${percent}% of its connections in use on {{ $labels.instance }}`,
        description:
          `${POSTGRES_EXPORTER_METRICS.activity} over ${POSTGRES_EXPORTER_METRICS.maxConnections} of {{ $labels.instance }} has been above ${percent}% for ${t.for}. ` +
          `When the slots run out, new connections of ${service.name} (and of every client of ${pool.dependency}) are refused.`,
      },
      ctx,
    );
  });
}

/** The pools' rules, in the service's `<service>.dependencies` group. */
export function poolRuleGroups(service: ServiceCore, pools: readonly PostgresPool[], ctx: RuleContext): RuleGroup[] {
  if (pools.length === 0) return [];
  return [{ name: dependencyGroupName(service), rules: pools.flatMap((p) => [poolRecordingRule(service, p), ...poolAlertRules(service, p, ctx)]) }];
}
