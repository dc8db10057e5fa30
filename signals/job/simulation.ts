/**
 * The demo's background jobs: a few named jobs running at a steady rate, failing at the
 * `jobFailureRatio` fault (or all while a dependency is down), a failed run retried once.
 */
import type { Counter } from "prom-client";
import {
  numberFault,
  RateCarry,
  RatioPacer,
  ratioFault,
  type FaultField,
  type KindSimulation,
  type SimulationSetup,
  type StepContext,
} from "../../kit/simulation";
import type { ServiceCore } from "../../model/service-core";
import type { JobsSpec } from "./spec";

/** Names of the simulated background jobs. */
export const JOB_NAMES: readonly string[] = ["digest", "cleanup"];
/** Retries per job run when nothing is wrong. */
export const BASELINE_RETRY_RATIO = 0.05;

/** The faults of the kind. */
export const JOB_FAULTS: Readonly<Record<string, FaultField>> = {
  /** Share of background job runs ending in failure, in [0, 1]. */
  jobFailureRatio: ratioFault,
};

class JobRuns implements KindSimulation {
  private readonly jobs = JOB_NAMES.map((name) => ({ name, runs: new RateCarry(), failures: new RatioPacer(), retries: new RatioPacer() }));

  constructor(
    private readonly spec: JobsSpec,
    private readonly runs: Counter<string>,
    private readonly retries: Counter<string> | undefined,
    private readonly runsPerSecond: number,
  ) {}

  step(context: StepContext): void {
    const failureRatio = numberFault(context.faults, "jobFailureRatio");
    for (const job of this.jobs) {
      const labels = { [this.spec.nameLabel]: job.name };
      for (let i = job.runs.take(this.runsPerSecond, context.seconds); i > 0; i--) {
        const failed = job.failures.next(failureRatio) || context.impaired;
        this.runs.inc({ ...labels, [this.spec.resultLabel]: failed ? this.spec.failureResults[0]! : "success" });
        // A failed run is retried once; healthy runs retry now and then.
        if (this.retries && (failed || job.retries.next(BASELINE_RETRY_RATIO))) this.retries.inc(labels);
      }
    }
  }
}

/** The runs (and retries) counters of the service's jobs. */
export function jobSimulation(_service: ServiceCore, jobs: JobsSpec, setup: SimulationSetup): KindSimulation {
  const runs = setup.metrics.counter(jobs.runsMetric, "Finished background job runs by job and result (demo)", [jobs.nameLabel, jobs.resultLabel]);
  const retries =
    jobs.retriesMetric === undefined ? undefined : setup.metrics.counter(jobs.retriesMetric, "Background job retries by job (demo)", [jobs.nameLabel]);
  return new JobRuns(jobs, runs, retries, setup.workload.jobRunsPerSecond);
}
