/** Fixtures of the queue alerts: depth, oldest-message age and dead letters of each queue. */
import { durationSeconds } from "../../model/duration";
import type { ServiceCore } from "../../model/service-core";
import { formatNumber } from "../../kit/promql";
import type { AlertCase } from "../../kit/promtool/alert-case";
import { gaugeValues, inputSeries, rampValues } from "../../kit/promtool/series";
import type { PromtoolSeries } from "../../kit/promtool/types";
import type { RuleContext } from "../../kit/rule-types";
import { QUEUE_ALERTS, queueAlertRules } from "./rules";
import type { QueueSpec } from "./spec";

interface QueueShape {
  readonly depth: string;
  readonly age: string;
  readonly deadLetters: string;
}

function queueSeries(service: ServiceCore, q: QueueSpec, shape: QueueShape): PromtoolSeries[] {
  const labels = { job: service.metrics.job, [q.queueLabel]: q.name };
  return [
    inputSeries(q.depthMetric, labels, shape.depth),
    inputSeries(q.ageMetric, labels, shape.age),
    ...(q.deadLetterMetric !== undefined ? [inputSeries(q.deadLetterMetric, labels, shape.deadLetters)] : []),
  ];
}

function healthyQueue(q: QueueSpec, total: number): QueueShape {
  const calm = (value: number) => gaugeValues([[0, value]], total);
  return { depth: calm(Math.floor(q.maxDepth / 10)), age: calm(Math.floor(q.slaSeconds / 10)), deadLetters: calm(0) };
}

/** Queues short and young, with no dead letters. */
export function queueHealthySeries(service: ServiceCore, queues: readonly QueueSpec[], total: number): PromtoolSeries[] {
  return queues.flatMap((q) => queueSeries(service, q, healthyQueue(q, total)));
}

/** One case per queue alert. */
export function queueAlertCases(service: ServiceCore, queues: readonly QueueSpec[], ctx: RuleContext, total: number): AlertCase[] {
  return queues.flatMap((q) => {
    const calm = healthyQueue(q, total);
    const recorded = { queue: q.name, service: service.name };
    return queueAlertRules(service, q, ctx).map((rule): AlertCase => {
      const forSeconds = durationSeconds(rule.for ?? "0s");
      switch (rule.alert) {
        case QUEUE_ALERTS.QueueBacklogHigh:
          return {
            name: `${rule.alert} ${q.name}: fires ${rule.for} after depth exceeds ${formatNumber(q.maxDepth)}`,
            target: { rule, exprLabels: recorded, activeAtMinute: 0 },
            series: queueSeries(service, q, { ...calm, depth: gaugeValues([[0, q.maxDepth * 2]], total) }),
          };
        case QUEUE_ALERTS.QueueOldestMessageAgeHigh:
          return {
            name: `${rule.alert} ${q.name}: fires ${rule.for} after the oldest message passes the ${formatNumber(q.slaSeconds)}s SLA`,
            target: { rule, exprLabels: recorded, activeAtMinute: 0 },
            series: queueSeries(service, q, { ...calm, age: gaugeValues([[0, q.slaSeconds * 2]], total) }),
          };
        case QUEUE_ALERTS.QueueSLABreachForecast: {
          // Age grows so that it reaches the SLA only after the forecast's `for` + 2m, while the
          // horizon (at least 15m, longer than that) already sees the breach at minute 1.
          const perMinute = q.slaSeconds / (forSeconds / 60 + 2);
          return {
            name: `${rule.alert} ${q.name}: fires ${rule.for} after the age trend crosses the SLA within ${formatNumber(q.forecastHorizonSeconds)}s`,
            target: { rule, exprLabels: recorded, activeAtMinute: 1 },
            series: queueSeries(service, q, { ...calm, age: rampValues(0, perMinute, total) }),
          };
        }
        default:
          return {
            name: `${rule.alert} ${q.name}: fires ${rule.for} after dead letters grow every minute`,
            target: { rule, exprLabels: { [q.queueLabel]: q.name }, activeAtMinute: 1 },
            series: queueSeries(service, q, { ...calm, deadLetters: rampValues(0, 1, total) }),
          };
      }
    });
  });
}
