/** Fixtures of the socket, job and queue alerts. */
import { ALERT_NAMES } from "./alert-names";
import { jobRuleGroups, JOB_NAME_LABEL } from "./job/rules";
import { formatNumber } from "../kit/promql";
import { queueAlertRules } from "./queue/rules";
import type { QueueSpec, ServiceSpec } from "./service-spec";
import { socketRuleGroups } from "./socket/rules";
import { durationSeconds } from "../model/duration";
import type { RuleContext } from "../kit/rule-types";
import { isAlertingRule } from "../kit/rule-types";
import type { AlertCase } from "../kit/promtool/alert-case";
import { gaugeValues, inputSeries, rampValues, steadyCounter } from "../kit/promtool/series";
import type { PromtoolSeries } from "../kit/promtool/types";

const SOCKET_NAMESPACE = "/fixture";
const JOB_NAME = "fixture-job";
const RUNS_PER_MINUTE = 60;

function socketSeries(service: ServiceSpec, steps: readonly (readonly [number, number])[], total: number): PromtoolSeries[] {
  const s = service.sockets;
  if (s === undefined) return [];
  return [inputSeries(s.clientsMetric, { job: service.metrics.job, [s.namespaceLabel]: SOCKET_NAMESPACE }, gaugeValues(steps, total))];
}

function jobSeries(service: ServiceSpec, failuresPerMinute: number, retriesPerMinute: number, total: number): PromtoolSeries[] {
  const j = service.jobs;
  if (j === undefined) return [];
  const labels = (result: string) => ({ job: service.metrics.job, [j.nameLabel]: JOB_NAME, [j.resultLabel]: result });
  const series = [
    inputSeries(j.runsMetric, labels("success"), steadyCounter(RUNS_PER_MINUTE - failuresPerMinute, total)),
    inputSeries(j.runsMetric, labels(j.failureResults[0]!), steadyCounter(failuresPerMinute, total)),
  ];
  if (j.retriesMetric !== undefined) {
    series.push(inputSeries(j.retriesMetric, { job: service.metrics.job, [j.nameLabel]: JOB_NAME }, steadyCounter(retriesPerMinute, total)));
  }
  return series;
}

interface QueueShape {
  readonly depth: string;
  readonly age: string;
  readonly deadLetters: string;
}

function queueSeries(service: ServiceSpec, q: QueueSpec, shape: QueueShape): PromtoolSeries[] {
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

/** Steady sockets, jobs that succeed, queues short and young with no dead letters. */
export function workloadHealthySeries(service: ServiceSpec, total: number): PromtoolSeries[] {
  return [
    ...socketSeries(service, [[0, 100]], total),
    ...jobSeries(service, 0, 0, total),
    ...service.queues.flatMap((q) => queueSeries(service, q, healthyQueue(q, total))),
  ];
}

function socketCases(service: ServiceSpec, ctx: RuleContext, total: number): AlertCase[] {
  const s = service.sockets;
  if (s === undefined) return [];
  const rule = socketRuleGroups(service, ctx)[0]!.rules.find(isAlertingRule)!;
  const high = Math.max(100, s.minClients * 2);
  const low = Math.floor(high * (1 - s.maxDropRatio) * 0.5);
  return [
    {
      name: `${rule.alert}: fires ${rule.for} after clients fall from ${high} to ${low}`,
      // The drop is seen at minute 10, when the 5m-old value is still the high one.
      target: { rule, exprLabels: { [s.namespaceLabel]: SOCKET_NAMESPACE }, activeAtMinute: 10 },
      series: socketSeries(service, [[0, high], [10, low]], total),
    },
  ];
}

function jobCases(service: ServiceSpec, ctx: RuleContext, total: number): AlertCase[] {
  const j = service.jobs;
  if (j === undefined) return [];
  const rules = jobRuleGroups(service, ctx)[0]!.rules.filter(isAlertingRule);
  const failures = Math.ceil(RUNS_PER_MINUTE * Math.min(0.99, j.maxFailureRatio * 2));
  const retries = Math.ceil(RUNS_PER_MINUTE * j.maxRetryRatio * 2);
  return rules.map((rule) => ({
    name: `${rule.alert}: fires ${rule.for} after the ${rule.alert === ALERT_NAMES.JobFailureSurge ? "failure" : "retry"} ratio doubles its threshold`,
    target: { rule, exprLabels: { [JOB_NAME_LABEL]: JOB_NAME }, activeAtMinute: 1 },
    series:
      rule.alert === ALERT_NAMES.JobFailureSurge ? jobSeries(service, failures, 0, total) : jobSeries(service, 0, retries, total),
  }));
}

function queueCases(service: ServiceSpec, ctx: RuleContext, total: number): AlertCase[] {
  return service.queues.flatMap((q) => {
    const calm = healthyQueue(q, total);
    const recorded = { queue: q.name, service: service.name };
    return queueAlertRules(service, q, ctx).map((rule): AlertCase => {
      const forSeconds = durationSeconds(rule.for ?? "0s");
      switch (rule.alert) {
        case ALERT_NAMES.QueueBacklogHigh:
          return {
            name: `${rule.alert} ${q.name}: fires ${rule.for} after depth exceeds ${formatNumber(q.maxDepth)}`,
            target: { rule, exprLabels: recorded, activeAtMinute: 0 },
            series: queueSeries(service, q, { ...calm, depth: gaugeValues([[0, q.maxDepth * 2]], total) }),
          };
        case ALERT_NAMES.QueueOldestMessageAgeHigh:
          return {
            name: `${rule.alert} ${q.name}: fires ${rule.for} after the oldest message passes the ${formatNumber(q.slaSeconds)}s SLA`,
            target: { rule, exprLabels: recorded, activeAtMinute: 0 },
            series: queueSeries(service, q, { ...calm, age: gaugeValues([[0, q.slaSeconds * 2]], total) }),
          };
        case ALERT_NAMES.QueueSLABreachForecast: {
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

/** Cases of the socket, job and queue alerts. */
export function workloadAlertCases(service: ServiceSpec, ctx: RuleContext, total: number): AlertCase[] {
  return [...socketCases(service, ctx, total), ...jobCases(service, ctx, total), ...queueCases(service, ctx, total)];
}
