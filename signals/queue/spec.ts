/** The `queues` part of a service spec: work queues with their SLA and backlog limit. */
import { z } from "zod";
import { labelName, metricName, positive } from "../../model/schema-primitives";
import type { IssueReporter, ParsedServiceView } from "../kind";

/** One work queue. */
export const queueSchema = z.strictObject({
  /** Value of `queueLabel` on the queue's series; the `queue` label of its alerts. */
  name: z.string().regex(/^[a-zA-Z0-9_.:-]+$/, "must be a queue name ([a-zA-Z0-9_.:-]+)"),
  /** @default "queue" */
  queueLabel: labelName.default("queue"),
  /** Gauge: messages waiting. */
  depthMetric: metricName,
  /** Gauge: age in seconds of the oldest waiting message. */
  ageMetric: metricName,
  /** Gauge (or counter) of dead-lettered messages. @default - no dead-letter alert */
  deadLetterMetric: metricName.optional(),
  /** Oldest-message age the queue promises not to exceed. */
  slaSeconds: positive,
  /** Depth above which the backlog alert fires. */
  maxDepth: positive,
  /** How far ahead the age forecast looks; at least 15m, or it warns barely before the breach. @default 3600 */
  forecastHorizonSeconds: z.number().min(900, "must be at least 900 (15m)").default(3600),
});

/** One validated queue. */
export type QueueSpec = z.output<typeof queueSchema>;

/** Queue names are unique in the service: they are the `queue` label of its alerts. */
export function refineQueues(_service: ParsedServiceView, queues: readonly QueueSpec[], issue: IssueReporter): void {
  const names = queues.map((q) => q.name);
  names.forEach((name, i) => {
    if (names.indexOf(name) !== i) issue([i, "name"], "must be unique among the service's queues");
  });
}
