/**
 * The alerts of canary flows, one set per flow in the `<service>.canaries` group, read from the
 * series of metrics.ts only and never from the wall clock (the preview compresses time and
 * refuses `time()`):
 * - a runner flow's alerts read the runner's own counts of runs in a row (`for` would count
 *   evaluations, the runner counts runs);
 * - a blackbox flow's alerts read its Probe's samples, one per run, over the window of its last
 *   runs.
 */
import { durationSeconds, formatDuration, type Duration } from "../../model/duration";
import type { ServiceCore } from "../../model/service-core";
import { aggregate, eq, formatNumber, overTime, selector, type LabelMatcher } from "../../kit/promql";
import { alertingRule } from "../../kit/rule";
import type { AlertingRule, RuleContext, RuleGroup } from "../../kit/rule-types";
import { CANARY_ALERTS } from "./alerts";
import { canaryEngine } from "./engine";
import { BLACKBOX_CANARY_JOB, BLACKBOX_METRICS, RUNNER_JOB, RUNNER_METRICS } from "./metrics";
import type { CanarySpec } from "./spec";

/** The labels every canary expression keeps: which flow of which service. */
export const CANARY_BY = ["service", "canary"] as const;

/** How many schedules may pass without a finished run before `CanaryNotRunning` fires. */
export const NOT_RUNNING_SCHEDULES = 2;

/** A Prometheus duration for a number of seconds (milliseconds when not whole). */
function windowOf(seconds: number): Duration {
  return Number.isInteger(seconds) ? formatDuration(seconds) : (`${Math.round(seconds * 1000)}ms` as Duration);
}

/** The window of a flow's last `runs` runs: `runs` times its schedule. */
export function runsWindow(canary: Pick<CanarySpec, "every">, runs: number): Duration {
  return windowOf(runs * durationSeconds(canary.every));
}

/** The budgets of a flow, seconds: the flow's and every step's. */
function budgetsSeconds(canary: CanarySpec): number[] {
  return [canary.budget, ...canary.steps.map((s) => s.budget)].filter((b): b is Duration => b !== undefined).map(durationSeconds);
}

/**
 * The latency budget a flow's alert holds its runs to, seconds, or undefined without one: the
 * smaller of the flow's and its steps' (a blackbox flow has one step, so one duration to compare).
 * For a runner flow it only says a budget exists: the runner compares each step to its own.
 */
export function canaryBudgetSeconds(canary: CanarySpec): number | undefined {
  const budgets = budgetsSeconds(canary);
  return budgets.length === 0 ? undefined : Math.min(...budgets);
}

/** The matchers of one flow's series: its engine's job, the service, the flow. */
export function canaryMatchers(service: Pick<ServiceCore, "name">, canary: CanarySpec): LabelMatcher[] {
  const job = canaryEngine(canary) === "runner" ? RUNNER_JOB : BLACKBOX_CANARY_JOB;
  return [eq("job", job), eq("service", service.name), eq("canary", canary.name)];
}

/** `<op> by (service, canary) (expr)`. */
function perFlow(op: "max" | "min" | "sum", expr: string): string {
  return aggregate(op, CANARY_BY, expr);
}

/** Free text with `{{`/`}}` split, so Prometheus never reads it as a template (a `{{name}}` in a flow's description). */
function untemplated(text: string): string {
  return text.replace(/\{\{/g, "{ {").replace(/\}\}/g, "} }");
}

/** What every alert of a flow shares: labels, and the flow's description in each description. */
function flowRule(
  service: ServiceCore,
  canary: CanarySpec,
  ctx: RuleContext,
  props: { alert: string; expr: string; severity: "critical" | "warning"; summary: string; description: string },
): AlertingRule {
  return alertingRule(
    {
      alert: props.alert,
      expr: props.expr,
      severity: props.severity,
      service: service.name,
      team: service.team,
      labels: { canary: canary.name },
      summary: props.summary,
      description: `${props.description} The flow proves: ${untemplated(canary.description)}`,
    },
    ctx,
  );
}

/** The alerts of a flow the canary runner runs. */
export function runnerRules(service: ServiceCore, canary: CanarySpec, ctx: RuleContext): AlertingRule[] {
  const m = canaryMatchers(service, canary);
  const name = `${service.name} canary ${canary.name}`;
  const window = runsWindow(canary, NOT_RUNNING_SCHEDULES);
  const runs = selector(RUNNER_METRICS.runs, m);
  const rules = [
    flowRule(service, canary, ctx, {
      alert: CANARY_ALERTS.CanaryFailing,
      expr: `${perFlow("max", selector(RUNNER_METRICS.consecutiveFailures, m))} >= ${canary.failAfterRuns}`,
      severity: "critical",
      summary: `${name} failed its last ${canary.failAfterRuns} runs`,
      description: `The canary flow ${canary.name} of ${service.name}, run every ${canary.every} by the canary runner, failed ${canary.failAfterRuns} runs in a row: users doing the same most likely fail too.`,
    }),
  ];
  if (canaryBudgetSeconds(canary) !== undefined) {
    rules.push(
      flowRule(service, canary, ctx, {
        alert: CANARY_ALERTS.CanarySlow,
        expr: `${perFlow("max", selector(RUNNER_METRICS.consecutiveSlowRuns, m))} >= ${canary.slowAfterRuns}`,
        severity: "warning",
        summary: `${name} was over its budget in its last ${canary.slowAfterRuns} runs`,
        description: `The canary flow ${canary.name} of ${service.name} (or one of its steps) took longer than its budget in ${canary.slowAfterRuns} runs in a row.`,
      }),
    );
  }
  rules.push(
    flowRule(service, canary, ctx, {
      alert: CANARY_ALERTS.CanaryNotRunning,
      // No run finished in the window (the counter stands still, a flow hangs), or the runner's
      // series are gone (the runner is down or not scraped). `absent_over_time` yields the labels
      // of the equality matchers (job too): aggregating it keeps the two branches' label sets equal.
      expr: `${perFlow("sum", overTime("increase", runs, window))} == 0\nor\n${perFlow("max", overTime("absent_over_time", runs, window))}`,
      severity: "warning",
      summary: `${name} has not run for ${window}`,
      description: `No run of the canary flow ${canary.name} of ${service.name} finished within ${window}, twice its schedule (every ${canary.every}): the canary runner is down, not scraped, or the flow hangs, and a failure would go unseen.`,
    }),
  );
  return rules;
}

/** The alerts of a flow the blackbox exporter probes. */
export function blackboxRules(service: ServiceCore, canary: CanarySpec, ctx: RuleContext): AlertingRule[] {
  const m = canaryMatchers(service, canary);
  const name = `${service.name} canary ${canary.name}`;
  const success = selector(BLACKBOX_METRICS.success, m);
  const duration = selector(BLACKBOX_METRICS.duration, m);
  /**
   * `series` held `condition` in each of the last `runs` runs. The Probe scrapes once per run, so
   * a window of `runs` schedules holds `runs` samples; Prometheus 2 (the promtool the tests run)
   * includes both ends of a range, so when a sample sits exactly on the window's left edge it holds
   * `runs + 1`, and the alert fires one evaluation later, once that older sample leaves (Prometheus
   * 3 leaves the left end open: always `runs`). The count keeps a probe that has run fewer times
   * (just started, or missing scrapes) from firing on too few runs.
   */
  const lastRuns = (series: string, over: "max_over_time" | "min_over_time", condition: string, runs: number) => {
    const window = runsWindow(canary, runs);
    const op = over === "max_over_time" ? "max" : "min";
    return `${perFlow(op, overTime(over, series, window))} ${condition}\nand\n${perFlow("min", overTime("count_over_time", series, window))} >= ${runs}`;
  };
  const rules = [
    flowRule(service, canary, ctx, {
      alert: CANARY_ALERTS.CanaryFailing,
      expr: lastRuns(success, "max_over_time", "== 0", canary.failAfterRuns),
      severity: "critical",
      summary: `${name} failed its last ${canary.failAfterRuns} runs`,
      description: `The blackbox probe of the canary flow ${canary.name} of ${service.name}, run every ${canary.every}, failed ${canary.failAfterRuns} runs in a row: users doing the same most likely fail too.`,
    }),
  ];
  const budget = canaryBudgetSeconds(canary);
  if (budget !== undefined) {
    rules.push(
      flowRule(service, canary, ctx, {
        alert: CANARY_ALERTS.CanarySlow,
        expr: lastRuns(duration, "min_over_time", `> ${formatNumber(budget)}`, canary.slowAfterRuns),
        severity: "warning",
        summary: `${name} was over its ${formatNumber(budget)}s budget in its last ${canary.slowAfterRuns} runs`,
        description: `The blackbox probe of the canary flow ${canary.name} of ${service.name} took longer than ${formatNumber(budget)}s in ${canary.slowAfterRuns} runs in a row.`,
      }),
    );
  }
  const window = runsWindow(canary, NOT_RUNNING_SCHEDULES);
  rules.push(
    flowRule(service, canary, ctx, {
      alert: CANARY_ALERTS.CanaryNotRunning,
      expr: overTime("absent_over_time", success, window),
      severity: "warning",
      summary: `${name} has not run for ${window}`,
      description: `No probe of the canary flow ${canary.name} of ${service.name} was recorded within ${window}, twice its schedule (every ${canary.every}): its Probe, the blackbox exporter or their scrape is missing, and a failure would go unseen.`,
    }),
  );
  return rules;
}

/** The alerts of one flow, by its engine. */
export function canaryRules(service: ServiceCore, canary: CanarySpec, ctx: RuleContext): AlertingRule[] {
  return canaryEngine(canary) === "runner" ? runnerRules(service, canary, ctx) : blackboxRules(service, canary, ctx);
}

/**
 * The `<service>.canaries` group: every flow's alerts, in the spec's order. The flows are those
 * the caller passes: for an environment, the ones that run there (environments.ts `canariesIn`),
 * or a flow that never runs would raise `CanaryNotRunning` forever.
 */
export function canaryRuleGroups(service: ServiceCore, canaries: readonly CanarySpec[], ctx: RuleContext): RuleGroup[] {
  if (canaries.length === 0) return [];
  return [{ name: `${service.name}.canaries`, rules: canaries.flatMap((c) => canaryRules(service, c, ctx)) }];
}
