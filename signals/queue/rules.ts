/**
 * Work queues: backlog depth, oldest-message age against the SLA, a `predict_linear` forecast of the
 * age breaching the SLA, and dead-letter growth. Depth and age are recorded per queue first, so the
 * 30m forecast reads a recorded series, not raw ones.
 */
import type { ServiceCore } from "../../model/service-core";
import { eq, formatNumber, overTime, rangeOf, selector, sumBy } from "../../kit/promql";
import { alertingRule, recordingRule } from "../../kit/rule";
import type { QueueSpec } from "./spec";
import type { AlertingRule, RecordingRule, RuleContext, RuleGroup } from "../../kit/rule-types";

/** The alerts of the kind. */
export const QUEUE_ALERTS = {
  QueueBacklogHigh: "QueueBacklogHigh",
  QueueOldestMessageAgeHigh: "QueueOldestMessageAgeHigh",
  /** predict_linear forecast: the backlog will breach the queue's SLA. */
  QueueSLABreachForecast: "QueueSLABreachForecast",
  DeadLetterGrowing: "DeadLetterGrowing",
} as const;

/** Recorded per queue, labelled `service` and `queue`. */
export const QUEUE_SERIES = {
  depth: "service_queue:depth:max",
  age: "service_queue:oldest_message_age_seconds:max",
  deadLetters: "service_queue:dead_letters:max",
} as const;

/** Durations of the queue alerts. */
export const QUEUE_TIMING = { backlogFor: "15m", ageFor: "5m", forecastFor: "10m", forecastWindow: "30m", deadLetterFor: "5m" } as const;

function rawSelector(service: ServiceCore, queue: QueueSpec, metric: string): string {
  return selector(metric, [eq("job", service.metrics.job), eq(queue.queueLabel, queue.name)]);
}

function recorded(service: ServiceCore, queue: QueueSpec, name: string): string {
  return selector(name, [eq("service", service.name), eq("queue", queue.name)]);
}

/** `max` over the replicas that report the queue (depth, age, dead letters), recorded under normalised names. */
export function queueRecordingRules(service: ServiceCore, queue: QueueSpec): RecordingRule[] {
  const labels = { service: service.name, queue: queue.name };
  const rules = [
    recordingRule({ record: QUEUE_SERIES.depth, expr: `max(${rawSelector(service, queue, queue.depthMetric)})`, labels }),
    recordingRule({ record: QUEUE_SERIES.age, expr: `max(${rawSelector(service, queue, queue.ageMetric)})`, labels }),
  ];
  // For dashboards across services; the dead-letter alert reads the raw series over 5m itself.
  if (queue.deadLetterMetric !== undefined) {
    rules.push(recordingRule({ record: QUEUE_SERIES.deadLetters, expr: `max(${rawSelector(service, queue, queue.deadLetterMetric)})`, labels }));
  }
  return rules;
}

function seconds(value: number): string {
  return value % 60 === 0 ? `${formatNumber(value / 60)}m` : `${formatNumber(value)}s`;
}

/** The alerts of one queue. */
export function queueAlertRules(service: ServiceCore, queue: QueueSpec, ctx: RuleContext): AlertingRule[] {
  const base = { service: service.name, team: service.team, labels: { queue: queue.name } };
  const depth = recorded(service, queue, QUEUE_SERIES.depth);
  const age = recorded(service, queue, QUEUE_SERIES.age);
  const sla = formatNumber(queue.slaSeconds);
  const rules = [
    alertingRule(
      {
        ...base,
        alert: QUEUE_ALERTS.QueueBacklogHigh,
        expr: `${depth} > ${formatNumber(queue.maxDepth)}`,
        for: QUEUE_TIMING.backlogFor,
        severity: "warning",
        summary: `${service.name}: queue {{ $labels.queue }} holds more than ${formatNumber(queue.maxDepth)} messages`,
        description: `The backlog of queue {{ $labels.queue }} (${queue.depthMetric}) has stayed above ${formatNumber(queue.maxDepth)} for ${QUEUE_TIMING.backlogFor}: consumers are too few, stuck or failing.`,
      },
      ctx,
    ),
    alertingRule(
      {
        ...base,
        alert: QUEUE_ALERTS.QueueOldestMessageAgeHigh,
        expr: `${age} > ${sla}`,
        for: QUEUE_TIMING.ageFor,
        severity: "critical",
        summary: `${service.name}: queue {{ $labels.queue }} breaches its SLA (oldest message older than ${seconds(queue.slaSeconds)})`,
        description: `The oldest waiting message of queue {{ $labels.queue }} (${queue.ageMetric}) has been older than ${seconds(queue.slaSeconds)} for ${QUEUE_TIMING.ageFor}.`,
      },
      ctx,
    ),
    alertingRule(
      {
        ...base,
        alert: QUEUE_ALERTS.QueueSLABreachForecast,
        // Linear trend of the recorded age over 30m; quiet once the breach is real (the alert above).
        expr: `predict_linear(${rangeOf(age, QUEUE_TIMING.forecastWindow)}, ${formatNumber(queue.forecastHorizonSeconds)}) > ${sla}\nand\n${age} <= ${sla}`,
        for: QUEUE_TIMING.forecastFor,
        severity: "warning",
        summary: `${service.name}: queue {{ $labels.queue }} will breach its ${seconds(queue.slaSeconds)} SLA within ${seconds(queue.forecastHorizonSeconds)}`,
        description: `At the trend of the last ${QUEUE_TIMING.forecastWindow}, the oldest message of queue {{ $labels.queue }} will be older than ${seconds(queue.slaSeconds)} within ${seconds(queue.forecastHorizonSeconds)}. Scale consumers before the SLA breaks.`,
      },
      ctx,
    ),
  ];
  if (queue.deadLetterMetric !== undefined) {
    rules.push(
      alertingRule(
        {
          ...base,
          alert: QUEUE_ALERTS.DeadLetterGrowing,
          // `delta` suits a gauge and a counter alike in the growing direction.
          expr: `${sumBy([queue.queueLabel], overTime("delta", rawSelector(service, queue, queue.deadLetterMetric), "5m"))} > 0`,
          for: QUEUE_TIMING.deadLetterFor,
          severity: "warning",
          summary: `${service.name}: dead letters of queue {{ $labels.${queue.queueLabel} }} keep growing`,
          description: `${queue.deadLetterMetric} of queue {{ $labels.${queue.queueLabel} }} has grown in every 5m window for ${QUEUE_TIMING.deadLetterFor}: messages fail all their retries. Inspect them before replaying.`,
        },
        ctx,
      ),
    );
  }
  return rules;
}

/** The `<service>.queues` group, or nothing without queues. */
export function queueRuleGroups(service: ServiceCore, queues: readonly QueueSpec[], ctx: RuleContext): RuleGroup[] {
  if (queues.length === 0) return [];
  return [
    {
      name: `${service.name}.queues`,
      rules: [...queues.flatMap((q) => queueRecordingRules(service, q)), ...queues.flatMap((q) => queueAlertRules(service, q, ctx))],
    },
  ];
}
