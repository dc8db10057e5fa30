/** Fixtures of the job alerts: runs of one job, with failures or retries. */
import type { ServiceCore } from "../../model/service-core";
import type { AlertCase } from "../../kit/promtool/alert-case";
import { inputSeries, steadyCounter } from "../../kit/promtool/series";
import type { PromtoolSeries } from "../../kit/promtool/types";
import { isAlertingRule, type RuleContext } from "../../kit/rule-types";
import { JOB_ALERTS, JOB_NAME_LABEL, jobRuleGroups } from "./rules";
import type { JobsSpec } from "./spec";

const JOB_NAME = "fixture-job";
const RUNS_PER_MINUTE = 60;

function jobSeries(service: ServiceCore, j: JobsSpec, failuresPerMinute: number, retriesPerMinute: number, total: number): PromtoolSeries[] {
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

/** Runs that all succeed, without retries. */
export function jobHealthySeries(service: ServiceCore, j: JobsSpec, total: number): PromtoolSeries[] {
  return jobSeries(service, j, 0, 0, total);
}

/** The failure or retry ratio at twice its threshold. */
export function jobAlertCases(service: ServiceCore, j: JobsSpec, ctx: RuleContext, total: number): AlertCase[] {
  const rules = jobRuleGroups(service, j, ctx)[0]!.rules.filter(isAlertingRule);
  const failures = Math.ceil(RUNS_PER_MINUTE * Math.min(0.99, j.maxFailureRatio * 2));
  const retries = Math.ceil(RUNS_PER_MINUTE * j.maxRetryRatio * 2);
  return rules.map((rule) => ({
    name: `${rule.alert}: fires ${rule.for} after the ${rule.alert === JOB_ALERTS.JobFailureSurge ? "failure" : "retry"} ratio doubles its threshold`,
    target: { rule, exprLabels: { [JOB_NAME_LABEL]: JOB_NAME }, activeAtMinute: 1 },
    series: rule.alert === JOB_ALERTS.JobFailureSurge ? jobSeries(service, j, failures, 0, total) : jobSeries(service, j, 0, retries, total),
  }));
}
