/**
 * Fixtures of the pool alert: postgres_exporter's connections by state and its `max_connections`.
 * Each severity's case sets the share in use halfway between its threshold and the next higher one
 * (or 1), so the lower severities fire alongside and are expected.
 */
import type { ServiceCore } from "../../model/service-core";
import { formatNumber } from "../../kit/promql";
import type { AlertCase } from "../../kit/promtool/alert-case";
import { gaugeValues, inputSeries } from "../../kit/promtool/series";
import type { PromtoolSeries } from "../../kit/promtool/types";
import type { RuleContext } from "../../kit/rule-types";
import { poolAlertRules, poolThresholds, POSTGRES_EXPORTER_METRICS } from "./rules";
import type { PostgresPool } from "./spec";

/** `max_connections` of the fixtures (Postgres' default). */
const MAX_CONNECTIONS = 100;
const INSTANCE = "postgres-exporter:9187";

/** The exporter's labels: its job, an instance, and the pool's own matchers (which may pin the instance). */
function exporterLabels(pool: PostgresPool): Record<string, string> {
  return { job: pool.job, instance: INSTANCE, ...pool.labels };
}

/** `used` connections of `max_connections`, 60% active and 40% idle, as a steady gauge. */
function poolSeries(pool: PostgresPool, usedRatio: number, total: number): PromtoolSeries[] {
  const labels = exporterLabels(pool);
  const used = Math.round(usedRatio * MAX_CONNECTIONS);
  const active = Math.round(used * 0.6);
  return [
    inputSeries(POSTGRES_EXPORTER_METRICS.activity, { ...labels, datname: "app", state: "active" }, gaugeValues([[0, active]], total)),
    inputSeries(POSTGRES_EXPORTER_METRICS.activity, { ...labels, datname: "app", state: "idle" }, gaugeValues([[0, used - active]], total)),
    inputSeries(POSTGRES_EXPORTER_METRICS.maxConnections, labels, gaugeValues([[0, MAX_CONNECTIONS]], total)),
  ];
}

/** A fifth of the slots in use. */
export function poolHealthySeries(pools: readonly PostgresPool[], total: number): PromtoolSeries[] {
  return pools.flatMap((p) => poolSeries(p, 0.2, total));
}

/** One case per severity of each pool. */
export function poolAlertCases(service: ServiceCore, pools: readonly PostgresPool[], ctx: RuleContext, total: number): AlertCase[] {
  return pools.flatMap((pool) => {
    const rules = poolAlertRules(service, pool, ctx);
    const thresholds = poolThresholds(pool).map(([, t], i) => ({ rule: rules[i]!, ratio: t.maxUsedRatio }));
    return thresholds.map(({ rule, ratio }) => {
      const next = Math.min(1, ...thresholds.map((t) => t.ratio).filter((r) => r > ratio));
      const used = Math.round(((ratio + next) / 2) * MAX_CONNECTIONS) / MAX_CONNECTIONS;
      const firing = (r: typeof rule) => ({
        rule: r,
        exprLabels: { dependency: pool.dependency, instance: exporterLabels(pool).instance!, service: service.name },
        activeAtMinute: 0,
      });
      return {
        name: `${rule.alert} ${pool.dependency} (${rule.labels.severity}): fires ${rule.for} after ${formatNumber(used * 100)}% of max_connections are in use (threshold ${formatNumber(ratio * 100)}%)`,
        target: firing(rule),
        alsoFiring: thresholds.filter((t) => t.rule !== rule && t.ratio < used).map((t) => firing(t.rule)),
        series: poolSeries(pool, used, total),
      };
    });
  });
}
