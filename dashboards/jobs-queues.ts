import * as units from "@grafana/grafana-foundation-sdk/units";
import { JOB_ALERTS, JOB_SERIES } from "../signals/job/rules";
import { queuePanels } from "../signals/queue/dashboard";
import { QUEUE_SERIES } from "../signals/queue/rules";
import type { DashboardContext } from "../kit/dashboards/context";
import { assembleDashboard, PLATFORM_FOLDER, type DashboardArtifact } from "../kit/dashboards/dashboard";
import { runbookLink } from "../kit/dashboards/links";
import { timeseriesPanel } from "../kit/dashboards/panels";
import { labelValuesVariable } from "../kit/dashboards/variables";

/** Queues and jobs of every service, templated by `$service` over the recorded series. */
export function buildJobsQueuesDashboard(ctx: DashboardContext): DashboardArtifact {
  const q = `{service=~"$service", queue=~"$queue"}`;
  const j = `{service=~"$service"}`;
  const legend = "{{service}} {{queue}}";
  return assembleDashboard({
    key: "jobs-and-queues",
    title: "Jobs and queues",
    description: "Queue depth and oldest-message age, dead letters, job failures and retries, by service.",
    folder: PLATFORM_FOLDER,
    tags: ["jobs", "queues"],
    variables: [
      labelValuesVariable("service", "service", `{__name__=~"${QUEUE_SERIES.depth}|${JOB_SERIES.runs}"}`, "Service"),
      labelValuesVariable("queue", "queue", `${QUEUE_SERIES.depth}{service=~"$service"}`, "Queue"),
    ],
    rows: [
      {
        title: "Queues",
        panels: queuePanels({ matchers: q, legends: { depth: legend, age: legend, deadLetters: legend } }, ctx),
      },
      {
        title: "Jobs",
        panels: [
          timeseriesPanel({
            title: "Runs",
            unit: units.OpsPerSecond,
            width: 8,
            queries: [{ expr: `sum by (service, job_name) (${JOB_SERIES.runs}${j})`, legend: "{{service}} {{job_name}}" }],
          }),
          timeseriesPanel({
            title: "Failure ratio",
            unit: units.PercentUnit,
            width: 8,
            min: 0,
            queries: [{ expr: `${JOB_SERIES.failures}${j} / on (service, job_name) ${JOB_SERIES.runs}${j}`, legend: "{{service}} {{job_name}}" }],
            links: [runbookLink(ctx.runbookBaseUrl, JOB_ALERTS.JobFailureSurge)],
          }),
          timeseriesPanel({
            title: "Retries per finished run",
            unit: units.Short,
            width: 8,
            min: 0,
            queries: [{ expr: `${JOB_SERIES.retries}${j} / on (service, job_name) ${JOB_SERIES.runs}${j}`, legend: "{{service}} {{job_name}}" }],
            links: [runbookLink(ctx.runbookBaseUrl, JOB_ALERTS.JobRetrySurge)],
          }),
        ],
      },
    ],
  });
}
