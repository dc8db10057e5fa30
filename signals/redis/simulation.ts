/**
 * The demo's redis_exporter series beyond `redis_up`: 200 commands per scrape at a 90% hit ratio,
 * half of maxmemory, 100 of 10 000 clients. The `redisMemoryUsed` fault sets the share of
 * maxmemory in use (the highest any service sharing the exporter asks for); at 1 Redis evicts.
 * The preview's real Redis replaces these; the bench keeps its own synthetic series.
 */
import type { ServiceCore } from "../../model/service-core";
import { ratioFault, type FaultField, type SimulationSetup } from "../../kit/simulation";
import type { StoreDependency } from "../dependency/spec";
import { REDIS_FAILURE_METRICS as M } from "./failure-modes";

export const DEMO_REDIS_MAX_BYTES = 1_000_000_000;
export const DEMO_REDIS_MAX_CLIENTS = 10_000;
/** Share of maxmemory in use when nothing is wrong. */
export const BASELINE_REDIS_MEMORY_USED = 0.5;

/** The faults of the Redis kind. */
export const REDIS_FAULTS: Readonly<Record<string, FaultField>> = {
  /** Share of maxmemory in use on the service's exporter-read Redis, in [0, 1]; 0 = healthy; 1 evicts. */
  redisMemoryUsed: ratioFault,
};

function asked(values: readonly unknown[]): number {
  return Math.max(0, ...values.map((v) => (typeof v === "number" ? v : 0)));
}

export function redisFailureSimulation(service: ServiceCore, dependencies: readonly StoreDependency[], setup: SimulationSetup): void {
  for (const d of dependencies) {
    const exporter = d.job === service.metrics.job ? undefined : setup.exporter(d.job);
    const factory = exporter?.metrics ?? setup.metrics;
    const names = Object.keys(d.labels).sort();
    const gauge = (name: string, help: string) => factory.gauge(name, `${help} (demo redis_exporter)`, names);
    const counter = (name: string, help: string) => factory.counter(name, `${help} (demo redis_exporter)`, names);
    const used = gauge(M.memoryUsed, "Bytes used");
    const max = gauge(M.memoryMax, "maxmemory");
    const clients = gauge(M.clients, "Connected clients");
    const maxClients = gauge(M.maxClients, "maxclients");
    const evicted = counter(M.evicted, "Evicted keys");
    const rejected = counter(M.rejected, "Rejected connections");
    const hits = counter(M.hits, "Keyspace hits");
    const misses = counter(M.misses, "Keyspace misses");
    const commands = counter(M.commands, "Commands processed");
    const labels = { ...d.labels };
    const report = () => {
      if (setup.isDependencyDown(d.name)) return;
      const share = asked(setup.faultValues("redisMemoryUsed")) || BASELINE_REDIS_MEMORY_USED;
      used.set(labels, Math.round(share * DEMO_REDIS_MAX_BYTES));
      max.set(labels, DEMO_REDIS_MAX_BYTES);
      clients.set(labels, 100);
      maxClients.set(labels, DEMO_REDIS_MAX_CLIENTS);
      evicted.inc(labels, share >= 1 ? 50 : 0);
      rejected.inc(labels, 0);
      hits.inc(labels, 180);
      misses.inc(labels, 20);
      commands.inc(labels, 200);
    };
    report();
    exporter?.onScrape(`redis-failure-modes/${d.name}`, report);
  }
}
