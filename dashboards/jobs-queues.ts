import * as units from "@grafana/grafana-foundation-sdk/units";
import { ALERT_NAMES } from "../signals/alert-names";
import { JOB_SERIES } from "../signals/job/rules";
import { QUEUE_SERIES } from "../signals/queue/rules";
import type { QueueSpec, ServiceSpec } from "../signals/service-spec";
import type { DashboardContext } from "./context";
import { assembleDashboard, PLATFORM_FOLDER, type DashboardArtifact } from "./dashboard";
import type { PanelRow } from "./layout";
import { runbookLink } from "./links";
import { timeseriesPanel, type PanelSpec } from "./panels";
import { labelValuesVariable } from "./variables";

/** One queue: depth against its backlog limit, oldest message age against its SLA, dead letters. */
export function queueRow(service: ServiceSpec, queue: QueueSpec, ctx: DashboardContext): PanelRow {
  const m = `{service="${service.name}", queue="${queue.name}"}`;
  const panels: PanelSpec[] = [
    timeseriesPanel({
      title: "Depth",
      unit: units.Short,
      width: 8,
      min: 0,
      thresholds: [{ value: queue.maxDepth, color: "red" }],
      queries: [{ expr: `${QUEUE_SERIES.depth}${m}`, legend: "waiting" }],
      links: [runbookLink(ctx.runbookBaseUrl, ALERT_NAMES.QueueBacklogHigh)],
    }),
    timeseriesPanel({
      title: "Oldest message age",
      unit: units.Seconds,
      width: 8,
      min: 0,
      thresholds: [{ value: queue.slaSeconds, color: "red" }],
      queries: [{ expr: `${QUEUE_SERIES.age}${m}`, legend: "age" }],
      links: [runbookLink(ctx.runbookBaseUrl, ALERT_NAMES.QueueOldestMessageAgeHigh), runbookLink(ctx.runbookBaseUrl, ALERT_NAMES.QueueSLABreachForecast)],
    }),
  ];
  if (queue.deadLetterMetric !== undefined) {
    panels.push(
      timeseriesPanel({
        title: "Dead letters",
        unit: units.Short,
        width: 8,
        min: 0,
        queries: [{ expr: `${QUEUE_SERIES.deadLetters}${m}`, legend: "dead letters" }],
        links: [runbookLink(ctx.runbookBaseUrl, ALERT_NAMES.DeadLetterGrowing)],
      }),
    );
  }
  return { title: `Queue ${queue.name} of ${service.name} (SLA ${queue.slaSeconds}s)`, panels };
}

/**
 * Job runs of one service, from the recorded per-job rates the job alerts are built on: runs and
 * failures, failure ratio and retries per run against the alert thresholds.
 */
export function jobsRow(service: ServiceSpec, ctx: DashboardContext): PanelRow | undefined {
  const jobs = service.jobs;
  if (jobs === undefined) return undefined;
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
      links: [runbookLink(ctx.runbookBaseUrl, ALERT_NAMES.JobFailureSurge)],
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
        links: [runbookLink(ctx.runbookBaseUrl, ALERT_NAMES.JobRetrySurge)],
      }),
    );
  }
  return { title: `Jobs of ${service.name}`, panels };
}

/** Queues and jobs of one service. */
export function jobsAndQueuesRows(service: ServiceSpec, ctx: DashboardContext): PanelRow[] {
  const jobs = jobsRow(service, ctx);
  return [...service.queues.map((q) => queueRow(service, q, ctx)), ...(jobs ? [jobs] : [])];
}

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
        panels: [
          timeseriesPanel({ title: "Depth", unit: units.Short, width: 8, min: 0, queries: [{ expr: `${QUEUE_SERIES.depth}${q}`, legend }], links: [runbookLink(ctx.runbookBaseUrl, ALERT_NAMES.QueueBacklogHigh)] }),
          timeseriesPanel({
            title: "Oldest message age",
            unit: units.Seconds,
            width: 8,
            min: 0,
            queries: [{ expr: `${QUEUE_SERIES.age}${q}`, legend }],
            links: [runbookLink(ctx.runbookBaseUrl, ALERT_NAMES.QueueOldestMessageAgeHigh), runbookLink(ctx.runbookBaseUrl, ALERT_NAMES.QueueSLABreachForecast)],
          }),
          timeseriesPanel({ title: "Dead letters", unit: units.Short, width: 8, min: 0, queries: [{ expr: `${QUEUE_SERIES.deadLetters}${q}`, legend }], links: [runbookLink(ctx.runbookBaseUrl, ALERT_NAMES.DeadLetterGrowing)] }),
        ],
      },
      {
        title: "Jobs",
        panels: [
          timeseriesPanel({ title: "Runs", unit: units.OpsPerSecond, width: 8, queries: [{ expr: `sum by (service, job_name) (${JOB_SERIES.runs}${j})`, legend: "{{service}} {{job_name}}" }] }),
          timeseriesPanel({
            title: "Failure ratio",
            unit: units.PercentUnit,
            width: 8,
            min: 0,
            queries: [{ expr: `${JOB_SERIES.failures}${j} / on (service, job_name) ${JOB_SERIES.runs}${j}`, legend: "{{service}} {{job_name}}" }],
            links: [runbookLink(ctx.runbookBaseUrl, ALERT_NAMES.JobFailureSurge)],
          }),
          timeseriesPanel({
            title: "Retries per finished run",
            unit: units.Short,
            width: 8,
            min: 0,
            queries: [{ expr: `${JOB_SERIES.retries}${j} / on (service, job_name) ${JOB_SERIES.runs}${j}`, legend: "{{service}} {{job_name}}" }],
            links: [runbookLink(ctx.runbookBaseUrl, ALERT_NAMES.JobRetrySurge)],
          }),
        ],
      },
    ],
  });
}
