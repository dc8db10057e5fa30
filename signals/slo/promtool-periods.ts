/**
 * promtool cases of what happens at a point in wall-clock time: a deadline SLO's batch read after
 * its deadline (a miss over the budget burns it and fires, one under it stays quiet, the alert
 * resolves), and an error budget starting afresh when its period moves on (the calendar month on
 * the 1st, 00:00 UTC; a rolling period once the bad minutes leave it).
 *
 * Fixtures start at the unix epoch, Thursday 1970-01-01 00:00 UTC, so Monday 09:00 is minute 6300
 * and February begins at minute 44640.
 */
import { durationSeconds } from "../../model/duration";
import { formatNumber, selector, eq } from "../../kit/promql";
import type { ServiceCore } from "../../model/service-core";
import type { Severity } from "../../model/severity";
import type { RuleContext } from "../../kit/rule-types";
import { FIXTURE_STEP, gaugeValues, inputSeries, minutes } from "../../kit/promtool/series";
import type { PromtoolSeries, PromtoolTestGroup } from "../../kit/promtool/types";
import type { Phase } from "../http/promtool";
import { burnThreshold, errorBudget } from "./burn-rate";
import { burnAlertsQuery, burnAlertsSample } from "./promtool-alerts";
import { SLO_SERIES } from "./rules";
import { deadlineOffsetSeconds } from "./sli";
import type { SloSpec } from "./spec";

type DeadlineSlo = Extract<SloSpec, { kind: "deadline" }>;

const DAY_MINUTES = 1440;
/** Minutes from the epoch (a Thursday) back to the Monday 00:00 that starts its week. */
const EPOCH_AFTER_MONDAY_MINUTES = 3 * DAY_MINUTES;

/** The first deadline at least an hour after the epoch, in fixture minutes. */
export function firstDeadlineMinute(deadline: DeadlineSlo["deadline"]): number {
  const cycle = deadline.every === "week" ? 7 * DAY_MINUTES : DAY_MINUTES;
  const shift = deadline.every === "week" ? EPOCH_AFTER_MONDAY_MINUTES : 0;
  const first = (((deadlineOffsetSeconds(deadline) / 60 - shift) % cycle) + cycle) % cycle;
  return first < 60 ? first + cycle : first;
}

/** Items of fixture batches: a share of a percent is a whole number of items. */
const BATCH_ITEMS = 100_000;

function batchSeries(service: ServiceCore, slo: DeadlineSlo, missedShare: number, total: number): PromtoolSeries[] {
  const job = service.metrics.job;
  return [
    inputSeries(slo.batchSize.metric, { job, ...slo.batchSize.matchers }, gaugeValues([[0, BATCH_ITEMS]], total)),
    inputSeries(slo.deliveredOnTime.metric, { job, ...slo.deliveredOnTime.matchers }, gaugeValues([[0, Math.round(BATCH_ITEMS * (1 - missedShare))]], total)),
  ];
}

/** `expr < bool 0` style checks: the sample of a comparison of one SLO series, labelled service and slo. */
function comparison(service: ServiceCore, slo: SloSpec, series: string, op: string, value: number) {
  const expr = `${selector(series, [eq("service", service.name), eq("slo", slo.name)])} ${op} bool ${formatNumber(value)}`;
  return { expr, sample: { labels: `{service="${service.name}", slo="${slo.name}"}`, value: 1 } };
}

/** Severities with a condition a batch missing `share` of its items breaks (every window holding the batch reads that share). */
function severitiesBrokenBy(slo: DeadlineSlo, share: number): Severity[] {
  return [...new Set(slo.burnRateAlerts.filter((a) => burnThreshold(a.factor, slo.objective) < share).map((a) => a.severity))];
}

/**
 * A deadline SLO's cases: a batch missing twice the budget (2% at 99%) fails the SLO (the
 * conditions it breaks fire after the deadline and the budget is overspent) and the alerts resolve
 * once the batch leaves their short windows; a batch missing half the budget fires nothing and
 * leaves half the budget.
 */
export function deadlineTestGroups(service: ServiceCore, slo: DeadlineSlo, ctx: RuleContext): PromtoolTestGroup[] {
  const deadline = firstDeadlineMinute(slo.deadline);
  const budget = errorBudget(slo.objective);
  const miss = Number((2 * budget).toPrecision(12));
  const broken = severitiesBrokenBy(slo, miss);
  const longestShort = Math.max(0, ...slo.burnRateAlerts.map((a) => durationSeconds(a.shortWindow) / 60));
  const resolved = deadline + longestShort + 10;
  // The budget group runs every 5m: read it once it has seen the whole window after the deadline.
  const budgetRead = deadline + 10;
  const overspent = comparison(service, slo, SLO_SERIES.budgetRemaining, "<", 0);
  // Half the budget left, to float precision: above 0.49 and below 0.51.
  const overHalf = comparison(service, slo, SLO_SERIES.budgetRemaining, ">", 0.49);
  const underHalf = comparison(service, slo, SLO_SERIES.budgetRemaining, "<", 0.51);
  const when = `${slo.deadline.every === "week" ? `${slo.deadline.weekday} ` : "daily "}${slo.deadline.timeUtc} UTC`;
  const quiet = (severity: Severity, until: number) => ({
    expr: `count_over_time(${burnAlertsQuery(service, slo, severity)}[${minutes(until)}])`,
    eval_time: minutes(until),
    exp_samples: [],
  });
  const severities = [...new Set(slo.burnRateAlerts.map((a) => a.severity))];
  return [
    {
      name: `${service.name}/${slo.name}: ${formatNumber(miss * 100)}% of a batch missing ${when} fails the SLO (${broken.join(", ") || "no alert"} fires, budget overspent), then resolves within ${longestShort + 10}m`,
      interval: FIXTURE_STEP,
      input_series: batchSeries(service, slo, miss, resolved),
      promql_expr_test: [
        ...severities.map((s) => quiet(s, deadline - 1)),
        ...broken.map((s) => ({
          expr: burnAlertsQuery(service, slo, s),
          eval_time: minutes(deadline + 1),
          exp_samples: [burnAlertsSample(service, slo, s, ctx)],
        })),
        { expr: overspent.expr, eval_time: minutes(budgetRead), exp_samples: [overspent.sample] },
        ...severities.map((s) => ({ expr: burnAlertsQuery(service, slo, s), eval_time: minutes(resolved), exp_samples: [] })),
      ],
    },
    {
      name: `${service.name}/${slo.name}: ${formatNumber((budget / 2) * 100)}% of a batch missing ${when} fires nothing and leaves half the budget`,
      interval: FIXTURE_STEP,
      input_series: batchSeries(service, slo, budget / 2, deadline + 15),
      promql_expr_test: [
        ...severities.map((s) => quiet(s, deadline + 15)),
        ...[overHalf, underHalf].map((c) => ({ expr: c.expr, eval_time: minutes(budgetRead), exp_samples: [c.sample] })),
      ],
    },
  ];
}

/** Minute of 1970-02-01 00:00 UTC, the first month boundary after the epoch. */
export const FIRST_MONTH_BOUNDARY_MINUTE = 31 * DAY_MINUTES;

/**
 * The error budget starting afresh: bad minutes spend part of it; once the period has moved past
 * them (the 1st of the month for a calendar month, the whole rolling period otherwise) it reads 1
 * again. Long (a month of fixture minutes), so run it on the SLO's rules alone.
 */
export function budgetResetGroup(
  service: ServiceCore,
  slo: SloSpec,
  sliSeries: (phases: readonly Phase[]) => PromtoolSeries[],
  perMinute: number,
): PromtoolTestGroup {
  const outage = 30;
  const calendar = slo.period === "calendar-month";
  // The outage ends 30m before the boundary (calendar) or starts after an hour (rolling).
  const outageStart = calendar ? FIRST_MONTH_BOUNDARY_MINUTE - 60 : 60;
  const boundary = calendar ? FIRST_MONTH_BOUNDARY_MINUTE : outageStart + outage + slo.periodDays * DAY_MINUTES;
  const after = boundary + 10;
  const phases: Phase[] = [
    { minutes: outageStart, good: perMinute, bad: 0 },
    { minutes: outage, good: 0, bad: perMinute },
    { minutes: after - outageStart - outage + 1, good: perMinute, bad: 0 },
  ];
  const spent = comparison(service, slo, SLO_SERIES.budgetRemaining, "<", 1);
  const full = comparison(service, slo, SLO_SERIES.budgetRemaining, "==", 1);
  const what = calendar ? "on the 1st of the month, 00:00 UTC" : `once the outage is ${slo.period} old`;
  return {
    name: `${service.name}/${slo.name}: the ${slo.period} error budget spent by a ${outage}m outage is whole again ${what}`,
    interval: FIXTURE_STEP,
    input_series: sliSeries(phases),
    promql_expr_test: [
      { expr: spent.expr, eval_time: minutes(boundary - 5), exp_samples: [spent.sample] },
      { expr: full.expr, eval_time: minutes(after), exp_samples: [full.sample] },
    ],
  };
}
