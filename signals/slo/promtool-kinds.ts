/**
 * Burn-rate cases of any SLI kind at a 5m step, for the promtool matrix of kinds and periods: a
 * full outage fires every severity (labels and annotations complete) within its bound, the page
 * resolves after recovery, and a steady burn at exactly the budget (1x) never pages.
 *
 * The per-service files run the same properties at a 1m step (promtool.ts, sloBurnTestGroups),
 * where they cost about 1,250 evaluations of the SLO's rules (the 6h page window is warmed up
 * first); at 5m they cost a fifth, and the windows hold the same events (promtool-periods.ts says
 * why): only the bounds are coarser, one 5m scrape and one 5m evaluation of slack
 * (burn-rate.ts' timing).
 */
import { durationSeconds, type Duration } from "../../model/duration";
import { formatNumber } from "../../kit/promql";
import type { ServiceCore } from "../../model/service-core";
import type { Severity } from "../../model/severity";
import type { RuleContext } from "../../kit/rule-types";
import { expectedAlert } from "../../kit/promtool/alert-case";
import { minutes } from "../../kit/promtool/series";
import type { PromtoolSuite } from "../../kit/promtool/suite";
import type { PromtoolTestGroup } from "../../kit/promtool/types";
import type { Phase } from "../http/promtool";
import { SLO_ALERTS } from "./alerts";
import { detectionBoundSeconds, errorBudget, resolveBoundSeconds, type BurnRateAlert, type EvaluationTiming } from "./burn-rate";
import { burnAlertsQuery, burnAlertsSample, firingBurnRule } from "./promtool-alerts";
import { LONG_CASE_STEP_MINUTES, phasesPerStep, type SteppedSliSeries } from "./promtool-periods";
import { sloRuleGroups } from "./rules";
import type { SloSpec } from "./spec";

const STEP = LONG_CASE_STEP_MINUTES;
const TIMING: EvaluationTiming = { scrapeIntervalSeconds: STEP * 60, evaluationIntervalSeconds: STEP * 60 };
const ceilToStep = (m: number) => Math.ceil(m / STEP) * STEP;
const boundMinutes = (seconds: number) => ceilToStep(seconds / 60);

/** Events per minute of the fixtures: at least 1000, and 20x the traffic guard. */
function eventsPerMinute(slo: SloSpec): number {
  return Math.max(1000, Math.ceil(slo.minEventsPerSecond * 60 * 20));
}

/**
 * The two groups of one SLO (not a deadline: its events exist only after the deadline, see
 * deadlineTestGroups): a full outage after a warm-up that fills the page windows, then recovery;
 * and a steady 1x burn from the start. `series` gets phases in 5m samples.
 */
export function coarseBurnTestGroups(service: ServiceCore, slo: SloSpec, ctx: RuleContext, series: SteppedSliSeries): PromtoolTestGroup[] {
  if (slo.kind === "deadline") throw new Error(`coarseBurnTestGroups: slo "${slo.name}" is a deadline SLO, whose cases are deadlineTestGroups`);
  const perMinute = eventsPerMinute(slo);
  const interval: Duration = `${STEP}m`;
  const stepped = (phases: Phase[]) => series(phasesPerStep(phases, STEP));
  const severities = [...new Set(slo.burnRateAlerts.map((a) => a.severity))];
  const page = slo.burnRateAlerts.filter((a) => a.severity === "critical");
  const longest = (alerts: readonly BurnRateAlert[], key: "longWindow" | "shortWindow") => Math.max(...alerts.map((a) => durationSeconds(a[key]) / 60));
  const warmup = ceilToStep((page.length > 0 ? longest(page, "longWindow") : 60) + STEP);
  const bound = new Map(
    severities.map((s) => [
      s,
      boundMinutes(Math.min(...slo.burnRateAlerts.filter((a) => a.severity === s).map((a) => detectionBoundSeconds(a, slo.objective, 1, TIMING)))),
    ]),
  );
  const all = Math.max(...bound.values());
  const outage = all + STEP;
  const resolve = page.length > 0 ? boundMinutes(Math.max(...page.map((a) => resolveBoundSeconds(a, TIMING)))) : 0;
  const healthy = (m: number): Phase => ({ minutes: m, good: perMinute, bad: 0 });
  const sample = (s: Severity) => burnAlertsSample(service, slo, s, ctx);
  const budget = errorBudget(slo.objective);
  const steady = warmup + 60;
  const groups: PromtoolTestGroup[] = [
    {
      name:
        `${service.name}/${slo.name}: a full outage fires ${severities.map((s) => `${s} within ${bound.get(s)}m`).join(", ")}` +
        (page.length > 0 ? `, and the page resolves within ${resolve}m of recovery` : "") +
        ` (${STEP}m step)`,
      interval,
      input_series: stepped([healthy(warmup), { minutes: outage, good: 0, bad: perMinute }, healthy(resolve + STEP)]),
      alert_rule_test: [
        { eval_time: minutes(warmup), alertname: SLO_ALERTS.SLOErrorBudgetBurn, exp_alerts: [] },
        {
          eval_time: minutes(warmup + all),
          alertname: SLO_ALERTS.SLOErrorBudgetBurn,
          exp_alerts: severities.map((s) => expectedAlert(firingBurnRule(service, slo, s, ctx))),
        },
      ],
      promql_expr_test: [
        ...severities.map((s) => ({ expr: burnAlertsQuery(service, slo, s), eval_time: minutes(warmup + bound.get(s)!), exp_samples: [sample(s)] })),
        ...(page.length > 0 ? [{ expr: burnAlertsQuery(service, slo, "critical"), eval_time: minutes(warmup + outage + resolve), exp_samples: [] }] : []),
      ],
    },
  ];
  if (page.length === 0) return groups;
  groups.push({
    name: `${service.name}/${slo.name}: a steady burn at exactly the budget (1x, error ratio ${formatNumber(budget)}) never pages in ${steady}m (${STEP}m step)`,
    interval,
    input_series: stepped([{ minutes: steady, good: perMinute * (1 - budget), bad: perMinute * budget }]),
    promql_expr_test: [
      { expr: `count_over_time(${burnAlertsQuery(service, slo, "critical")}[${minutes(steady)}])`, eval_time: minutes(steady), exp_samples: [] },
    ],
  });
  return groups;
}

/** The coarse burn cases of one SLO on its own rules, evaluated every 5m. */
export function coarseBurnSuite(service: ServiceCore, slo: SloSpec, ctx: RuleContext, series: SteppedSliSeries): PromtoolSuite {
  return {
    name: `${service.name}.${slo.name}.burn`,
    evaluationInterval: `${STEP}m`,
    ruleGroups: sloRuleGroups(service, [slo], ctx),
    tests: coarseBurnTestGroups(service, slo, ctx, series),
  };
}
