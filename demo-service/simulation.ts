/**
 * The simulated workload of one service: every kind of signal it declares simulates its own
 * metrics (signals/<kind>/simulation.ts), stepped together at a steady rate and bent by the
 * current faults. This file only wires them: the service's registry, shared exporter targets, the
 * `impaired` state (a store dependency down) and the step clock.
 */
import { Registry } from "prom-client";
import { DEFAULT_WORKLOAD, MetricFactory, type ExporterTarget, type Faults, type KindSimulation, type WorkloadOptions } from "../kit/simulation";
import { SIGNAL_KINDS } from "../signals";
import type { ServiceSpec } from "../signals/service-spec";
import { dependencyNames } from "./faults";

export { DEFAULT_WORKLOAD, type WorkloadOptions } from "../kit/simulation";

/** What the simulation reads each step: the service's faults and the state of every dependency. */
export interface SimulationInputs {
  readonly faults: () => Faults;
  /** True while the named dependency is down (faults of any service sharing it). */
  readonly isDependencyDown: (name: string) => boolean;
  /** The target of an exporter job, shared by the fleet. @default - a private registry per job */
  readonly exporter?: (job: string) => ExporterTarget;
  /** One fault's values in every service of the fleet. @default - this service's own */
  readonly faultValues?: (name: string) => readonly unknown[];
}

/** A private exporter target, for a service simulated alone. */
function standaloneExporters(): (job: string) => ExporterTarget {
  const targets = new Map<string, ExporterTarget>();
  return (job) => {
    let target = targets.get(job);
    if (target === undefined) {
      target = { metrics: new MetricFactory(new Registry()), onScrape: () => undefined };
      targets.set(job, target);
    }
    return target;
  };
}

/** The workload of one service; call {@link step} periodically. */
export class WorkloadSimulator {
  /** The service's own metrics, served on its `/metrics`. */
  readonly registry = new Registry();
  private readonly simulations: KindSimulation[] = [];
  private readonly dependencies: readonly string[];
  private lastStepMs: number | undefined;

  constructor(
    spec: ServiceSpec,
    private readonly inputs: SimulationInputs,
    options: WorkloadOptions = {},
  ) {
    const shared = new Map<string, KindSimulation>();
    const setup = {
      metrics: new MetricFactory(this.registry),
      exporter: inputs.exporter ?? standaloneExporters(),
      isDependencyDown: inputs.isDependencyDown,
      faultValues: inputs.faultValues ?? ((name: string) => [inputs.faults()[name]]),
      workload: { ...DEFAULT_WORKLOAD, ...options },
      shared: <T extends KindSimulation>(key: string, make: () => T): T => {
        if (!shared.has(key)) shared.set(key, make());
        return shared.get(key) as T;
      },
    };
    const own = SIGNAL_KINDS.flatMap((kind) => kind.simulation(spec, setup) ?? []);
    // Shared simulations (the HTTP traffic) step once, before the kinds' own.
    this.simulations = [...shared.values(), ...own];
    this.dependencies = dependencyNames(spec);
  }

  /** Advances the workload to `nowMs`: everything that happened since the previous step. */
  step(nowMs: number): void {
    const seconds = this.lastStepMs === undefined ? 0.1 : Math.max(0, (nowMs - this.lastStepMs) / 1000);
    this.lastStepMs = nowMs;
    const faults = this.inputs.faults();
    const impaired = this.dependencies.some((d) => this.inputs.isDependencyDown(d));
    const context = { seconds, nowMs, faults, impaired, isDependencyDown: this.inputs.isDependencyDown };
    for (const simulation of this.simulations) simulation.step(context);
  }
}
