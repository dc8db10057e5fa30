/**
 * Redis failure modes, on redis_exporter's own series (1.45 on Debian, 1.8x in the cluster: the
 * same names, labels `job` and `instance`):
 *
 * - RedisEvictions: `rate(redis_evicted_keys_total[5m])` above a rate (0 by default: a store
 *   that is not a pure cache loses data when it evicts).
 * - RedisMemoryNearLimit: `redis_memory_used_bytes / redis_memory_max_bytes` above a share (the
 *   redis mixin's 90%); `redis_memory_max_bytes` is 0 when `maxmemory` is unset, so it only
 *   counts where it is above 0.
 * - RedisRejectedConnections: `increase(redis_rejected_connections_total[5m]) > 0`: clients were
 *   refused at `maxclients` (critical).
 * - RedisTooManyClients: `redis_connected_clients / redis_config_maxclients` above a share (90%).
 *   Both versions export `redis_config_maxclients` from `CONFIG GET`; where CONFIG is disabled
 *   (some managed offerings) the series is absent and the alert stays silent.
 *
 * The keyspace hit ratio is a dashboard signal only: a low ratio is a property of the workload.
 */
import { z } from "zod";
import * as units from "@grafana/grafana-foundation-sdk/units";
import { positiveDurationSchema } from "../../model/duration";
import { nonNegative, openRatio } from "../../model/schema-primitives";
import type { ServiceCore } from "../../model/service-core";
import { aggregate, eq, formatNumber, rate, safeRatio, selector, type LabelMatcher } from "../../kit/promql";
import { alertingRule } from "../../kit/rule";
import type { AlertingRule, RuleContext } from "../../kit/rule-types";
import type { AlertCase } from "../../kit/promtool/alert-case";
import { gaugeValues, inputSeries, steadyCounter } from "../../kit/promtool/series";
import type { PromtoolSeries } from "../../kit/promtool/types";
import type { PanelSpec } from "../../kit/dashboards/grid";
import { runbookLink } from "../../kit/dashboards/links";
import { timeseriesPanel } from "../../kit/dashboards/panels";
import { counter, gauge, type SyntheticSeries } from "../../kit/synthetic-series";
import type { StoreDependency } from "../dependency/spec";

/** The failure-mode alerts of the kind. */
export const REDIS_FAILURE_ALERTS = {
  RedisEvictions: "RedisEvictions",
  RedisMemoryNearLimit: "RedisMemoryNearLimit",
  RedisRejectedConnections: "RedisRejectedConnections",
  RedisTooManyClients: "RedisTooManyClients",
} as const;

/** redis_exporter's series the failure modes and the dashboard read. */
export const REDIS_FAILURE_METRICS = {
  evicted: "redis_evicted_keys_total",
  memoryUsed: "redis_memory_used_bytes",
  memoryMax: "redis_memory_max_bytes",
  rejected: "redis_rejected_connections_total",
  clients: "redis_connected_clients",
  maxClients: "redis_config_maxclients",
  hits: "redis_keyspace_hits_total",
  misses: "redis_keyspace_misses_total",
  commands: "redis_commands_processed_total",
} as const;

const duration = positiveDurationSchema;

/** The `failureModes` of a Redis dependency; every field has its default. */
export const redisFailureModesSchema = z.strictObject({
  /** Keys evicted per second. @default { maxPerSecond: 0, for: "5m" } */
  evictions: z.strictObject({ maxPerSecond: nonNegative.default(0), for: duration.default("5m") }).prefault({}),
  /** Share of `maxmemory` used (redis mixin: 90%). @default { maxUsedRatio: 0.9, for: "5m" } */
  memory: z.strictObject({ maxUsedRatio: openRatio.default(0.9), for: duration.default("5m") }).prefault({}),
  /** Share of `maxclients` connected. @default { maxUsedRatio: 0.9, for: "5m" } */
  clients: z.strictObject({ maxUsedRatio: openRatio.default(0.9), for: duration.default("5m") }).prefault({}),
});

/** Resolved failure modes of one dependency. */
export type RedisFailureModes = z.output<typeof redisFailureModesSchema>;

function matchers(d: Pick<StoreDependency, "job" | "labels">): LabelMatcher[] {
  return [
    eq("job", d.job),
    ...Object.keys(d.labels)
      .sort()
      .map((k) => eq(k, d.labels[k]!)),
  ];
}

const BY = ["job", "instance"];

/** The expressions of the rules, shared by the alerts and the dashboard. */
export function redisExprs(d: StoreDependency) {
  const sel = (metric: string) => selector(metric, matchers(d));
  return {
    evictions: aggregate("sum", BY, rate(sel(REDIS_FAILURE_METRICS.evicted))),
    memory: `${aggregate("max", BY, sel(REDIS_FAILURE_METRICS.memoryUsed))} / ${aggregate("max", BY, `${sel(REDIS_FAILURE_METRICS.memoryMax)} > 0`)}`,
    rejected: aggregate("sum", BY, `increase(${sel(REDIS_FAILURE_METRICS.rejected)}[5m])`),
    clients: `${aggregate("max", BY, sel(REDIS_FAILURE_METRICS.clients))} / ${aggregate("max", BY, `${sel(REDIS_FAILURE_METRICS.maxClients)} > 0`)}`,
  };
}

/** The failure-mode alerts of one dependency, in the order of REDIS_FAILURE_ALERTS. */
export function redisFailureRules(service: ServiceCore, d: StoreDependency, m: RedisFailureModes, ctx: RuleContext): AlertingRule[] {
  const e = redisExprs(d);
  const base = { service: service.name, team: service.team, labels: { dependency: d.name } };
  const on = `Redis ${d.name} of ${service.name}`;
  const A = REDIS_FAILURE_ALERTS;
  return [
    alertingRule(
      {
        ...base,
        alert: A.RedisEvictions,
        expr: `${e.evictions} > ${formatNumber(m.evictions.maxPerSecond)}`,
        for: m.evictions.for,
        severity: "warning",
        summary: `${on} evicts keys on {{ $labels.instance }}`,
        description: `${REDIS_FAILURE_METRICS.evicted} has grown faster than ${formatNumber(m.evictions.maxPerSecond)}/s for ${m.evictions.for}: Redis is at maxmemory and drops keys by its eviction policy.`,
      },
      ctx,
    ),
    alertingRule(
      {
        ...base,
        alert: A.RedisMemoryNearLimit,
        expr: `${e.memory} > ${formatNumber(m.memory.maxUsedRatio)}`,
        for: m.memory.for,
        severity: "warning",
        summary: `${on}: more than ${formatNumber(m.memory.maxUsedRatio * 100)}% of maxmemory used on {{ $labels.instance }}`,
        description: `${REDIS_FAILURE_METRICS.memoryUsed} over ${REDIS_FAILURE_METRICS.memoryMax} has been above ${formatNumber(m.memory.maxUsedRatio)} for ${m.memory.for}: at maxmemory Redis evicts keys or refuses writes (noeviction).`,
      },
      ctx,
    ),
    alertingRule(
      {
        ...base,
        alert: A.RedisRejectedConnections,
        expr: `${e.rejected} > 0`,
        severity: "critical",
        summary: `${on} refuses connections on {{ $labels.instance }}`,
        description: `${REDIS_FAILURE_METRICS.rejected} rose over the last 5m: clients of ${d.name} got "max number of clients reached".`,
      },
      ctx,
    ),
    alertingRule(
      {
        ...base,
        alert: A.RedisTooManyClients,
        expr: `${e.clients} > ${formatNumber(m.clients.maxUsedRatio)}`,
        for: m.clients.for,
        severity: "warning",
        summary: `${on}: more than ${formatNumber(m.clients.maxUsedRatio * 100)}% of maxclients connected on {{ $labels.instance }}`,
        description: `${REDIS_FAILURE_METRICS.clients} over ${REDIS_FAILURE_METRICS.maxClients} has been above ${formatNumber(m.clients.maxUsedRatio)} for ${m.clients.for}: past maxclients new connections are refused.`,
      },
      ctx,
    ),
  ];
}

const INSTANCE = "redis-exporter:9121";
const MAX_BYTES = 1_000_000_000;
const MAX_CLIENTS = 10_000;

function labels(d: StoreDependency): Record<string, string> {
  return { instance: INSTANCE, ...d.labels, job: d.job };
}

interface Condition {
  readonly evictedPerMinute?: number;
  readonly memoryRatio?: number;
  readonly maxBytes?: number;
  readonly rejectedAtMinute?: number;
  readonly clientsRatio?: number;
}

function redisSeries(d: StoreDependency, c: Condition, total: number): PromtoolSeries[] {
  const l = labels(d);
  const maxBytes = c.maxBytes ?? MAX_BYTES;
  return [
    inputSeries(REDIS_FAILURE_METRICS.evicted, l, steadyCounter(c.evictedPerMinute ?? 0, total)),
    inputSeries(REDIS_FAILURE_METRICS.memoryUsed, l, gaugeValues([[0, Math.round((c.memoryRatio ?? 0.5) * MAX_BYTES)]], total)),
    inputSeries(REDIS_FAILURE_METRICS.memoryMax, l, gaugeValues([[0, maxBytes]], total)),
    inputSeries(
      REDIS_FAILURE_METRICS.rejected,
      l,
      c.rejectedAtMinute === undefined
        ? gaugeValues([[0, 0]], total)
        : gaugeValues(
            [
              [0, 0],
              [c.rejectedAtMinute, 3],
            ],
            total,
          ),
    ),
    inputSeries(REDIS_FAILURE_METRICS.clients, l, gaugeValues([[0, Math.round((c.clientsRatio ?? 0.01) * MAX_CLIENTS)]], total)),
    inputSeries(REDIS_FAILURE_METRICS.maxClients, l, gaugeValues([[0, MAX_CLIENTS]], total)),
  ];
}

/** Healthy: no eviction, half of maxmemory, 1% of maxclients. */
export function redisFailureHealthySeries(d: StoreDependency, _m: RedisFailureModes, total: number): PromtoolSeries[] {
  return redisSeries(d, {}, total);
}

/** One case per rule (rates hold from minute 1, the rejection at minute 5). */
export function redisFailureCases(service: ServiceCore, d: StoreDependency, m: RedisFailureModes, ctx: RuleContext, total: number): AlertCase[] {
  const rules = new Map(redisFailureRules(service, d, m, ctx).map((r) => [r.alert, r]));
  const exprLabels = { job: d.job, instance: labels(d).instance! };
  const A = REDIS_FAILURE_ALERTS;
  const one = (alert: string, what: string, activeAtMinute: number, c: Condition): AlertCase => ({
    name: `${alert} ${d.name}: ${what}`,
    target: { rule: rules.get(alert)!, exprLabels, activeAtMinute },
    series: redisSeries(d, c, total),
  });
  const memory = Math.min(0.999, (m.memory.maxUsedRatio + 1) / 2);
  const clients = Math.min(0.999, (m.clients.maxUsedRatio + 1) / 2);
  return [
    one(A.RedisEvictions, `fires ${m.evictions.for} after keys are evicted faster than ${formatNumber(m.evictions.maxPerSecond)}/s`, 1, {
      evictedPerMinute: Math.ceil((m.evictions.maxPerSecond + 1) * 60),
    }),
    one(A.RedisMemoryNearLimit, `fires ${m.memory.for} after ${formatNumber(memory * 100)}% of maxmemory is used`, 0, { memoryRatio: memory }),
    one(A.RedisRejectedConnections, "fires when redis_rejected_connections_total rises", 5, { rejectedAtMinute: 5 }),
    one(A.RedisTooManyClients, `fires ${m.clients.for} after ${formatNumber(clients * 100)}% of maxclients are connected`, 0, { clientsRatio: clients }),
  ];
}

/** The series of a Redis whose `maxmemory` is unset (max 0) using `usedBytes`: the memory alert must stay quiet. */
export function redisUnlimitedMemorySeries(d: StoreDependency, usedBytes: number, total: number): PromtoolSeries[] {
  return redisSeries(d, { memoryRatio: usedBytes / MAX_BYTES, maxBytes: 0 }, total);
}

/** Panels of the dependency's row: ops/s, memory, evictions, hit ratio, clients, rejections, thresholds drawn. */
export function redisFailurePanels(_service: ServiceCore, d: StoreDependency, m: RedisFailureModes, ctx: { runbookBaseUrl: string }): PanelSpec[] {
  const e = redisExprs(d);
  const sel = (metric: string) => selector(metric, matchers(d));
  const link = (alert: string) => [runbookLink(ctx.runbookBaseUrl, alert)];
  const A = REDIS_FAILURE_ALERTS;
  const hits = aggregate("sum", BY, rate(sel(REDIS_FAILURE_METRICS.hits), "5m"));
  const misses = aggregate("sum", BY, rate(sel(REDIS_FAILURE_METRICS.misses), "5m"));
  return [
    timeseriesPanel({
      title: "Ops/s",
      unit: units.OpsPerSecond,
      width: 8,
      min: 0,
      queries: [{ expr: `sum by (instance) (rate(${sel(REDIS_FAILURE_METRICS.commands)}[$__rate_interval]))`, legend: "{{instance}}" }],
    }),
    timeseriesPanel({
      title: "Memory used / maxmemory",
      unit: units.PercentUnit,
      width: 8,
      min: 0,
      max: 1,
      thresholds: [{ value: m.memory.maxUsedRatio, color: "red" }],
      queries: [{ expr: e.memory, legend: "{{instance}}" }],
      links: link(A.RedisMemoryNearLimit),
    }),
    timeseriesPanel({
      title: "Evictions/s",
      unit: units.Short,
      width: 8,
      min: 0,
      thresholds: [{ value: Math.max(m.evictions.maxPerSecond, 0.001), color: "red" }],
      queries: [{ expr: e.evictions, legend: "{{instance}}" }],
      links: link(A.RedisEvictions),
    }),
    timeseriesPanel({
      title: "Keyspace hit ratio",
      description: "Hits over hits and misses; a dashboard signal only, no alert.",
      unit: units.PercentUnit,
      width: 8,
      min: 0,
      max: 1,
      queries: [{ expr: safeRatio(hits, `${hits} + ${misses}`), legend: "{{instance}}" }],
    }),
    timeseriesPanel({
      title: "Clients / maxclients",
      unit: units.PercentUnit,
      width: 8,
      min: 0,
      max: 1,
      thresholds: [{ value: m.clients.maxUsedRatio, color: "red" }],
      queries: [{ expr: e.clients, legend: "{{instance}}" }],
      links: link(A.RedisTooManyClients),
    }),
    timeseriesPanel({
      title: "Rejected connections",
      description: "Connections refused over 5m.",
      unit: units.Short,
      width: 8,
      min: 0,
      thresholds: [{ value: 1, color: "red" }],
      queries: [{ expr: e.rejected, legend: "{{instance}}" }],
      links: link(A.RedisRejectedConnections),
    }),
  ];
}

/** The bench's healthy series: 200 commands/s at a 90% hit ratio, half of maxmemory, 100 clients. */
export function redisFailureSyntheticSeries(d: StoreDependency): SyntheticSeries[] {
  const l = labels(d);
  return [
    counter(REDIS_FAILURE_METRICS.evicted, l, 0),
    gauge(REDIS_FAILURE_METRICS.memoryUsed, l, MAX_BYTES / 2),
    gauge(REDIS_FAILURE_METRICS.memoryMax, l, MAX_BYTES),
    counter(REDIS_FAILURE_METRICS.rejected, l, 0),
    gauge(REDIS_FAILURE_METRICS.clients, l, 100),
    gauge(REDIS_FAILURE_METRICS.maxClients, l, MAX_CLIENTS),
    counter(REDIS_FAILURE_METRICS.hits, l, 180),
    counter(REDIS_FAILURE_METRICS.misses, l, 20),
    counter(REDIS_FAILURE_METRICS.commands, l, 200),
  ];
}
