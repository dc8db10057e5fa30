/**
 * Postgres failure modes, on postgres_exporter's own series (0.11 on Debian, 0.20 in the cluster:
 * every `by` keeps `job`, `instance` and `datname`, so 0.11's extra `server` label and 0.20's
 * `usename`/`application_name`/`wait_event` labels fold away):
 *
 * - PostgresLockWaits: locks of the blocking modes held for long. Neither version's default
 *   `pg_locks_count{datname,mode}` says granted or waiting (it counts `pg_locks` rows with a
 *   database, by lower-cased mode), so the alert reads what blocks: `accessexclusivelock`
 *   (ALTER/DROP/TRUNCATE/VACUUM FULL, blocks every read), `exclusivelock` (row-lock waiters hold
 *   their tuple lock in this mode; advisory locks too), `sharerowexclusivelock` and `sharelock`
 *   (CREATE INDEX), held at every evaluation for `for`. Row writes (`rowexclusivelock`), reads
 *   (`accesssharelock`) and autovacuum (`shareupdateexclusivelock`) are left out.
 * - PostgresDeadlocks: `increase(pg_stat_database_deadlocks[5m]) > max` (5m: alerts read raw series
 *   over 5m at most), so it resolves 5m after the last deadlock.
 * - PostgresLongRunningTransaction: `pg_stat_activity_max_tx_duration` (any state, `idle in
 *   transaction` included) above a bound.
 * - PostgresTableBloat: the `pg_table_bloat` custom query shipped with the exporter's values
 *   (dead / (live + dead) tuples of a table), above a ratio with enough dead tuples to matter.
 * - PostgresHighRollbackRatio: `xact_rollback / (xact_commit + xact_rollback)` over 5m.
 * - PostgresReplicationLag, only where a replica is declared: `pg_replication_lag_seconds`, which
 *   only upstream postgres_exporter (0.20, the cluster's) exports; Debian's 0.11 does not.
 *
 * Connections near `max_connections` are the postgres-pool kind's (PostgresConnectionsNearLimit).
 */
import { z } from "zod";
import { positiveDurationSchema } from "../../model/duration";
import { nonNegative, openRatio, positive } from "../../model/schema-primitives";
import type { ServiceCore } from "../../model/service-core";
import * as units from "@grafana/grafana-foundation-sdk/units";
import { BASE_RATE_WINDOW, anyOfRegex, aggregate, eq, formatNumber, rate, re, safeRatio, selector, type LabelMatcher } from "../../kit/promql";
import { alertingRule } from "../../kit/rule";
import type { AlertingRule, RuleContext } from "../../kit/rule-types";
import type { AlertCase } from "../../kit/promtool/alert-case";
import { counterValues, gaugeValues, inputSeries, steadyCounter } from "../../kit/promtool/series";
import type { PromtoolSeries } from "../../kit/promtool/types";
import type { PanelSpec } from "../../kit/dashboards/grid";
import { runbookLink } from "../../kit/dashboards/links";
import { timeseriesPanel } from "../../kit/dashboards/panels";
import { counter, gauge, type SyntheticSeries } from "../../kit/synthetic-series";
import type { StoreDependency } from "../dependency/spec";

/** The failure-mode alerts of the kind. */
export const POSTGRES_FAILURE_ALERTS = {
  PostgresLockWaits: "PostgresLockWaits",
  PostgresDeadlocks: "PostgresDeadlocks",
  PostgresLongRunningTransaction: "PostgresLongRunningTransaction",
  PostgresTableBloat: "PostgresTableBloat",
  PostgresHighRollbackRatio: "PostgresHighRollbackRatio",
  PostgresReplicationLag: "PostgresReplicationLag",
} as const;

/** postgres_exporter's series the failure modes read. */
export const POSTGRES_FAILURE_METRICS = {
  locks: "pg_locks_count",
  deadlocks: "pg_stat_database_deadlocks",
  maxTxDuration: "pg_stat_activity_max_tx_duration",
  commits: "pg_stat_database_xact_commit",
  rollbacks: "pg_stat_database_xact_rollback",
  replicationLag: "pg_replication_lag_seconds",
  /** The `pg_table_bloat` custom query (signals/postgres/custom-queries.ts). */
  bloatRatio: "pg_table_bloat_ratio",
  bloatDeadTuples: "pg_table_bloat_dead_tuples",
  activity: "pg_stat_activity_count",
} as const;

/** Lock modes that block others, as postgres_exporter spells them (lower case). */
export const BLOCKING_LOCK_MODES = ["accessexclusivelock", "exclusivelock", "sharerowexclusivelock", "sharelock"] as const;

const duration = positiveDurationSchema;

/** The `failureModes` of a Postgres dependency; every field has its default. */
export const postgresFailureModesSchema = z.strictObject({
  /** Blocking locks held. @default { modes: BLOCKING_LOCK_MODES, maxHeld: 0, for: "5m" } */
  locks: z
    .strictObject({
      modes: z
        .array(z.string().regex(/^[a-z]+$/, "must be a lower-case lock mode such as accessexclusivelock"))
        .min(1)
        .default([...BLOCKING_LOCK_MODES]),
      maxHeld: nonNegative.default(0),
      for: duration.default("5m"),
    })
    .prefault({}),
  /** Deadlocks over 5m. @default { max: 0 } */
  deadlocks: z.strictObject({ max: nonNegative.default(0) }).prefault({}),
  /** The oldest open transaction. @default { maxSeconds: 600, for: "2m" } */
  longTransactions: z.strictObject({ maxSeconds: positive.default(600), for: duration.default("2m") }).prefault({}),
  /** Dead tuples of a table (spec 002: a ticket after 15m). @default { maxRatio: 0.3, minDeadTuples: 10000, for: "15m" } */
  bloat: z.strictObject({ maxRatio: openRatio.default(0.3), minDeadTuples: nonNegative.default(10000), for: duration.default("15m") }).prefault({}),
  /** Rolled back share of transactions over 5m. @default { maxRatio: 0.1, for: "10m" } */
  rollbacks: z.strictObject({ maxRatio: openRatio.default(0.1), for: duration.default("10m") }).prefault({}),
  /**
   * A streaming replica of the dependency, with the matchers of its exporter's series (the job is
   * the dependency's). postgres_mixin's bound: 1h. @default - no replica, no lag alert
   */
  replica: z
    .strictObject({
      labels: z.record(z.string().min(1), z.string()).default({}),
      maxLagSeconds: positive.default(3600),
      for: duration.default("5m"),
    })
    .optional(),
});

/** Resolved failure modes of one dependency. */
export type PostgresFailureModes = z.output<typeof postgresFailureModesSchema>;

function matchers(d: Pick<StoreDependency, "job" | "labels">, extra: Readonly<Record<string, string>> = {}): LabelMatcher[] {
  const labels = { ...d.labels, ...extra };
  return [
    eq("job", d.job),
    ...Object.keys(labels)
      .sort()
      .map((k) => eq(k, labels[k]!)),
  ];
}

const DB = ["job", "instance", "datname"];
const TABLE = [...DB, "schemaname", "relname"];

/** The expressions of the rules, shared by the alerts and the dashboard. */
export function postgresExprs(d: StoreDependency, m: PostgresFailureModes) {
  const sel = (metric: string, more: LabelMatcher[] = []) => selector(metric, [...matchers(d), ...more]);
  const rolled = aggregate("sum", DB, rate(sel(POSTGRES_FAILURE_METRICS.rollbacks)));
  const committed = aggregate("sum", DB, rate(sel(POSTGRES_FAILURE_METRICS.commits)));
  return {
    locks: aggregate("sum", DB, sel(POSTGRES_FAILURE_METRICS.locks, [re("mode", anyOfRegex(m.locks.modes))])),
    deadlocks: aggregate("sum", DB, `increase(${sel(POSTGRES_FAILURE_METRICS.deadlocks)}[${BASE_RATE_WINDOW}])`),
    maxTx: aggregate("max", DB, sel(POSTGRES_FAILURE_METRICS.maxTxDuration)),
    bloat: aggregate("max", TABLE, sel(POSTGRES_FAILURE_METRICS.bloatRatio)),
    deadTuples: aggregate("max", TABLE, sel(POSTGRES_FAILURE_METRICS.bloatDeadTuples)),
    rollbackRatio: safeRatio(rolled, `${committed} + ${rolled}`),
    lag: m.replica && aggregate("max", ["job", "instance"], selector(POSTGRES_FAILURE_METRICS.replicationLag, matchers(d, m.replica.labels))),
  };
}

/** The failure-mode alerts of one dependency, in the order of POSTGRES_FAILURE_ALERTS. */
export function postgresFailureRules(service: ServiceCore, d: StoreDependency, m: PostgresFailureModes, ctx: RuleContext): AlertingRule[] {
  const e = postgresExprs(d, m);
  const base = { service: service.name, team: service.team, labels: { dependency: d.name }, severity: "warning" as const };
  const on = `Postgres ${d.name} of ${service.name}`;
  const rules = [
    alertingRule(
      {
        ...base,
        alert: POSTGRES_FAILURE_ALERTS.PostgresLockWaits,
        expr: `${e.locks} > ${formatNumber(m.locks.maxHeld)}`,
        for: m.locks.for,
        summary: `${on}: blocking locks held for ${m.locks.for} in database {{ $labels.datname }}`,
        description: `More than ${formatNumber(m.locks.maxHeld)} locks of modes ${m.locks.modes.join(", ")} (${POSTGRES_FAILURE_METRICS.locks}) have been held in {{ $labels.datname }} on {{ $labels.instance }} for ${m.locks.for}: statements queue behind them.`,
      },
      ctx,
    ),
    alertingRule(
      {
        ...base,
        alert: POSTGRES_FAILURE_ALERTS.PostgresDeadlocks,
        expr: `${e.deadlocks} > ${formatNumber(m.deadlocks.max)}`,
        summary: `${on}: deadlocks in database {{ $labels.datname }}`,
        description: `${POSTGRES_FAILURE_METRICS.deadlocks} of {{ $labels.datname }} on {{ $labels.instance }} rose by more than ${formatNumber(m.deadlocks.max)} over ${BASE_RATE_WINDOW}: Postgres aborted one transaction of each deadlock.`,
      },
      ctx,
    ),
    alertingRule(
      {
        ...base,
        alert: POSTGRES_FAILURE_ALERTS.PostgresLongRunningTransaction,
        expr: `${e.maxTx} > ${formatNumber(m.longTransactions.maxSeconds)}`,
        for: m.longTransactions.for,
        summary: `${on}: a transaction open for more than ${formatNumber(m.longTransactions.maxSeconds)}s in database {{ $labels.datname }}`,
        description: `${POSTGRES_FAILURE_METRICS.maxTxDuration} of {{ $labels.datname }} on {{ $labels.instance }} has been above ${formatNumber(m.longTransactions.maxSeconds)}s for ${m.longTransactions.for}: it holds its locks and keeps vacuum from removing dead rows.`,
      },
      ctx,
    ),
    alertingRule(
      {
        ...base,
        alert: POSTGRES_FAILURE_ALERTS.PostgresTableBloat,
        expr: `${e.bloat} > ${formatNumber(m.bloat.maxRatio)} and ${e.deadTuples} > ${formatNumber(m.bloat.minDeadTuples)}`,
        for: m.bloat.for,
        summary: `${on}: table {{ $labels.schemaname }}.{{ $labels.relname }} is more than ${formatNumber(m.bloat.maxRatio * 100)}% dead tuples`,
        description: `${POSTGRES_FAILURE_METRICS.bloatRatio} of {{ $labels.schemaname }}.{{ $labels.relname }} in {{ $labels.datname }} has been above ${formatNumber(m.bloat.maxRatio)} with more than ${formatNumber(m.bloat.minDeadTuples)} dead tuples for ${m.bloat.for}: autovacuum is not keeping up.`,
      },
      ctx,
    ),
    alertingRule(
      {
        ...base,
        alert: POSTGRES_FAILURE_ALERTS.PostgresHighRollbackRatio,
        expr: `${e.rollbackRatio} > ${formatNumber(m.rollbacks.maxRatio)}`,
        for: m.rollbacks.for,
        summary: `${on}: more than ${formatNumber(m.rollbacks.maxRatio * 100)}% of transactions roll back in database {{ $labels.datname }}`,
        description: `${POSTGRES_FAILURE_METRICS.rollbacks} over commits and rollbacks of {{ $labels.datname }} on {{ $labels.instance }} has been above ${formatNumber(m.rollbacks.maxRatio)} for ${m.rollbacks.for}: clients fail mid-transaction.`,
      },
      ctx,
    ),
  ];
  if (m.replica !== undefined && e.lag !== undefined) {
    rules.push(
      alertingRule(
        {
          ...base,
          alert: POSTGRES_FAILURE_ALERTS.PostgresReplicationLag,
          expr: `${e.lag} > ${formatNumber(m.replica.maxLagSeconds)}`,
          for: m.replica.for,
          summary: `${on}: the replica {{ $labels.instance }} lags more than ${formatNumber(m.replica.maxLagSeconds)}s`,
          description: `${POSTGRES_FAILURE_METRICS.replicationLag} of {{ $labels.instance }} has been above ${formatNumber(m.replica.maxLagSeconds)}s for ${m.replica.for}: reads from the replica are stale.`,
        },
        ctx,
      ),
    );
  }
  return rules;
}

/** The exporter's instance in the fixtures, unless the dependency pins one. */
const INSTANCE = "postgres-exporter:9187";
const DATNAME = "app";
const TABLE_LABELS = { schemaname: "public", relname: "orders" };

function labels(d: StoreDependency, extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  return { instance: INSTANCE, ...d.labels, ...extra, job: d.job };
}

/** What the fixtures vary from healthy. */
interface Condition {
  readonly locksHeld?: number;
  readonly deadlockAtMinute?: number;
  readonly txSeconds?: number;
  readonly bloat?: { ratio: number; deadTuples: number };
  readonly rollbackRatio?: number;
  readonly lagSeconds?: number;
}

/** 100 transactions a minute; the rest healthy. */
function postgresSeries(d: StoreDependency, m: PostgresFailureModes, c: Condition, total: number): PromtoolSeries[] {
  const db = labels(d, { datname: DATNAME });
  const rollbacks = Math.round((c.rollbackRatio ?? 0.01) * 100);
  const series = [
    ...m.locks.modes.map((mode, i) =>
      inputSeries(POSTGRES_FAILURE_METRICS.locks, { ...db, mode }, gaugeValues([[0, i === 0 ? (c.locksHeld ?? 0) : 0]], total)),
    ),
    inputSeries(POSTGRES_FAILURE_METRICS.locks, { ...db, mode: "accesssharelock" }, gaugeValues([[0, 40]], total)),
    inputSeries(
      POSTGRES_FAILURE_METRICS.deadlocks,
      db,
      c.deadlockAtMinute === undefined
        ? gaugeValues([[0, 0]], total)
        : gaugeValues(
            [
              [0, 0],
              [c.deadlockAtMinute, 1],
            ],
            total,
          ),
    ),
    inputSeries(POSTGRES_FAILURE_METRICS.maxTxDuration, { ...db, state: "active" }, gaugeValues([[0, c.txSeconds ?? 0.5]], total)),
    inputSeries(POSTGRES_FAILURE_METRICS.maxTxDuration, { ...db, state: "idle" }, gaugeValues([[0, 0]], total)),
    inputSeries(POSTGRES_FAILURE_METRICS.bloatRatio, { ...db, ...TABLE_LABELS }, gaugeValues([[0, c.bloat?.ratio ?? 0.05]], total)),
    inputSeries(POSTGRES_FAILURE_METRICS.bloatDeadTuples, { ...db, ...TABLE_LABELS }, gaugeValues([[0, c.bloat?.deadTuples ?? 2000]], total)),
    inputSeries(POSTGRES_FAILURE_METRICS.commits, db, steadyCounter(100 - rollbacks, total)),
    inputSeries(POSTGRES_FAILURE_METRICS.rollbacks, db, counterValues([{ perMinute: rollbacks, minutes: total }])),
  ];
  if (m.replica !== undefined) {
    series.push(inputSeries(POSTGRES_FAILURE_METRICS.replicationLag, labels(d, m.replica.labels), gaugeValues([[0, c.lagSeconds ?? 1]], total)));
  }
  return series;
}

/** Healthy: no blocking lock, no deadlock, 0.5s transactions, 5% bloat, 1% rollbacks, 1s lag. */
export function postgresFailureHealthySeries(d: StoreDependency, m: PostgresFailureModes, total: number): PromtoolSeries[] {
  return postgresSeries(d, m, {}, total);
}

/** One case per rule: the condition holds from minute 0 (rates from minute 1, the deadlock at minute 5). */
export function postgresFailureCases(service: ServiceCore, d: StoreDependency, m: PostgresFailureModes, ctx: RuleContext, total: number): AlertCase[] {
  const rules = new Map(postgresFailureRules(service, d, m, ctx).map((r) => [r.alert, r]));
  const db = { job: d.job, instance: labels(d).instance!, datname: DATNAME };
  const one = (alert: string, what: string, exprLabels: Record<string, string>, activeAtMinute: number, c: Condition): AlertCase[] => {
    const rule = rules.get(alert);
    return rule === undefined
      ? []
      : [{ name: `${alert} ${d.name}: ${what}`, target: { rule, exprLabels, activeAtMinute }, series: postgresSeries(d, m, c, total) }];
  };
  const A = POSTGRES_FAILURE_ALERTS;
  return [
    ...one(A.PostgresLockWaits, `fires ${m.locks.for} after ${formatNumber(m.locks.maxHeld + 1)} ${m.locks.modes[0]} locks are held`, db, 0, {
      locksHeld: m.locks.maxHeld + 1,
    }),
    ...one(A.PostgresDeadlocks, `fires when ${POSTGRES_FAILURE_METRICS.deadlocks} rises`, db, 5, { deadlockAtMinute: 5 }),
    ...one(
      A.PostgresLongRunningTransaction,
      `fires ${m.longTransactions.for} after a transaction passes ${formatNumber(m.longTransactions.maxSeconds)}s`,
      db,
      0,
      {
        txSeconds: m.longTransactions.maxSeconds * 2,
      },
    ),
    ...one(A.PostgresTableBloat, `fires ${m.bloat.for} after a table passes ${formatNumber(m.bloat.maxRatio)} dead`, { ...db, ...TABLE_LABELS }, 0, {
      bloat: { ratio: Math.min(0.99, m.bloat.maxRatio + 0.2), deadTuples: m.bloat.minDeadTuples * 2 + 1 },
    }),
    ...one(
      A.PostgresHighRollbackRatio,
      `fires ${m.rollbacks.for} after ${formatNumber(Math.min(1, m.rollbacks.maxRatio * 2) * 100)}% of transactions roll back`,
      db,
      1,
      {
        rollbackRatio: Math.min(1, m.rollbacks.maxRatio * 2),
      },
    ),
    ...(m.replica === undefined
      ? []
      : one(
          A.PostgresReplicationLag,
          `fires ${m.replica.for} after the replica lags ${formatNumber(m.replica.maxLagSeconds * 2)}s`,
          { job: d.job, instance: labels(d, m.replica.labels).instance! },
          0,
          { lagSeconds: m.replica.maxLagSeconds * 2 },
        )),
  ];
}

/** Panels of the dependency's row: locks, deadlocks, longest transaction, bloat, rollbacks, lag, each with its threshold. */
export function postgresFailurePanels(_service: ServiceCore, d: StoreDependency, m: PostgresFailureModes, ctx: { runbookBaseUrl: string }): PanelSpec[] {
  const e = postgresExprs(d, m);
  const sel = (metric: string) => selector(metric, matchers(d));
  const link = (alert: string) => [runbookLink(ctx.runbookBaseUrl, alert)];
  const A = POSTGRES_FAILURE_ALERTS;
  const red = (value: number) => [{ value, color: "red" as const }];
  const panels: PanelSpec[] = [
    timeseriesPanel({
      title: "Connections by database",
      unit: units.Short,
      width: 8,
      min: 0,
      queries: [{ expr: `sum by (instance, datname) (${sel(POSTGRES_FAILURE_METRICS.activity)})`, legend: "{{instance}} {{datname}}" }],
    }),
    timeseriesPanel({
      title: "Blocking locks held",
      unit: units.Short,
      width: 8,
      min: 0,
      thresholds: red(m.locks.maxHeld + 1),
      queries: [{ expr: e.locks, legend: "{{instance}} {{datname}}" }],
      links: link(A.PostgresLockWaits),
    }),
    timeseriesPanel({
      title: "Deadlocks",
      description: `Deadlocks over ${BASE_RATE_WINDOW}.`,
      unit: units.Short,
      width: 8,
      min: 0,
      thresholds: red(m.deadlocks.max + 1),
      queries: [{ expr: e.deadlocks, legend: "{{instance}} {{datname}}" }],
      links: link(A.PostgresDeadlocks),
    }),
    timeseriesPanel({
      title: "Longest transaction",
      unit: units.Seconds,
      width: 8,
      min: 0,
      thresholds: red(m.longTransactions.maxSeconds),
      queries: [{ expr: e.maxTx, legend: "{{instance}} {{datname}}" }],
      links: link(A.PostgresLongRunningTransaction),
    }),
    timeseriesPanel({
      title: "Table bloat (dead tuples)",
      unit: units.PercentUnit,
      width: 8,
      min: 0,
      max: 1,
      thresholds: red(m.bloat.maxRatio),
      queries: [{ expr: `topk(5, ${e.bloat})`, legend: "{{datname}} {{schemaname}}.{{relname}}" }],
      links: link(A.PostgresTableBloat),
    }),
    timeseriesPanel({
      title: "Rollback ratio",
      unit: units.PercentUnit,
      width: 8,
      min: 0,
      max: 1,
      thresholds: red(m.rollbacks.maxRatio),
      queries: [{ expr: e.rollbackRatio.replace(/\[5m\]/g, "[$__rate_interval]"), legend: "{{instance}} {{datname}}" }],
      links: link(A.PostgresHighRollbackRatio),
    }),
  ];
  if (m.replica !== undefined && e.lag !== undefined) {
    panels.push(
      timeseriesPanel({
        title: "Replication lag",
        unit: units.Seconds,
        width: 8,
        min: 0,
        thresholds: red(m.replica.maxLagSeconds),
        queries: [{ expr: e.lag, legend: "{{instance}}" }],
        links: link(A.PostgresReplicationLag),
      }),
    );
  }
  return panels;
}

/** The bench's healthy series: a database with 50 commits/s, no blocking lock, one table at 5% dead. */
export function postgresFailureSyntheticSeries(d: StoreDependency, m: PostgresFailureModes): SyntheticSeries[] {
  const db = labels(d, { datname: DATNAME });
  const series = [
    gauge(POSTGRES_FAILURE_METRICS.locks, { ...db, mode: m.locks.modes[0]! }, 0),
    gauge(POSTGRES_FAILURE_METRICS.locks, { ...db, mode: "accesssharelock" }, 40),
    counter(POSTGRES_FAILURE_METRICS.deadlocks, db, 0),
    gauge(POSTGRES_FAILURE_METRICS.maxTxDuration, { ...db, state: "active" }, 0.5),
    gauge(POSTGRES_FAILURE_METRICS.bloatRatio, { ...db, ...TABLE_LABELS }, 0.05),
    gauge(POSTGRES_FAILURE_METRICS.bloatDeadTuples, { ...db, ...TABLE_LABELS }, 2000),
    counter(POSTGRES_FAILURE_METRICS.commits, db, 50),
    counter(POSTGRES_FAILURE_METRICS.rollbacks, db, 0.5),
  ];
  if (m.replica !== undefined) series.push(gauge(POSTGRES_FAILURE_METRICS.replicationLag, labels(d, m.replica.labels), 1));
  return series;
}
