/**
 * The demo's postgres_exporter series beyond `pg_up` and the pool's connections: no blocking lock,
 * 0.5s transactions, one table 5% dead, 100 commits and 1 rollback per scrape. The
 * `postgresDeadlocks` fault adds a deadlock at every scrape while any service sharing the exporter
 * asks for it. The preview's real Postgres replaces these; the bench keeps its own synthetic series.
 */
import { z } from "zod";
import type { ServiceCore } from "../../model/service-core";
import type { FaultField, SimulationSetup } from "../../kit/simulation";
import type { StoreDependency } from "../dependency/spec";
import { BLOCKING_LOCK_MODES, POSTGRES_FAILURE_METRICS as M } from "./failure-modes";

/** The faults of the Postgres kind. */
export const POSTGRES_FAULTS: Readonly<Record<string, FaultField>> = {
  /** true: a deadlock at every scrape of the service's exporter-read Postgres. */
  postgresDeadlocks: { schema: () => z.boolean(), healthy: false },
};

const DATNAME = "app";
const TABLE = { schemaname: "public", relname: "orders" };

export function postgresFailureSimulation(service: ServiceCore, dependencies: readonly StoreDependency[], setup: SimulationSetup): void {
  for (const d of dependencies) {
    const exporter = d.job === service.metrics.job ? undefined : setup.exporter(d.job);
    const factory = exporter?.metrics ?? setup.metrics;
    const names = Object.keys(d.labels).sort();
    const help = (text: string) => `${text} (demo postgres_exporter)`;
    const locks = factory.gauge(M.locks, help("Locks by database and mode"), ["datname", "mode", ...names]);
    const deadlocks = factory.counter(M.deadlocks, help("Deadlocks by database"), ["datname", ...names]);
    const maxTx = factory.gauge(M.maxTxDuration, help("Longest transaction by database and state, seconds"), ["datname", "state", ...names]);
    const bloat = factory.gauge(M.bloatRatio, help("Dead over live and dead tuples (pg_table_bloat query)"), ["datname", "schemaname", "relname", ...names]);
    const dead = factory.gauge(M.bloatDeadTuples, help("Dead tuples (pg_table_bloat query)"), ["datname", "schemaname", "relname", ...names]);
    const commits = factory.counter(M.commits, help("Commits by database"), ["datname", ...names]);
    const rollbacks = factory.counter(M.rollbacks, help("Rollbacks by database"), ["datname", ...names]);
    const db = { ...d.labels, datname: DATNAME };
    const report = () => {
      if (setup.isDependencyDown(d.name)) return;
      for (const mode of BLOCKING_LOCK_MODES) locks.set({ ...db, mode }, 0);
      locks.set({ ...db, mode: "accesssharelock" }, 40);
      deadlocks.inc(db, setup.faultValues("postgresDeadlocks").some((v) => v === true) ? 1 : 0);
      maxTx.set({ ...db, state: "active" }, 0.5);
      bloat.set({ ...db, ...TABLE }, 0.05);
      dead.set({ ...db, ...TABLE }, 2000);
      commits.inc(db, 100);
      rollbacks.inc(db, 1);
    };
    report();
    exporter?.onScrape(`postgres-failure-modes/${d.name}`, report);
  }
}
