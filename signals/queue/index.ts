/**
 * Work queues: backlog depth, oldest-message age against the SLA, the SLA-breach forecast and
 * dead-letter growth (spec field `queues`).
 */
import { z } from "zod";
import { defineSignalKind } from "../kind";
import { gauge } from "../../kit/synthetic-series";
import { QUEUE_FAULTS, queueSimulation } from "./simulation";
import { queueRows } from "./dashboard";
import { queueAlertCases, queueHealthySeries } from "./promtool";
import { QUEUE_ALERTS, queueRuleGroups } from "./rules";
import { queueSchema, refineQueues } from "./spec";

export const queueKind = defineSignalKind({
  name: "queue",
  part: { field: "queues", schema: z.array(queueSchema).default([]), itemLabels: { queues: "queue" } },
  alertNames: Object.values(QUEUE_ALERTS),
  identityLabels: ["queue"],
  refine: refineQueues,
  ruleGroups: queueRuleGroups,
  dashboard: { rows: queueRows },
  syntheticSeries: (service, queues) =>
    queues.flatMap((q) => {
      const labels = { job: service.metrics.job, [q.queueLabel]: q.name };
      return [gauge(q.depthMetric, labels, 12), gauge(q.ageMetric, labels, 4), ...(q.deadLetterMetric ? [gauge(q.deadLetterMetric, labels, 0)] : [])];
    }),
  faults: QUEUE_FAULTS,
  simulation: queueSimulation,
  faultExamples: () => [{ patch: { backlogGrowthPerSecond: 50 }, raises: "QueueOldestMessageAgeHigh, QueueBacklogHigh, QueueSLABreachForecast" }],
  promtool: { alertCases: queueAlertCases, healthySeries: queueHealthySeries },
});
