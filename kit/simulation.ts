/**
 * What a kind's demo simulation is made of (demo-service/ runs them): prom-client metrics created
 * once per name, deterministic pacing, the faults a service is told to simulate, and one step of
 * the workload. Deterministic (no randomness): an error ratio of 0.5 fails every other request, so
 * alert timings measured on the demo do not depend on luck.
 */
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import { z } from "zod";
import type { ServiceCore } from "../model/service-core";

/** Rates of the simulated workload. */
export interface WorkloadOptions {
  /** HTTP requests per second, spread over the routes. @default 20 */
  readonly requestsPerSecond?: number;
  /** Events per second of each events SLO. @default 5 */
  readonly eventsPerSecond?: number;
  /**
   * Runs per second of each background job. Enough runs per (compressed) 5m window keep the
   * failure and retry ratios smooth. @default 10
   */
  readonly jobRunsPerSecond?: number;
  /**
   * Seconds of the simulated world per real second, for values that measure elapsed time (the age
   * of the oldest queued message). Set it to the preview's time-compression factor so a queue's
   * SLA in seconds keeps its meaning. @default 1
   */
  readonly timeScale?: number;
}

/** The workload's defaults. */
export const DEFAULT_WORKLOAD: Required<WorkloadOptions> = { requestsPerSecond: 20, eventsPerSecond: 5, jobRunsPerSecond: 10, timeScale: 1 };

/** What a demo service currently simulates, by fault name (each kind declares its own). */
export type Faults = Readonly<Record<string, unknown>>;

/** One fault a kind can simulate. */
export interface FaultField {
  /** Schema of its value in a `POST /faults` body, for one service. */
  readonly schema: (service: ServiceCore) => z.ZodType;
  /** Its value when nothing is wrong. */
  readonly healthy: unknown;
}

/**
 * Creates metrics in one registry, once per name: queues share `queue_depth`, dependencies may
 * share an up metric. Asking again for a name returns the metric made first.
 */
export class MetricFactory {
  private readonly made = new Map<string, Counter<string> | Gauge<string> | Histogram<string>>();
  constructor(readonly registry: Registry = new Registry()) {}

  counter(name: string, help: string, labelNames: readonly string[]): Counter<string> {
    return this.once(name, () => new Counter({ name, help, labelNames, registers: [this.registry] })) as Counter<string>;
  }

  gauge(name: string, help: string, labelNames: readonly string[]): Gauge<string> {
    return this.once(name, () => new Gauge({ name, help, labelNames, registers: [this.registry] })) as Gauge<string>;
  }

  histogram(name: string, help: string, labelNames: readonly string[], buckets?: readonly number[]): Histogram<string> {
    return this.once(
      name,
      () => new Histogram({ name, help, labelNames, registers: [this.registry], ...(buckets ? { buckets: [...buckets] } : {}) }),
    ) as Histogram<string>;
  }

  private once<T extends Counter<string> | Gauge<string> | Histogram<string>>(name: string, make: () => T): T {
    const existing = this.made.get(name);
    if (existing !== undefined) return existing as T;
    const metric = make();
    this.made.set(name, metric);
    return metric;
  }
}

/** An exporter's target (`core-redis-exporter`), shared by every service watching what it exports. */
export interface ExporterTarget {
  readonly metrics: MetricFactory;
  /** Runs `update` before each scrape of the exporter (one per key: a later call replaces it). */
  onScrape(key: string, update: () => void): void;
}

/** What a kind's simulation is built with. */
export interface SimulationSetup {
  /** Metrics of the service's own target. */
  readonly metrics: MetricFactory;
  /** The target of an exporter job. */
  readonly exporter: (job: string) => ExporterTarget;
  /** True while the named dependency is down (the faults of any service sharing it say so). */
  readonly isDependencyDown: (name: string) => boolean;
  /**
   * The current values of one fault in every service sharing the simulated world (the fleet; just
   * this service when it runs alone): what a shared exporter reports depends on all of them.
   */
  readonly faultValues: (name: string) => readonly unknown[];
  readonly workload: Required<WorkloadOptions>;
  /**
   * One simulation of the service shared by several kinds (the HTTP traffic RED and the HTTP SLOs
   * read), made once per key; the demo steps each shared simulation once per step.
   */
  readonly shared: <T extends KindSimulation>(key: string, make: () => T) => T;
}

/** What one step of a simulation reads. */
export interface StepContext {
  /** Seconds since the previous step. */
  readonly seconds: number;
  readonly nowMs: number;
  readonly faults: Faults;
  /** True while any dependency of the service is down: it answers 503 and its jobs fail. */
  readonly impaired: boolean;
  /** True while the named dependency is down (faults of any service sharing it). */
  readonly isDependencyDown: (name: string) => boolean;
}

/** One kind's workload for one service. */
export interface KindSimulation {
  step(context: StepContext): void;
}

/**
 * Turns a ratio into a deterministic sequence of yes/no: `next(0.25)` is true once every four
 * calls. Changing the ratio takes effect at once.
 */
export class RatioPacer {
  private credit = 0;

  next(ratio: number): boolean {
    if (ratio <= 0) return false;
    if (ratio >= 1) return true;
    this.credit += ratio;
    if (this.credit >= 1 - 1e-9) {
      this.credit -= 1;
      return true;
    }
    return false;
  }
}

/** Whole events due after `seconds` at `perSecond`, carrying the fraction over to the next call. */
export class RateCarry {
  private carry = 0;

  take(perSecond: number, seconds: number): number {
    this.carry += perSecond * seconds;
    const whole = Math.floor(this.carry);
    this.carry -= whole;
    return whole;
  }
}

/** A fault that is a share, in [0, 1]. */
export const ratioFault: FaultField = { schema: () => z.number().min(0, "must be in [0, 1]").max(1, "must be in [0, 1]"), healthy: 0 };

/** The value of a number fault, 0 when absent. */
export function numberFault(faults: Faults, name: string): number {
  const value = faults[name];
  return typeof value === "number" ? value : 0;
}
