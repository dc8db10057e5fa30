/**
 * The demo's migration metric: the gauge at 0, 1 while the `migrationFailed` fault is on; a
 * counter of failed runs steps by one when the fault turns on.
 */
import { z } from "zod";
import type { ServiceCore } from "../../model/service-core";
import type { FaultField, KindSimulation, SimulationSetup, StepContext } from "../../kit/simulation";
import { migrationJob } from "./rules";
import type { MigrationsSpec } from "./spec";

/** The faults of the kind. */
export const MIGRATION_FAULTS: Readonly<Record<string, FaultField>> = {
  /** true: the service's last schema migration failed. */
  migrationFailed: { schema: () => z.boolean(), healthy: false },
};

export function migrationSimulation(service: ServiceCore, m: MigrationsSpec, setup: SimulationSetup): KindSimulation | undefined {
  const job = migrationJob(service, m);
  const factory = job === service.metrics.job ? setup.metrics : setup.exporter(job).metrics;
  const labelNames = Object.keys(m.labels).sort();
  if (m.type === "gauge") {
    const gauge = factory.gauge(m.failedMetric, "1 while the last schema migration failed (demo)", labelNames);
    gauge.set({ ...m.labels }, 0);
    return { step: (c: StepContext) => void gauge.set({ ...m.labels }, c.faults["migrationFailed"] === true ? 1 : 0) };
  }
  const counter = factory.counter(m.failedMetric, "Failed schema migration runs (demo)", labelNames);
  counter.inc({ ...m.labels }, 0);
  let failed = false;
  return {
    step: (c: StepContext) => {
      const now = c.faults["migrationFailed"] === true;
      if (now && !failed) counter.inc({ ...m.labels });
      failed = now;
    },
  };
}
