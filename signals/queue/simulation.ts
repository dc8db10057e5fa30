/**
 * The demo's queues: short and young while consumers keep up; while the `backlogGrowthPerSecond`
 * fault is set, consumers stall, the backlog grows and the oldest message ages from that moment.
 */
import type { Gauge } from "prom-client";
import { z } from "zod";
import { numberFault, type FaultField, type KindSimulation, type SimulationSetup, type StepContext } from "../../kit/simulation";
import type { ServiceCore } from "../../model/service-core";
import type { QueueSpec } from "./spec";

/** Messages waiting in each queue when consumers keep up. */
export const BASELINE_QUEUE_DEPTH = 3;
/** Age in (simulated) seconds of the oldest waiting message when consumers keep up. */
export const BASELINE_QUEUE_AGE_SECONDS = 2;

/** The faults of the kind. */
export const QUEUE_FAULTS: Readonly<Record<string, FaultField>> = {
  /** Messages added per (real) second to every queue while its consumers stall. */
  backlogGrowthPerSecond: { schema: () => z.number().min(0, "must be >= 0"), healthy: 0 },
};

/** Depth and oldest-message age of a queue whose consumers stalled at `stalledSinceMs` (or never). */
export function queueLevels(
  growthPerSecond: number,
  stalledSinceMs: number | undefined,
  nowMs: number,
  timeScale: number,
): { depth: number; ageSeconds: number } {
  if (growthPerSecond <= 0 || stalledSinceMs === undefined) return { depth: BASELINE_QUEUE_DEPTH, ageSeconds: BASELINE_QUEUE_AGE_SECONDS };
  const stalledSeconds = Math.max(0, (nowMs - stalledSinceMs) / 1000);
  return {
    depth: Math.round(BASELINE_QUEUE_DEPTH + growthPerSecond * stalledSeconds),
    ageSeconds: BASELINE_QUEUE_AGE_SECONDS + stalledSeconds * timeScale,
  };
}

interface QueueMetrics {
  readonly queue: QueueSpec;
  readonly depth: Gauge<string>;
  readonly age: Gauge<string>;
  readonly deadLetter?: Gauge<string>;
}

class Queues implements KindSimulation {
  private stalledSinceMs: number | undefined;

  constructor(
    private readonly queues: readonly QueueMetrics[],
    private readonly timeScale: number,
  ) {}

  step(context: StepContext): void {
    const growth = numberFault(context.faults, "backlogGrowthPerSecond");
    if (growth > 0) this.stalledSinceMs ??= context.nowMs;
    else this.stalledSinceMs = undefined;
    const { depth, ageSeconds } = queueLevels(growth, this.stalledSinceMs, context.nowMs, this.timeScale);
    for (const q of this.queues) {
      const labels = { [q.queue.queueLabel]: q.queue.name };
      q.depth.set(labels, depth);
      q.age.set(labels, ageSeconds);
      q.deadLetter?.set(labels, 0);
    }
  }
}

/** The depth, age and dead-letter gauges of the service's queues (queues may share metric names). */
export function queueSimulation(_service: ServiceCore, queues: readonly QueueSpec[], setup: SimulationSetup): KindSimulation {
  const metrics = queues.map((q): QueueMetrics => {
    const depth = setup.metrics.gauge(q.depthMetric, "Messages waiting in the queue (demo)", [q.queueLabel]);
    const age = setup.metrics.gauge(q.ageMetric, "Age in seconds of the oldest waiting message (demo)", [q.queueLabel]);
    if (q.deadLetterMetric === undefined) return { queue: q, depth, age };
    return { queue: q, depth, age, deadLetter: setup.metrics.gauge(q.deadLetterMetric, "Dead-lettered messages (demo)", [q.queueLabel]) };
  });
  return new Queues(metrics, setup.workload.timeScale);
}
