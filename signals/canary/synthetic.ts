/**
 * The bench's healthy canary series: every runner flow finishing a run per schedule, passing,
 * within budget; every blackbox flow's probe passing.
 */
import { durationSeconds } from "../../model/duration";
import type { ServiceCore } from "../../model/service-core";
import { counter, gauge, type SyntheticSeries } from "../../kit/synthetic-series";
import { canaryEngine } from "./engine";
import { BLACKBOX_CANARY_JOB, BLACKBOX_METRICS, RUNNER_JOB, RUNNER_METRICS } from "./metrics";
import { canaryBudgetSeconds } from "./rules";
import type { CanarySpec } from "./spec";

/** A typical duration of a healthy run, seconds. */
const HEALTHY_RUN_SECONDS = 0.05;

/** The healthy series of one flow, as its engine exposes them. */
export function canarySyntheticFlowSeries(service: Pick<ServiceCore, "name" | "team">, canary: CanarySpec): SyntheticSeries[] {
  const duration = Math.min(HEALTHY_RUN_SECONDS, (canaryBudgetSeconds(canary) ?? HEALTHY_RUN_SECONDS) / 2);
  if (canaryEngine(canary) === "blackbox") {
    const labels = { job: BLACKBOX_CANARY_JOB, service: service.name, team: service.team, canary: canary.name };
    return [gauge(BLACKBOX_METRICS.success, labels, 1), gauge(BLACKBOX_METRICS.duration, labels, duration)];
  }
  const labels = { job: RUNNER_JOB, service: service.name, canary: canary.name };
  return [
    counter(RUNNER_METRICS.runs, { ...labels, result: "success" }, 1 / durationSeconds(canary.every)),
    gauge(RUNNER_METRICS.success, labels, 1),
    gauge(RUNNER_METRICS.duration, labels, duration),
    gauge(RUNNER_METRICS.consecutiveFailures, labels, 0),
    gauge(RUNNER_METRICS.consecutiveSlowRuns, labels, 0),
    ...canary.steps.flatMap((step) => [
      gauge(RUNNER_METRICS.stepSuccess, { ...labels, step: step.name }, 1),
      gauge(RUNNER_METRICS.stepDuration, { ...labels, step: step.name }, duration / canary.steps.length),
    ]),
  ];
}

/** The healthy series of every flow of a service. */
export function canarySyntheticSeries(service: Pick<ServiceCore, "name" | "team">, canaries: readonly CanarySpec[]): SyntheticSeries[] {
  return canaries.flatMap((c) => canarySyntheticFlowSeries(service, c));
}
