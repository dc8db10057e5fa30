/** Background jobs: failure and retry surges per job name (normalised to the `job_name` label). */
import type { ServiceCore } from "../../model/service-core";
import { BASE_RATE_WINDOW, anyOfRegex, copyLabel, eq, formatNumber, rate, re, safeRatio, selector, sumBy, type LabelMatcher } from "../../kit/promql";
import { alertingRule, recordingRule } from "../../kit/rule";
import type { JobsSpec } from "./spec";
import type { RuleContext, RuleGroup } from "../../kit/rule-types";

/** The alerts of the kind. */
export const JOB_ALERTS = { JobFailureSurge: "JobFailureSurge", JobRetrySurge: "JobRetrySurge" } as const;

/** The label job alerts name the job in: the metric's own label (`name`, `job_type`) copied, as `job` is the scrape job. */
export const JOB_NAME_LABEL = "job_name";

/** Job rates per `job_name`, labelled `service`, so dashboards read every service's jobs alike. */
export const JOB_SERIES = {
  runs: "service_job:runs:rate5m",
  failures: "service_job:failures:rate5m",
  retries: "service_job:retries:rate5m",
} as const;

/** The `<service>.jobs` group, or nothing without `jobs`. */
export function jobRuleGroups(service: ServiceCore, jobs: JobsSpec | undefined, ctx: RuleContext): RuleGroup[] {
  if (jobs === undefined) return [];
  const perJob = (metric: string, matchers: LabelMatcher[] = []) =>
    sumBy([JOB_NAME_LABEL], copyLabel(rate(selector(metric, [eq("job", service.metrics.job), ...matchers]), BASE_RATE_WINDOW), jobs.nameLabel, JOB_NAME_LABEL));
  const runs = perJob(jobs.runsMetric);
  const base = { service: service.name, team: service.team, for: jobs.for, severity: "warning" as const };
  const labels = { service: service.name };
  const records = [
    recordingRule({ record: JOB_SERIES.runs, expr: runs, labels }),
    recordingRule({ record: JOB_SERIES.failures, expr: perJob(jobs.runsMetric, [re(jobs.resultLabel, anyOfRegex(jobs.failureResults))]), labels }),
    ...(jobs.retriesMetric !== undefined ? [recordingRule({ record: JOB_SERIES.retries, expr: perJob(jobs.retriesMetric), labels })] : []),
  ];
  const failures = formatNumber(jobs.maxFailureRatio * 100);
  const rules = [
    alertingRule(
      {
        ...base,
        alert: JOB_ALERTS.JobFailureSurge,
        expr: `${safeRatio(perJob(jobs.runsMetric, [re(jobs.resultLabel, anyOfRegex(jobs.failureResults))]), runs)} > ${formatNumber(jobs.maxFailureRatio)}`,
        summary: `${service.name}: job {{ $labels.${JOB_NAME_LABEL} }} fails more than ${failures}% of its runs`,
        description: `Over the last 5m more than ${failures}% of the runs of job {{ $labels.${JOB_NAME_LABEL} }} of ${service.name} ended as ${jobs.failureResults.join(" or ")}, for ${jobs.for}.`,
      },
      ctx,
    ),
  ];
  if (jobs.retriesMetric !== undefined) {
    const retries = formatNumber(jobs.maxRetryRatio);
    rules.push(
      alertingRule(
        {
          ...base,
          alert: JOB_ALERTS.JobRetrySurge,
          // Retries per finished run; retrying while no run finished in 5m reads as a surge too.
          expr: `${safeRatio(perJob(jobs.retriesMetric), runs)} > ${retries}`,
          summary: `${service.name}: job {{ $labels.${JOB_NAME_LABEL} }} retries more than ${retries} times per run`,
          description: `Over the last 5m job {{ $labels.${JOB_NAME_LABEL} }} of ${service.name} retried more than ${retries} times per finished run, for ${jobs.for}: a dependency is failing or a poison message loops.`,
        },
        ctx,
      ),
    );
  }
  return [{ name: `${service.name}.jobs`, rules: [...records, ...rules] }];
}
