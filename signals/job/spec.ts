/** The `jobs` part of a service spec: background job runs and retries. */
import { z } from "zod";
import { positiveDurationSchema } from "../../model/duration";
import { labelName, metricName, openRatio, positive } from "../../model/schema-primitives";

/** Background job runs. */
export const jobsSchema = z.strictObject({
  /** Counter of finished runs, e.g. `divan_jobs_runs_total{name,result}`. */
  runsMetric: metricName,
  /** @default "name" */
  nameLabel: labelName.default("name"),
  /** @default "result" */
  resultLabel: labelName.default("result"),
  /** @default ["failure"] */
  failureResults: z.array(z.string().min(1)).min(1).default(["failure"]),
  /** Counter of retries, labelled by `nameLabel`. @default - no retry alert */
  retriesMetric: metricName.optional(),
  /** @default 0.1 */
  maxFailureRatio: openRatio.default(0.1),
  /** Retries per finished run. @default 0.2 */
  maxRetryRatio: positive.default(0.2),
  /** @default "10m" */
  for: positiveDurationSchema.default("10m"),
});

/** The validated jobs part. */
export type JobsSpec = z.output<typeof jobsSchema>;
