/**
 * The canary panels: each flow's last run, how long runs take against the budget, failed runs in a
 * row, and for runner flows each step's duration and its failures by reason. A service's row shows
 * its own flows; the Canaries dashboard (dashboards/canaries.ts) every flow of every service.
 */
import * as units from "@grafana/grafana-foundation-sdk/units";
import { durationSeconds, formatDuration, type Duration } from "../../model/duration";
import type { ServiceCore } from "../../model/service-core";
import type { DashboardContext } from "../../kit/dashboards/context";
import type { PanelSpec } from "../../kit/dashboards/grid";
import type { PanelRow } from "../../kit/dashboards/layout";
import { runbookLink } from "../../kit/dashboards/links";
import { statPanel, timeseriesPanel, type ThresholdStep } from "../../kit/dashboards/panels";
import { quote } from "../../kit/promql";
import { CANARY_ALERTS } from "./alerts";
import { canaryEngine } from "./engine";
import { BLACKBOX_CANARY_JOB, BLACKBOX_METRICS, RUNNER_JOB, RUNNER_METRICS } from "./metrics";
import { canaryBudgetSeconds, NOT_RUNNING_SCHEDULES, runsWindow } from "./rules";
import type { CanarySpec } from "./spec";

/** What the canary panels show: which flows, by which labels, and the limits all of them share. */
export interface CanaryPanelsOptions {
  /** Matchers (without braces) every canary series is filtered by besides its job: `service="edge"`, `service=~"$service"`. */
  readonly matchers: string;
  /** Labels a series is kept by: `["canary"]` in a service's row, `["service", "canary"]` across services. */
  readonly by: readonly string[];
  /** Whether any flow runs in the canary runner (step panels) or the blackbox exporter (probe panels). */
  readonly engines: { readonly runner: boolean; readonly blackbox: boolean };
  /** How far back a blackbox flow's last run is looked for: in a service's row, twice its longest schedule. */
  readonly lastRunWindow: Duration;
  /** The budget every budgeted flow shares, drawn as a threshold. @default - none (flows differ, or have none) */
  readonly budgetSeconds?: number;
  /** The `failAfterRuns` every runner flow shares, drawn as a threshold. @default - none (flows differ) */
  readonly failAfterRuns?: number;
}

/** `{job="<job>", <matchers>}`. */
function flowSelector(metric: string, job: string, matchers: string): string {
  return `${metric}{job=${quote(job)}${matchers === "" ? "" : `, ${matchers}`}}`;
}

/** The one value all of `values` share, or undefined when they differ or there are none. */
export function sharedValue(values: readonly (number | undefined)[]): number | undefined {
  const distinct = [...new Set(values)];
  return distinct.length === 1 ? distinct[0] : undefined;
}

function threshold(value: number | undefined, color: ThresholdStep["color"]): { thresholds?: ThresholdStep[] } {
  return value === undefined ? {} : { thresholds: [{ value, color }] };
}

/** The canary panels of {@link CanaryPanelsOptions}. */
export function canaryPanels(options: CanaryPanelsOptions, ctx: DashboardContext): PanelSpec[] {
  const { matchers, engines } = options;
  const by = options.by.join(", ");
  const legend = options.by.map((l) => `{{${l}}}`).join(" ");
  const runner = (metric: string) => flowSelector(metric, RUNNER_JOB, matchers);
  const probe = (metric: string) => flowSelector(metric, BLACKBOX_CANARY_JOB, matchers);
  const failing = [runbookLink(ctx.runbookBaseUrl, CANARY_ALERTS.CanaryFailing)];
  const either = (runnerQuery: string, blackboxQuery: string, suffix = "") => [
    ...(engines.runner ? [{ expr: runnerQuery, legend: `${legend}${suffix}` }] : []),
    ...(engines.blackbox ? [{ expr: blackboxQuery, legend: `${legend}${suffix}` }] : []),
  ];
  const panels: PanelSpec[] = [
    statPanel({
      title: "Last run",
      description: `1 when the flow's last run passed every step (a blackbox flow: its last probe within ${options.lastRunWindow}).`,
      unit: units.BoolOnOff,
      width: 6,
      height: 8,
      baseColor: "red",
      thresholds: [{ value: 1, color: "green" }],
      queries: either(
        `min by (${by}) (${runner(RUNNER_METRICS.success)})`,
        `min by (${by}) (last_over_time(${probe(BLACKBOX_METRICS.success)}[${options.lastRunWindow}]))`,
      ),
      links: [...failing, runbookLink(ctx.runbookBaseUrl, CANARY_ALERTS.CanaryNotRunning)],
    }),
    timeseriesPanel({
      title: "Run duration vs budget",
      unit: units.Seconds,
      width: 9,
      min: 0,
      ...threshold(options.budgetSeconds, "red"),
      queries: either(`max by (${by}) (${runner(RUNNER_METRICS.duration)})`, `max by (${by}) (${probe(BLACKBOX_METRICS.duration)})`),
      links: [runbookLink(ctx.runbookBaseUrl, CANARY_ALERTS.CanarySlow)],
    }),
  ];
  if (engines.runner) {
    panels.push(
      timeseriesPanel({
        title: "Consecutive failures",
        description: "Failed runs in a row of runner flows; CanaryFailing fires at the flow's failAfterRuns.",
        unit: units.Short,
        width: 9,
        min: 0,
        ...threshold(options.failAfterRuns, "red"),
        queries: [{ expr: `max by (${by}) (${runner(RUNNER_METRICS.consecutiveFailures)})`, legend }],
        links: failing,
      }),
      timeseriesPanel({
        title: "Step durations",
        unit: units.Seconds,
        width: 12,
        min: 0,
        queries: [{ expr: `max by (${by}, step) (${runner(RUNNER_METRICS.stepDuration)})`, legend: `${legend} {{step}}` }],
        links: [runbookLink(ctx.runbookBaseUrl, CANARY_ALERTS.CanarySlow)],
      }),
      timeseriesPanel({
        title: "Step failures by reason (per hour)",
        unit: units.Short,
        width: 12,
        min: 0,
        queries: [{ expr: `sum by (${by}, step, reason) (increase(${runner(RUNNER_METRICS.stepFailures)}[1h]))`, legend: `${legend} {{step}} {{reason}}` }],
        links: failing,
      }),
    );
  }
  if (engines.blackbox) {
    panels.push(
      timeseriesPanel({
        title: "Probe success",
        unit: units.BoolOnOff,
        width: 12,
        min: 0,
        max: 1,
        queries: [{ expr: `min by (${by}) (${probe(BLACKBOX_METRICS.success)})`, legend }],
        links: failing,
      }),
      timeseriesPanel({
        title: "Probe duration",
        unit: units.Seconds,
        width: 12,
        min: 0,
        ...threshold(options.budgetSeconds, "red"),
        queries: [{ expr: `max by (${by}) (${probe(BLACKBOX_METRICS.duration)})`, legend }],
        links: [runbookLink(ctx.runbookBaseUrl, CANARY_ALERTS.CanarySlow)],
      }),
    );
  }
  return panels;
}

/**
 * The budget a whole run is held to, seconds: a runner flow's own `budget` (its steps' budgets are
 * for its steps), a blackbox flow's smaller of its and its one step's.
 */
function runBudgetSeconds(canary: CanarySpec): number | undefined {
  if (canaryEngine(canary) === "blackbox") return canaryBudgetSeconds(canary);
  return canary.budget === undefined ? undefined : durationSeconds(canary.budget);
}

/** The panel options of one service's flows: its own series, the limits its flows share. */
export function serviceCanaryPanelsOptions(service: Pick<ServiceCore, "name">, canaries: readonly CanarySpec[]): CanaryPanelsOptions {
  const runnerFlows = canaries.filter((c) => canaryEngine(c) === "runner");
  const blackboxFlows = canaries.filter((c) => canaryEngine(c) === "blackbox");
  const budgets = canaries.map(runBudgetSeconds).filter((b) => b !== undefined);
  const failAfterRuns = sharedValue(runnerFlows.map((c) => c.failAfterRuns));
  const longestEvery = Math.max(0, ...blackboxFlows.map((c) => durationSeconds(c.every)));
  const budgetSeconds = sharedValue(budgets);
  return {
    matchers: `service=${quote(service.name)}`,
    by: ["canary"],
    engines: { runner: runnerFlows.length > 0, blackbox: blackboxFlows.length > 0 },
    lastRunWindow: runsWindow({ every: formatDuration(Math.max(60, Math.ceil(longestEvery))) }, NOT_RUNNING_SCHEDULES),
    ...(budgetSeconds === undefined ? {} : { budgetSeconds }),
    ...(failAfterRuns === undefined ? {} : { failAfterRuns }),
  };
}

/** The `Canaries of <service>` row: every flow of the service. */
export function canaryRows(service: ServiceCore, canaries: readonly CanarySpec[], ctx: DashboardContext): PanelRow[] {
  if (canaries.length === 0) return [];
  return [{ title: `Canaries of ${service.name}`, panels: canaryPanels(serviceCanaryPanelsOptions(service, canaries), ctx) }];
}
