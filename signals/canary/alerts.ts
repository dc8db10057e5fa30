/** The alerts of the canary kind. */
export const CANARY_ALERTS = {
  /** A flow failed its last `failAfterRuns` runs (2 by default, spec 004's rule). */
  CanaryFailing: "CanaryFailing",
  /** A flow, or one of its steps, was over its budget for its last `slowAfterRuns` runs. */
  CanarySlow: "CanarySlow",
  /** No run of a flow finished within twice its schedule: the runner or prober is not running it. */
  CanaryNotRunning: "CanaryNotRunning",
} as const;
