/** Background jobs: failure and retry surges per job name (spec field `jobs`). */
import { defineSignalKind } from "../kind";
import { counter } from "../../kit/synthetic-series";
import { JOB_FAULTS, jobSimulation } from "./simulation";
import { jobRows } from "./dashboard";
import { jobAlertCases, jobHealthySeries } from "./promtool";
import { JOB_ALERTS, jobRuleGroups } from "./rules";
import { jobsSchema } from "./spec";

export const jobKind = defineSignalKind({
  name: "job",
  part: { field: "jobs", schema: jobsSchema.optional() },
  alertNames: Object.values(JOB_ALERTS),
  ruleGroups: jobRuleGroups,
  dashboard: { rows: jobRows },
  syntheticSeries: (service, jobs) =>
    ["import", "score"].flatMap((name) => {
      const labels = { job: service.metrics.job, [jobs.nameLabel]: name };
      return [
        counter(jobs.runsMetric, { ...labels, [jobs.resultLabel]: "success" }, 0.5),
        counter(jobs.runsMetric, { ...labels, [jobs.resultLabel]: "failure" }, 0.005),
        ...(jobs.retriesMetric ? [counter(jobs.retriesMetric, labels, 0.01)] : []),
      ];
    }),
  faults: JOB_FAULTS,
  simulation: jobSimulation,
  faultExamples: () => [{ patch: { jobFailureRatio: 0.5 }, raises: "JobFailureSurge" }],
  promtool: { alertCases: jobAlertCases, healthySeries: jobHealthySeries },
});
