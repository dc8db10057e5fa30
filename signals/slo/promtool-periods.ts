/**
 * promtool cases of what happens at a point in wall-clock time: a deadline SLO's batch read after
 * its deadline (a miss over the budget burns it and fires, one under it stays quiet, the alert
 * resolves), and an error budget starting afresh when its period moves on (the calendar month on
 * the 1st, 00:00 UTC; a rolling period once the bad hours leave it).
 *
 * Fixtures start at the unix epoch, Thursday 1970-01-01 00:00 UTC, so Monday 09:00 is minute 6300
 * and February begins at minute 44640: days or weeks of fixture time, made cheap as follows.
 *
 * How promtool 2.42 runs a test group (cmd/promtool/unittest.go at v2.42.0, `testGroup.test`; the
 * loop is the same in later releases): it loads the rule files with the rule manager, then steps a
 * timestamp from 0 to the group's latest `eval_time` by the test file's `evaluation_interval` and
 * calls `Eval` on every group at every step. A group's own `interval` is parsed but never
 * consulted: the budget group, every 5m when deployed, runs at every step like the others. Alert
 * tests compare the alerts of the step `ts` with `ts <= eval_time < ts + interval`; PromQL tests
 * query the stored samples at their `eval_time`. The groups run in Go map order (`orderedGroups`
 * sorts only by `group_eval_order`), which changes from run to run: a budget group evaluated before
 * the rates it reads at an hourly step finds nothing within the 5m lookback, so suites name their
 * groups in `group_eval_order` (kit/promtool/suite.ts). A case's cost is its steps times the rules of its
 * file (about 0.25 ms per rule and step for the SLO rules, whose tiles are long expressions), so a
 * long case is cheap only with fewer steps and fewer rules:
 * - deadline cases run on the SLO's own rules at a 5m step ({@link LONG_CASE_STEP_MINUTES}), input
 *   sampled every 5m too. Every tile offset is a multiple of 5m and 2.42's lookback includes its
 *   left edge, so each `x offset k` reads the sample recorded exactly `k` earlier, as at 1m; the
 *   raw 5m and 1h rates see a sample at both ends of their range. The deadline SLI exists during
 *   the 5m after the deadline: at a 5m step one evaluation records the batch, at 1m five do and
 *   every window's tiles pick exactly one of them, so each window holds the same events.
 * - budget resets run on the budget rule and only the rules it reads (kit/promtool/rule-subset.ts),
 *   verbatim: at 5m for a calendar month (its partitions sample the 5m rates, as the deployed
 *   5m budget group does), at 1h for a rolling period whose 1h rates read the raw counters (the
 *   budget reads the 1h rate at each hour; a 1h step records that same sample).
 */
import { durationSeconds, type Duration } from "../../model/duration";
import { formatNumber, selector, eq } from "../../kit/promql";
import type { ServiceCore } from "../../model/service-core";
import type { Severity } from "../../model/severity";
import { isRecordingRule, type RuleContext } from "../../kit/rule-types";
import { gaugeValues, inputSeries, minutes } from "../../kit/promtool/series";
import { rulesFeeding } from "../../kit/promtool/rule-subset";
import type { PromtoolSuite } from "../../kit/promtool/suite";
import type { PromqlExprTest, PromtoolSeries, PromtoolTestGroup } from "../../kit/promtool/types";
import type { Phase } from "../http/promtool";
import { burnThreshold, errorBudget } from "./burn-rate";
import { burnAlertsQuery, burnAlertsSample, firingBurnRule } from "./promtool-alerts";
import { SLO_ALERTS } from "./alerts";
import { expectedAlert } from "../../kit/promtool/alert-case";
import { SLO_SERIES, sloRuleGroups } from "./rules";
import { deadlineOffsetSeconds } from "./sli";
import type { SloSpec } from "./spec";

type DeadlineSlo = Extract<SloSpec, { kind: "deadline" }>;

const DAY_MINUTES = 1440;
/** Minutes from the epoch (a Thursday) back to the Monday 00:00 that starts its week. */
const EPOCH_AFTER_MONDAY_MINUTES = 3 * DAY_MINUTES;

/** Step of the long cases' evaluations and input samples: the base window, the shortest tile. */
export const LONG_CASE_STEP_MINUTES = 5;
/** Step of a rolling budget's reset when its 1h rates read raw counters: the budget's own hourly samples. */
export const ROLLING_RESET_STEP_MINUTES = 60;

const stepDuration = (stepMinutes: number): Duration => `${stepMinutes}m`;

/** The first deadline at least an hour after the epoch, in fixture minutes. */
export function firstDeadlineMinute(deadline: DeadlineSlo["deadline"]): number {
  const cycle = deadline.every === "week" ? 7 * DAY_MINUTES : DAY_MINUTES;
  const shift = deadline.every === "week" ? EPOCH_AFTER_MONDAY_MINUTES : 0;
  const first = (((deadlineOffsetSeconds(deadline) / 60 - shift) % cycle) + cycle) % cycle;
  return first < 60 ? first + cycle : first;
}

/** Phases in minutes as phases in samples of `stepMinutes`: events per sample, a whole number of samples each. */
export function phasesPerStep(phases: readonly Phase[], stepMinutes: number): Phase[] {
  return phases.map((p, i) => {
    if (p.minutes % stepMinutes !== 0) throw new Error(`phases[${i}].minutes must be a multiple of the ${stepMinutes}m step, got ${p.minutes}`);
    return { minutes: p.minutes / stepMinutes, good: p.good * stepMinutes, bad: p.bad * stepMinutes };
  });
}

/** Items of fixture batches: a share of a percent is a whole number of items. */
const BATCH_ITEMS = 100_000;

function batchSeries(service: ServiceCore, slo: DeadlineSlo, missedShare: number, samples: number): PromtoolSeries[] {
  const job = service.metrics.job;
  return [
    inputSeries(slo.batchSize.metric, { job, ...slo.batchSize.matchers }, gaugeValues([[0, BATCH_ITEMS]], samples)),
    inputSeries(slo.deliveredOnTime.metric, { job, ...slo.deliveredOnTime.matchers }, gaugeValues([[0, Math.round(BATCH_ITEMS * (1 - missedShare))]], samples)),
  ];
}

/** `expr < bool 0` style checks: the sample of a comparison of one SLO series, labelled service and slo. */
function comparison(service: ServiceCore, slo: SloSpec, series: string, op: string, value: number) {
  const expr = `${selector(series, [eq("service", service.name), eq("slo", slo.name)])} ${op} bool ${formatNumber(value)}`;
  return { expr, sample: { labels: `{service="${service.name}", slo="${slo.name}"}`, value: 1 } };
}

/** PromQL tests that the budget at `at` is within `tolerance` of `value` (both sides). */
function budgetNear(service: ServiceCore, slo: SloSpec, value: number, tolerance: number, at: number): PromqlExprTest[] {
  return [
    comparison(service, slo, SLO_SERIES.budgetRemaining, ">", value - tolerance),
    comparison(service, slo, SLO_SERIES.budgetRemaining, "<", value + tolerance),
  ].map((c) => ({ expr: c.expr, eval_time: minutes(at), exp_samples: [c.sample] }));
}

/** Severities with a condition a batch missing `share` of its items breaks (every window holding the batch reads that share). */
function severitiesBrokenBy(slo: DeadlineSlo, share: number): Severity[] {
  return [...new Set(slo.burnRateAlerts.filter((a) => burnThreshold(a.factor, slo.objective) < share).map((a) => a.severity))];
}

const ceilTo = (value: number, step: number) => Math.ceil(value / step) * step;

/**
 * A deadline SLO's cases, at a 5m step (1m when the deadline is not on a multiple of 5m): a batch
 * missing twice the budget (2% at 99%) fails the SLO (the conditions it breaks fire at the deadline
 * and not before, the others never, and the budget reads -1: the batch is every event of the
 * period) and the alerts resolve once the batch leaves their short windows; a batch missing half
 * the budget fires nothing and leaves half the budget.
 */
export function deadlineTestGroups(service: ServiceCore, slo: DeadlineSlo, ctx: RuleContext): PromtoolTestGroup[] {
  const deadline = firstDeadlineMinute(slo.deadline);
  const step = deadline % LONG_CASE_STEP_MINUTES === 0 ? LONG_CASE_STEP_MINUTES : 1;
  const budget = errorBudget(slo.objective);
  const miss = Number((2 * budget).toPrecision(12));
  const broken = severitiesBrokenBy(slo, miss);
  const severities = [...new Set(slo.burnRateAlerts.map((a) => a.severity))];
  const longestShort = Math.max(0, ...slo.burnRateAlerts.map((a) => durationSeconds(a.shortWindow) / 60));
  const resolved = ceilTo(deadline + longestShort + 10, step);
  // The budget reads the 1h rates at each hour: the first hour at or after the deadline holds the batch.
  const budgetRead = ceilTo(deadline, 60) + step;
  const quietEnd = budgetRead + 10;
  const when = `${slo.deadline.every === "week" ? `${slo.deadline.weekday} ` : "daily "}${slo.deadline.timeUtc} UTC`;
  const quiet = (severity: Severity, until: number): PromqlExprTest => ({
    expr: `count_over_time(${burnAlertsQuery(service, slo, severity)}[${minutes(until)}])`,
    eval_time: minutes(until),
    exp_samples: [],
  });
  return [
    {
      name:
        `${service.name}/${slo.name}: ${formatNumber(miss * 100)}% of a batch missing ${when} fails the SLO ` +
        `(${broken.join(", ") || "no alert"} fires at the deadline, budget at -1), then resolves within ${resolved - deadline}m`,
      interval: stepDuration(step),
      input_series: batchSeries(service, slo, miss, resolved / step),
      promql_expr_test: [
        ...severities.map((s) => quiet(s, deadline - step)),
        ...broken.map((s) => ({ expr: burnAlertsQuery(service, slo, s), eval_time: minutes(deadline), exp_samples: [burnAlertsSample(service, slo, s, ctx)] })),
        ...severities.filter((s) => !broken.includes(s)).map((s) => quiet(s, resolved)),
        ...budgetNear(service, slo, 1 - miss / budget, 0.01, budgetRead),
        ...severities.map((s) => ({ expr: burnAlertsQuery(service, slo, s), eval_time: minutes(resolved), exp_samples: [] })),
      ],
    },
    {
      name: `${service.name}/${slo.name}: ${formatNumber((budget / 2) * 100)}% of a batch missing ${when} fires nothing and leaves half the budget`,
      interval: stepDuration(step),
      input_series: batchSeries(service, slo, budget / 2, quietEnd / step),
      promql_expr_test: [...severities.map((s) => quiet(s, quietEnd)), ...budgetNear(service, slo, 0.5, 0.01, budgetRead)],
    },
  ];
}

/**
 * A whole batch missed: every condition breaks at the deadline, so every severity fires (labels and
 * annotations complete), and the page resolves once the batch has left the page's short windows.
 * The deadline's day only moves the minute (the 2% case of deadlineTestGroups proves the weekday):
 * run it on a daily deadline, an hour into the fixture, in under a second.
 */
export function deadlineFullMissGroup(service: ServiceCore, slo: DeadlineSlo, ctx: RuleContext): PromtoolTestGroup {
  const deadline = firstDeadlineMinute(slo.deadline);
  const step = deadline % LONG_CASE_STEP_MINUTES === 0 ? LONG_CASE_STEP_MINUTES : 1;
  const severities = [...new Set(slo.burnRateAlerts.map((a) => a.severity))];
  const page = slo.burnRateAlerts.filter((a) => a.severity === "critical");
  const resolved = ceilTo(deadline + Math.max(0, ...page.map((a) => durationSeconds(a.shortWindow) / 60)) + 10, step);
  return {
    name: `${service.name}/${slo.name}: a whole batch missed fires ${severities.join(", ")} at the deadline${page.length > 0 ? `, and the page resolves within ${resolved - deadline}m` : ""}`,
    interval: stepDuration(step),
    input_series: batchSeries(service, slo, 1, resolved / step),
    alert_rule_test: [
      { eval_time: minutes(deadline - step), alertname: SLO_ALERTS.SLOErrorBudgetBurn, exp_alerts: [] },
      {
        eval_time: minutes(deadline),
        alertname: SLO_ALERTS.SLOErrorBudgetBurn,
        exp_alerts: severities.map((s) => expectedAlert(firingBurnRule(service, slo, s, ctx))),
      },
    ],
    promql_expr_test: page.length > 0 ? [{ expr: burnAlertsQuery(service, slo, "critical"), eval_time: minutes(resolved), exp_samples: [] }] : [],
  };
}

/** A deadline SLO's cases on its own rules, at their step. */
export function deadlineSuite(service: ServiceCore, slo: DeadlineSlo, ctx: RuleContext): PromtoolSuite {
  const tests = deadlineTestGroups(service, slo, ctx);
  return {
    name: `${service.name}.${slo.name}.deadline`,
    evaluationInterval: tests[0]!.interval as Duration,
    ruleGroups: sloRuleGroups(service, [slo], ctx),
    tests,
  };
}

/** Minute of 1970-02-01 00:00 UTC, the first month boundary after the epoch. */
export const FIRST_MONTH_BOUNDARY_MINUTE = 31 * DAY_MINUTES;

/** SLI series of phases given in samples of the suite's step (events per sample); counters do not care about the step. */
export type SteppedSliSeries = (phases: readonly Phase[]) => PromtoolSeries[];

/**
 * The error budget starting afresh, on the budget rule and the rules it reads only:
 * - calendar month, evaluated hourly on input sampled every 5m: a 1h outage ending an hour before
 *   1970-02-01 spends January's budget by its share of January's events; on the 1st, 00:00 UTC the
 *   budget is 1. Hourly, the partitions hold one 5m rate per hour instead of twelve: the outage,
 *   a whole aligned hour, is in exactly one of them, so the share is the same (a 5m step costs 34 s
 *   in promtool, the 31d sums growing with every sample; 1h costs well under a second);
 * - rolling period, at a 1h step when the SLI's 1h rates read raw counters (5m otherwise): an
 *   outage after the first hour keeps the budget spent while the hourly samples holding it are
 *   within the period (still spent an hour before the last one leaves), and 1 an hour after.
 */
export function budgetResetSuite(service: ServiceCore, slo: SloSpec, ctx: RuleContext, sliSeries: SteppedSliSeries, eventsPerMinute: number): PromtoolSuite {
  const ruleGroups = rulesFeeding(sloRuleGroups(service, [slo], ctx), [SLO_SERIES.budgetRemaining]);
  const calendar = slo.period === "calendar-month";
  const rawHourly = ruleGroups.some((g) => g.rules.some((r) => isRecordingRule(r) && r.record === SLO_SERIES.goodRateOver("1h")));
  const step = calendar || rawHourly ? ROLLING_RESET_STEP_MINUTES : LONG_CASE_STEP_MINUTES;
  // The 5m rates the calendar partitions sample need two input samples 5m apart.
  const inputStep = calendar ? LONG_CASE_STEP_MINUTES : step;
  const outage = Math.max(30, step);
  const outageStart = calendar ? FIRST_MONTH_BOUNDARY_MINUTE - 2 * step : 60;
  const outageEnd = outageStart + outage;
  const budget = errorBudget(slo.objective);
  const spent = comparison(service, slo, SLO_SERIES.budgetRemaining, "<", 1);
  const full = comparison(service, slo, SLO_SERIES.budgetRemaining, "==", 1);
  const check = (c: typeof spent, at: number): PromqlExprTest => ({ expr: c.expr, eval_time: minutes(at), exp_samples: [c.sample] });
  // Calendar: the last evaluation of January, then the 1st. Rolling: the last hourly 1h rate holding
  // the outage, plus the period (the subquery's range includes its aligned start), then an hour on.
  const lastHeld = calendar ? FIRST_MONTH_BOUNDARY_MINUTE - step : ceilTo(outageEnd, 60) + slo.periodDays * DAY_MINUTES;
  const reset = calendar ? FIRST_MONTH_BOUNDARY_MINUTE : lastHeld + 60;
  const checks: PromqlExprTest[] = calendar
    ? [...budgetNear(service, slo, 1 - outage / lastHeld / budget, 0.01, lastHeld), check(full, reset), check(full, reset + step)]
    : [check(spent, ceilTo(outageEnd, 60) + 60), check(spent, lastHeld - 60), check(full, reset)];
  const end = Math.max(...checks.map((c) => Number.parseInt(c.eval_time, 10)));
  const phases = phasesPerStep(
    [
      { minutes: outageStart, good: eventsPerMinute, bad: 0 },
      { minutes: outage, good: 0, bad: eventsPerMinute },
      { minutes: end - outageEnd + inputStep, good: eventsPerMinute, bad: 0 },
    ],
    inputStep,
  );
  const what = calendar ? "on the 1st of the month, 00:00 UTC" : `once its last hourly sample is ${slo.period} old`;
  return {
    name: `${service.name}.${slo.name}.budget-reset`,
    evaluationInterval: stepDuration(step),
    ruleGroups,
    tests: [
      {
        name: `${service.name}/${slo.name}: the ${slo.period} error budget spent by a ${outage}m outage stays spent, and is whole again ${what} (evaluated every ${step}m)`,
        interval: stepDuration(inputStep),
        input_series: sliSeries(phases),
        promql_expr_test: checks,
      },
    ],
  };
}
