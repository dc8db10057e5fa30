import * as units from "@grafana/grafana-foundation-sdk/units";
import { ALERT_NAMES } from "../signals/alert-names";
import { dependencySelector } from "../signals/dependency/rules";
import type { DependencySpec, ServiceSpec } from "../signals/service-spec";
import type { DashboardContext } from "./context";
import { assembleDashboard, PLATFORM_FOLDER, type DashboardArtifact } from "./dashboard";
import type { PanelRow } from "./layout";
import { runbookLink } from "./links";
import { statPanel, timeseriesPanel, type PanelSpec } from "./panels";
import { labelValuesVariable } from "./variables";

type Kind = "redis" | "postgres";

const KIND = {
  redis: { title: "Redis", down: ALERT_NAMES.RedisDown, slow: ALERT_NAMES.RedisHighLatency },
  postgres: { title: "Postgres", down: ALERT_NAMES.PostgresDown, slow: ALERT_NAMES.PostgresHighLatency },
} as const;

/**
 * One dependency of one service, as the service sees it: up, and ping latency against its
 * threshold. Connections and pool usage, from the exporters, are on the Dependencies dashboard.
 */
export function dependencyRow(service: ServiceSpec, kind: Kind, dependency: DependencySpec, ctx: DashboardContext): PanelRow {
  const { title, down, slow } = KIND[kind];
  const panels: PanelSpec[] = [
    statPanel({
      title: "Up",
      unit: units.BoolOnOff,
      width: 4,
      height: 8,
      baseColor: "red",
      thresholds: [{ value: 1, color: "green" }],
      queries: [{ expr: `max(${dependencySelector(dependency, dependency.upMetric)})` }],
      links: [runbookLink(ctx.runbookBaseUrl, down)],
    }),
  ];
  if (dependency.latencyMetric !== undefined) {
    const sum = dependencySelector(dependency, `${dependency.latencyMetric}_sum`);
    const count = dependencySelector(dependency, `${dependency.latencyMetric}_count`);
    panels.push(
      timeseriesPanel({
        title: "Mean ping latency",
        unit: units.Seconds,
        width: 8,
        min: 0,
        thresholds: [{ value: dependency.latencyThresholdSeconds, color: "red" }],
        queries: [{ expr: `sum(rate(${sum}[$__rate_interval])) / sum(rate(${count}[$__rate_interval]))`, legend: "mean" }],
        links: [runbookLink(ctx.runbookBaseUrl, slow)],
      }),
    );
  }
  return { title: `${title} ${dependency.name} (used by ${service.name})`, panels };
}

/** Every Redis and Postgres dependency of one service, one row each. */
export function dependencyRows(service: ServiceSpec, ctx: DashboardContext): PanelRow[] {
  return (["redis", "postgres"] as const).flatMap((kind) => service.dependencies[kind].map((d) => dependencyRow(service, kind, d, ctx)));
}

/**
 * Redis and Postgres as their exporters see them (redis_exporter, postgres_exporter), templated by
 * instance: up, command latency, clients and memory; connections, pool usage and the longest
 * transaction. Which services depend on each lives in the services' own dashboards and alerts.
 */
export function buildDependenciesDashboard(ctx: DashboardContext): DashboardArtifact {
  const redis = `{instance=~"$redis"}`;
  const pg = `{instance=~"$postgres"}`;
  return assembleDashboard({
    key: "dependencies-redis-and-postgres",
    title: "Dependencies: Redis and Postgres",
    description: "Up, latency, connections and pool usage of every Redis and Postgres, from their exporters.",
    folder: PLATFORM_FOLDER,
    tags: ["dependencies"],
    variables: [labelValuesVariable("redis", "instance", "redis_up", "Redis"), labelValuesVariable("postgres", "instance", "pg_up", "Postgres")],
    rows: [
      {
        title: "Dependency alerts",
        panels: [
          statPanel({
            title: "Dependencies down (firing)",
            unit: units.Short,
            width: 24,
            height: 4,
            thresholds: [{ value: 1, color: "red" }],
            queries: [{ expr: `count(ALERTS{alertname=~"${ALERT_NAMES.RedisDown}|${ALERT_NAMES.PostgresDown}", alertstate="firing"}) or vector(0)` }],
            links: [runbookLink(ctx.runbookBaseUrl, ALERT_NAMES.RedisDown), runbookLink(ctx.runbookBaseUrl, ALERT_NAMES.PostgresDown)],
          }),
        ],
      },
      {
        title: "Redis",
        panels: [
          timeseriesPanel({ title: "Up", unit: units.BoolOnOff, width: 6, min: 0, max: 1, queries: [{ expr: `redis_up${redis}`, legend: "{{instance}}" }] }),
          timeseriesPanel({
            title: "Mean command latency",
            unit: units.Seconds,
            width: 6,
            min: 0,
            thresholds: [{ value: 0.2, color: "red" }],
            queries: [{ expr: `sum by (instance) (rate(redis_commands_duration_seconds_total${redis}[$__rate_interval])) / sum by (instance) (rate(redis_commands_processed_total${redis}[$__rate_interval]))`, legend: "{{instance}}" }],
            links: [runbookLink(ctx.runbookBaseUrl, ALERT_NAMES.RedisHighLatency)],
          }),
          timeseriesPanel({ title: "Connected clients", unit: units.Short, width: 6, queries: [{ expr: `redis_connected_clients${redis}`, legend: "{{instance}}" }] }),
          timeseriesPanel({
            title: "Memory used / max",
            unit: units.PercentUnit,
            width: 6,
            min: 0,
            thresholds: [{ value: 0.9, color: "red" }],
            queries: [{ expr: `redis_memory_used_bytes${redis} / (redis_memory_max_bytes${redis} > 0)`, legend: "{{instance}}" }],
          }),
        ],
      },
      {
        title: "Postgres",
        panels: [
          timeseriesPanel({ title: "Up", unit: units.BoolOnOff, width: 6, min: 0, max: 1, queries: [{ expr: `pg_up${pg}`, legend: "{{instance}}" }] }),
          timeseriesPanel({
            title: "Connections by state",
            unit: units.Short,
            width: 6,
            queries: [{ expr: `sum by (instance, state) (pg_stat_activity_count${pg})`, legend: "{{instance}} {{state}}" }],
          }),
          timeseriesPanel({
            title: "Connection pool usage",
            unit: units.PercentUnit,
            width: 6,
            min: 0,
            max: 1,
            thresholds: [{ value: 0.8, color: "orange" }, { value: 0.95, color: "red" }],
            queries: [{ expr: `sum by (instance) (pg_stat_activity_count${pg}) / max by (instance) (pg_settings_max_connections${pg})`, legend: "{{instance}}" }],
          }),
          timeseriesPanel({
            title: "Longest transaction",
            unit: units.Seconds,
            width: 6,
            min: 0,
            queries: [{ expr: `max by (instance) (pg_stat_activity_max_tx_duration${pg})`, legend: "{{instance}}" }],
            links: [runbookLink(ctx.runbookBaseUrl, ALERT_NAMES.PostgresHighLatency)],
          }),
        ],
      },
    ],
  });
}
