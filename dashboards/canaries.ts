import * as units from "@grafana/grafana-foundation-sdk/units";
import { CANARY_ALERTS } from "../signals/canary/alerts";
import { canaryPanels } from "../signals/canary/dashboard";
import { BLACKBOX_CANARY_JOB, BLACKBOX_METRICS, RUNNER_JOB, RUNNER_METRICS } from "../signals/canary/metrics";
import type { DashboardContext } from "../kit/dashboards/context";
import { assembleDashboard, PLATFORM_FOLDER, type DashboardArtifact } from "../kit/dashboards/dashboard";
import { runbookLink } from "../kit/dashboards/links";
import { statPanel, timeseriesPanel } from "../kit/dashboards/panels";
import { labelValuesVariable } from "../kit/dashboards/variables";

/** How far back the dashboard looks for a blackbox flow's last run and last success: above every schedule. */
const LOOKBACK = "1h";

/** Every canary series of both engines, for the variables. */
const CANARY_SERIES = `{__name__=~"${RUNNER_METRICS.runs}|${BLACKBOX_METRICS.success}", job=~"${RUNNER_JOB}|${BLACKBOX_CANARY_JOB}"}`;

/**
 * Every canary flow of every service, templated by `$team` and `$service`: the last run, how long
 * ago one passed, duration against budget, failures by step and reason, runs per hour. The runner's
 * series are labelled `service` and `canary` and the Probes' also `team`: the team filter matches a
 * series without `team` only when it is "All".
 */
export function buildCanariesDashboard(ctx: DashboardContext): DashboardArtifact {
  const matchers = `team=~"$team", service=~"$service"`;
  const runner = (metric: string) => `${metric}{job="${RUNNER_JOB}", ${matchers}}`;
  const probe = (metric: string) => `${metric}{job="${BLACKBOX_CANARY_JOB}", ${matchers}}`;
  const legend = "{{service}} {{canary}}";
  return assembleDashboard({
    key: "canaries",
    title: "Canaries",
    description:
      "Scheduled canary flows of every service, by the canary runner and the blackbox exporter: last run, success age, duration against budget, failures by step and reason, runs per hour.",
    folder: PLATFORM_FOLDER,
    tags: ["canaries", "probes"],
    variables: [labelValuesVariable("team", "team", CANARY_SERIES, "Team"), labelValuesVariable("service", "service", CANARY_SERIES, "Service")],
    rows: [
      {
        title: "Flows",
        panels: canaryPanels({ matchers, by: ["service", "canary"], engines: { runner: true, blackbox: true }, lastRunWindow: LOOKBACK }, ctx),
      },
      {
        title: "Runs",
        panels: [
          statPanel({
            title: "Last success age",
            description: `Time since the flow last passed (a blackbox flow: blank when none passed within ${LOOKBACK}).`,
            unit: units.Seconds,
            width: 8,
            height: 8,
            queries: [
              { expr: `time() - max by (service, canary) (${runner(RUNNER_METRICS.lastSuccess)})`, legend },
              { expr: `time() - max by (service, canary) (max_over_time(timestamp(${probe(BLACKBOX_METRICS.success)} == 1)[${LOOKBACK}:1m]))`, legend },
            ],
            links: [runbookLink(ctx.runbookBaseUrl, CANARY_ALERTS.CanaryFailing)],
          }),
          timeseriesPanel({
            title: "Runs per hour",
            unit: units.Short,
            width: 8,
            min: 0,
            queries: [
              { expr: `sum by (service, canary) (increase(${runner(RUNNER_METRICS.runs)}[1h]))`, legend },
              { expr: `sum by (service, canary) (count_over_time(${probe(BLACKBOX_METRICS.success)}[1h]))`, legend },
            ],
            links: [runbookLink(ctx.runbookBaseUrl, CANARY_ALERTS.CanaryNotRunning)],
          }),
          timeseriesPanel({
            title: "Failed runs per hour",
            unit: units.Short,
            width: 8,
            min: 0,
            queries: [
              { expr: `sum by (service, canary) (increase(${RUNNER_METRICS.runs}{job="${RUNNER_JOB}", result="failure", ${matchers}}[1h]))`, legend },
              {
                expr: `sum by (service, canary) (count_over_time(${probe(BLACKBOX_METRICS.success)}[1h]) - sum_over_time(${probe(BLACKBOX_METRICS.success)}[1h]))`,
                legend,
              },
            ],
            links: [runbookLink(ctx.runbookBaseUrl, CANARY_ALERTS.CanaryFailing)],
          }),
        ],
      },
    ],
  });
}
