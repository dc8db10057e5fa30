/**
 * The demo's postgres_exporter connection series: 20 of 100 connections in use when nothing is
 * wrong; the `postgresConnectionsUsed` fault sets the share in use (of every pool the service
 * watches). The series are the exporter's, so what a scrape reports is the highest share any
 * service sharing the exporter asks for.
 */
import { numberFault, ratioFault, type FaultField, type KindSimulation, type SimulationSetup, type StepContext } from "../../kit/simulation";
import type { ServiceCore } from "../../model/service-core";
import { POSTGRES_EXPORTER_METRICS } from "./rules";
import type { PostgresPool } from "./spec";

/** `max_connections` of the simulated server (Postgres' default). */
export const DEMO_MAX_CONNECTIONS = 100;
/** Share of the connections in use when nothing is wrong. */
export const BASELINE_CONNECTIONS_USED = 0.2;

/** The faults of the kind. */
export const POSTGRES_POOL_FAULTS: Readonly<Record<string, FaultField>> = {
  /** Share of max_connections in use on the service's watched Postgres servers, in [0, 1]; 0 = healthy. */
  postgresConnectionsUsed: ratioFault,
};

/** Connections in use by state: 60% active, the rest idle. */
export function connectionsByState(usedRatio: number): { active: number; idle: number } {
  const used = Math.round(usedRatio * DEMO_MAX_CONNECTIONS);
  const active = Math.round(used * 0.6);
  return { active, idle: used - active };
}

/** The share in use: the highest any service asks for, or the baseline. */
function usedRatio(values: readonly unknown[]): number {
  const asked = Math.max(0, ...values.map((v) => (typeof v === "number" ? v : 0)));
  return asked > 0 ? asked : BASELINE_CONNECTIONS_USED;
}

class PoolSeries implements KindSimulation {
  constructor(private readonly report: ((ratio: number) => void)[]) {}

  step(context: StepContext): void {
    const ratio = numberFault(context.faults, "postgresConnectionsUsed");
    for (const report of this.report) report(ratio > 0 ? ratio : BASELINE_CONNECTIONS_USED);
  }
}

/** `pg_stat_activity_count{datname,state}` and `pg_settings_max_connections` of each pool, where its exporter is scraped. */
export function poolSimulation(service: ServiceCore, pools: readonly PostgresPool[], setup: SimulationSetup): KindSimulation {
  const own: ((ratio: number) => void)[] = [];
  for (const pool of pools) {
    const exporter = pool.job === service.metrics.job ? undefined : setup.exporter(pool.job);
    const factory = exporter?.metrics ?? setup.metrics;
    const labelNames = Object.keys(pool.labels).sort();
    const activity = factory.gauge(POSTGRES_EXPORTER_METRICS.activity, "Connections by database and state (demo postgres_exporter)", [
      "datname",
      "state",
      ...labelNames,
    ]);
    const max = factory.gauge(POSTGRES_EXPORTER_METRICS.maxConnections, "max_connections (demo postgres_exporter)", labelNames);
    const report = (ratio: number) => {
      const { active, idle } = connectionsByState(ratio);
      activity.set({ ...pool.labels, datname: "app", state: "active" }, active);
      activity.set({ ...pool.labels, datname: "app", state: "idle" }, idle);
      max.set({ ...pool.labels }, DEMO_MAX_CONNECTIONS);
    };
    if (exporter === undefined) own.push(report);
    else exporter.onScrape(`postgres-pool/${pool.dependency}`, () => report(usedRatio(setup.faultValues("postgresConnectionsUsed"))));
  }
  return new PoolSeries(own);
}
