/**
 * The metrics contract of canaries: what the runner exposes on /metrics for each flow and step
 * (every series labelled `service`, `team`, `canary`, and `step` for steps), and the blackbox series a
 * blackbox flow's Probe yields (labelled `service`, `team`, `canary` by the Probe's targets). The
 * rules and panels read these names and nothing else.
 */

/** The runner's series. */
export const RUNNER_METRICS = {
  /** Counter of finished runs, by `result` (`success` | `failure`). */
  runs: "canary_flow_runs_total",
  /** 1 when the last run passed every step, else 0. */
  success: "canary_flow_success",
  /** Duration of the last run, seconds. */
  duration: "canary_flow_duration_seconds",
  /** Unix time of the last run that passed. */
  lastSuccess: "canary_flow_last_success_timestamp_seconds",
  /** Failed runs in a row, 0 after a run that passed. */
  consecutiveFailures: "canary_flow_consecutive_failures",
  /** Runs in a row over the flow's budget or any step's, 0 after one within them. */
  consecutiveSlowRuns: "canary_flow_consecutive_slow_runs",
  /** 1 when the step passed in the last run, 0 when it failed; absent when it did not run. */
  stepSuccess: "canary_step_success",
  /** Duration of the step in the last run, seconds. */
  stepDuration: "canary_step_duration_seconds",
  /** Counter of step failures, by `reason` (`status`, `body`, `json`, `timeout`, `connection`, `message`). */
  stepFailures: "canary_step_failures_total",
} as const;

/** The `job` label of the runner's scrape. */
export const RUNNER_JOB = "canary-runner";

/** The `job` label of blackbox flows' Probe objects. */
export const BLACKBOX_CANARY_JOB = "canary";

/** The blackbox exporter's series of a probe. */
export const BLACKBOX_METRICS = { success: "probe_success", duration: "probe_duration_seconds" } as const;

/** Why a step failed, the `reason` label of {@link RUNNER_METRICS.stepFailures}. */
export const STEP_FAILURE_REASONS = ["status", "body", "json", "timeout", "connection", "message"] as const;
