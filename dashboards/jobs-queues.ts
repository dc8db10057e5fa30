import { ALERT_NAMES } from "../alert-rules/alert-names";
import { QUEUE_SERIES } from "../alert-rules/queues";
import type { QueueSpec, ServiceSpec } from "../alert-rules/service-spec";
import type { DashboardContext } from "./context";
import { assembleDashboard, PLATFORM_FOLDER, type DashboardArtifact } from "./dashboard";
import type { PanelRow } from "./layout";
import { runbookLink } from "./links";
import { timeseriesPanel, type PanelSpec } from "./panels";

/** One queue: depth against its backlog limit, oldest message age against its SLA, dead letters. */
export function queueRow(service: ServiceSpec, queue: QueueSpec, ctx: DashboardContext): PanelRow {
  const m = `{service="${service.name}", queue="${queue.name}"}`;
  const panels: PanelSpec[] = [
    timeseriesPanel({
      title: "Depth",
      unit: "short",
      width: 8,
      min: 0,
      thresholds: [{ value: queue.maxDepth, color: "red" }],
      queries: [{ expr: `${QUEUE_SERIES.depth}${m}`, legend: "waiting" }],
      links: [runbookLink(ctx.runbookBaseUrl, ALERT_NAMES.QueueBacklogHigh)],
    }),
    timeseriesPanel({
      title: "Oldest message age",
      unit: "s",
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
        unit: "short",
        width: 8,
        min: 0,
        queries: [{ expr: `max(${queue.deadLetterMetric}{job="${service.metrics.job}", ${queue.queueLabel}="${queue.name}"})`, legend: "dead letters" }],
        links: [runbookLink(ctx.runbookBaseUrl, ALERT_NAMES.DeadLetterGrowing)],
      }),
    );
  }
  return { title: `Queue ${queue.name} of ${service.name} (SLA ${queue.slaSeconds}s)`, panels };
}

/** Job runs of one service: failure ratio and retries per job name. */
export function jobsRow(service: ServiceSpec, ctx: DashboardContext): PanelRow | undefined {
  const jobs = service.jobs;
  if (jobs === undefined) return undefined;
  const job = `job="${service.metrics.job}"`;
  const byName = `sum by (${jobs.nameLabel})`;
  const failed = `${jobs.resultLabel}=~"${jobs.failureResults.join("|")}"`;
  const panels: PanelSpec[] = [
    timeseriesPanel({ title: "Runs by result", unit: "ops", width: 8, queries: [{ expr: `sum by (${jobs.resultLabel}) (rate(${jobs.runsMetric}{${job}}[$__rate_interval]))`, legend: `{{${jobs.resultLabel}}}` }] }),
    timeseriesPanel({
      title: "Failure ratio by job",
      unit: "percentunit",
      width: 8,
      min: 0,
      thresholds: [{ value: jobs.maxFailureRatio, color: "red" }],
      queries: [
        {
          expr: `${byName} (rate(${jobs.runsMetric}{${job}, ${failed}}[$__rate_interval])) / ${byName} (rate(${jobs.runsMetric}{${job}}[$__rate_interval]))`,
          legend: `{{${jobs.nameLabel}}}`,
        },
      ],
      links: [runbookLink(ctx.runbookBaseUrl, ALERT_NAMES.JobFailureSurge)],
    }),
  ];
  if (jobs.retriesMetric !== undefined) {
    panels.push(
      timeseriesPanel({
        title: "Retries per finished run",
        unit: "short",
        width: 8,
        min: 0,
        thresholds: [{ value: jobs.maxRetryRatio, color: "red" }],
        queries: [
          {
            expr: `${byName} (rate(${jobs.retriesMetric}{${job}}[$__rate_interval])) / ${byName} (rate(${jobs.runsMetric}{${job}}[$__rate_interval]))`,
            legend: `{{${jobs.nameLabel}}}`,
          },
        ],
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

/** Every queue and job of the catalog. */
export function buildJobsQueuesDashboard(services: readonly ServiceSpec[], ctx: DashboardContext): DashboardArtifact {
  return assembleDashboard({
    title: "Jobs and queues",
    description: "Queue depth and oldest-message age against their SLA, dead letters, job failures and retries.",
    folder: PLATFORM_FOLDER,
    tags: ["jobs", "queues"],
    rows: services.flatMap((s) => jobsAndQueuesRows(s, ctx)),
  });
}
