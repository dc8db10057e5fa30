import * as units from "@grafana/grafana-foundation-sdk/units";
import { DEPENDENCY_DOWN_ALERTS } from "../signals";
import { POSTGRES_ALERTS } from "../signals/postgres";
import { REDIS_ALERTS } from "../signals/redis";
import type { DashboardContext } from "../kit/dashboards/context";
import { assembleDashboard, PLATFORM_FOLDER, type DashboardArtifact } from "../kit/dashboards/dashboard";
import { runbookLink } from "../kit/dashboards/links";
import { statPanel, timeseriesPanel } from "../kit/dashboards/panels";
import { labelValuesVariable } from "../kit/dashboards/variables";

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
            queries: [{ expr: `count(ALERTS{alertname=~"${DEPENDENCY_DOWN_ALERTS.join("|")}", alertstate="firing"}) or vector(0)` }],
            links: DEPENDENCY_DOWN_ALERTS.map((alert) => runbookLink(ctx.runbookBaseUrl, alert)),
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
            queries: [
              {
                expr: `sum by (instance) (rate(redis_commands_duration_seconds_total${redis}[$__rate_interval])) / sum by (instance) (rate(redis_commands_processed_total${redis}[$__rate_interval]))`,
                legend: "{{instance}}",
              },
            ],
            links: [runbookLink(ctx.runbookBaseUrl, REDIS_ALERTS.RedisHighLatency)],
          }),
          timeseriesPanel({
            title: "Connected clients",
            unit: units.Short,
            width: 6,
            queries: [{ expr: `redis_connected_clients${redis}`, legend: "{{instance}}" }],
          }),
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
            thresholds: [
              { value: 0.8, color: "orange" },
              { value: 0.95, color: "red" },
            ],
            queries: [
              { expr: `sum by (instance) (pg_stat_activity_count${pg}) / max by (instance) (pg_settings_max_connections${pg})`, legend: "{{instance}}" },
            ],
          }),
          timeseriesPanel({
            title: "Longest transaction",
            unit: units.Seconds,
            width: 6,
            min: 0,
            queries: [{ expr: `max by (instance) (pg_stat_activity_max_tx_duration${pg})`, legend: "{{instance}}" }],
            links: [runbookLink(ctx.runbookBaseUrl, POSTGRES_ALERTS.PostgresHighLatency)],
          }),
        ],
      },
    ],
  });
}
