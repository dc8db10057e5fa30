/** The jobs row of a service's dashboard. */
import * as units from "@grafana/grafana-foundation-sdk/units";
import type { ServiceCore } from "../../model/service-core";
import type { DashboardContext } from "../../kit/dashboards/context";
import type { PanelRow } from "../../kit/dashboards/layout";
import { runbookLink } from "../../kit/dashboards/links";
import { timeseriesPanel } from "../../kit/dashboards/panels";
import type { PanelSpec } from "../../kit/dashboards/grid";
import { JOB_ALERTS, JOB_SERIES } from "./rules";
import type { JobsSpec } from "./spec";

/**
 * Job runs of one service, from the recorded per-job rates the job alerts are built on: runs and
 * failures, failure ratio and retries per run against the alert thresholds.
 */
export function jobRows(service: ServiceCore, jobs: JobsSpec, ctx: DashboardContext): PanelRow[] {
  const m = `{service="${service.name}"}`;
  const perRun = (series: string) => `${series}${m} / on (service, job_name) ${JOB_SERIES.runs}${m}`;
  const panels: PanelSpec[] = [
    timeseriesPanel({
      title: "Runs and failures by job",
      unit: units.OpsPerSecond,
      width: 8,
      queries: [
        { expr: `${JOB_SERIES.runs}${m}`, legend: "runs {{job_name}}" },
        { expr: `${JOB_SERIES.failures}${m}`, legend: "failures {{job_name}}" },
      ],
    }),
    timeseriesPanel({
      title: "Failure ratio by job",
      unit: units.PercentUnit,
      width: 8,
      min: 0,
      thresholds: [{ value: jobs.maxFailureRatio, color: "red" }],
      queries: [{ expr: perRun(JOB_SERIES.failures), legend: "{{job_name}}" }],
      links: [runbookLink(ctx.runbookBaseUrl, JOB_ALERTS.JobFailureSurge)],
    }),
  ];
  if (jobs.retriesMetric !== undefined) {
    panels.push(
      timeseriesPanel({
        title: "Retries per finished run",
        unit: units.Short,
        width: 8,
        min: 0,
        thresholds: [{ value: jobs.maxRetryRatio, color: "red" }],
        queries: [{ expr: perRun(JOB_SERIES.retries), legend: "{{job_name}}" }],
        links: [runbookLink(ctx.runbookBaseUrl, JOB_ALERTS.JobRetrySurge)],
      }),
    );
  }
  return [{ title: `Jobs of ${service.name}`, panels }];
}
