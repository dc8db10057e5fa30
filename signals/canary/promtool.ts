/**
 * Fixtures of the canary alerts, on the fixtures' one-minute grid: the runner's gauges and its
 * runs counter are scraped every minute; a blackbox flow's Probe yields one sample per run (at
 * minutes 0, every, 2 every, ...), the minutes between left empty (`_`). Each case of one flow
 * keeps every other flow of the service healthy, so only its own alert fires.
 */
import { durationSeconds } from "../../model/duration";
import type { ServiceCore } from "../../model/service-core";
import { formatNumber } from "../../kit/promql";
import type { AlertCase } from "../../kit/promtool/alert-case";
import { inputSeries } from "../../kit/promtool/series";
import type { PromtoolSeries } from "../../kit/promtool/types";
import type { AlertingRule, Labels, RuleContext } from "../../kit/rule-types";
import { CANARY_ALERTS } from "./alerts";
import { canaryEngine } from "./engine";
import { BLACKBOX_CANARY_JOB, BLACKBOX_METRICS, RUNNER_JOB, RUNNER_METRICS } from "./metrics";
import { canaryBudgetSeconds, canaryRules, NOT_RUNNING_SCHEDULES } from "./rules";
import type { CanarySpec } from "./spec";

/** A flow's schedule in fixture minutes; throws unless it is a whole number of minutes. */
export function scheduleMinutes(service: Pick<ServiceCore, "name">, canary: CanarySpec): number {
  const minutes = durationSeconds(canary.every) / 60;
  if (!Number.isInteger(minutes) || minutes < 1) {
    throw new Error(`canary fixtures need a schedule of whole minutes, got every ${canary.every} (service "${service.name}", canary "${canary.name}")`);
  }
  return minutes;
}

/**
 * Per-minute values in promtool's expanding notation, minutes 0..`last`: values changing by the
 * same step as `a+bxn` (`a+0xn` when equal), minutes without a sample (`undefined`) as `_xn`.
 * `[1, 1, 1, undefined, 2, 3, 4]` -> `1+0x2 _ 2+1x2`.
 */
export function minuteValues(valueAt: (minute: number) => number | undefined, last: number): string {
  const parts: string[] = [];
  let minute = 0;
  while (minute <= last) {
    const value = valueAt(minute);
    if (value === undefined) {
      let end = minute;
      while (end + 1 <= last && valueAt(end + 1) === undefined) end++;
      parts.push(end === minute ? "_" : `_x${end - minute + 1}`);
      minute = end + 1;
      continue;
    }
    const next = minute + 1 <= last ? valueAt(minute + 1) : undefined;
    const step = next === undefined ? 0 : next - value;
    let end = minute;
    while (end + 1 <= last && valueAt(end + 1) === value + step * (end + 1 - minute)) end++;
    const repeats = end - minute;
    const sign = step < 0 ? "-" : "+";
    parts.push(repeats === 0 ? formatNumber(value) : `${formatNumber(value)}${sign}${formatNumber(Math.abs(step))}x${repeats}`);
    minute = end + 1;
  }
  return parts.join(" ");
}

/** A blackbox flow's samples: `valueOfRun(n)` at the minute of run n, nothing between. */
function perRun(every: number, valueOfRun: (run: number) => number, last: number): string {
  return minuteValues((m) => (m % every === 0 ? valueOfRun(m / every) : undefined), last);
}

function runnerLabels(service: ServiceCore, canary: CanarySpec): Labels {
  return { job: RUNNER_JOB, service: service.name, canary: canary.name };
}

function blackboxLabels(service: ServiceCore, canary: CanarySpec): Labels {
  return { job: BLACKBOX_CANARY_JOB, service: service.name, team: service.team, canary: canary.name };
}

/** The runner's runs counter: one more at the end of each run (minute every, 2 every, ...), until `last`. */
function runsCounter(service: ServiceCore, canary: CanarySpec, last: number): PromtoolSeries {
  const every = scheduleMinutes(service, canary);
  return inputSeries(
    RUNNER_METRICS.runs,
    { ...runnerLabels(service, canary), result: "success" },
    minuteValues((m) => Math.floor(m / every), last),
  );
}

/** Series of one flow at which none of its alerts fires, minutes 0..`last`. */
export function canaryHealthyFlowSeries(service: ServiceCore, canary: CanarySpec, last: number): PromtoolSeries[] {
  const budget = canaryBudgetSeconds(canary);
  if (canaryEngine(canary) === "runner") {
    const labels = runnerLabels(service, canary);
    return [
      runsCounter(service, canary, last),
      inputSeries(
        RUNNER_METRICS.consecutiveFailures,
        labels,
        minuteValues(() => 0, last),
      ),
      ...(budget === undefined
        ? []
        : [
            inputSeries(
              RUNNER_METRICS.consecutiveSlowRuns,
              labels,
              minuteValues(() => 0, last),
            ),
          ]),
    ];
  }
  const every = scheduleMinutes(service, canary);
  const labels = blackboxLabels(service, canary);
  return [
    inputSeries(
      BLACKBOX_METRICS.success,
      labels,
      perRun(every, () => 1, last),
    ),
    ...(budget === undefined
      ? []
      : [
          inputSeries(
            BLACKBOX_METRICS.duration,
            labels,
            perRun(every, () => budget / 2, last),
          ),
        ]),
  ];
}

/** Every flow passing within its budget, run after run. */
export function canaryHealthySeries(service: ServiceCore, canaries: readonly CanarySpec[], total: number): PromtoolSeries[] {
  return canaries.flatMap((c) => canaryHealthyFlowSeries(service, c, total));
}

/** The series of a flow's fault, the minute its alert becomes active, the labels its expression yields. */
interface Fault {
  readonly what: string;
  readonly activeAtMinute: number;
  readonly exprLabels: Labels;
  readonly series: (last: number) => PromtoolSeries[];
}

/**
 * A runner flow's faults: its count of failed (or slow) runs in a row climbing by one per run
 * until it reaches the rule's threshold at run N (minute N every); the runner stopped right after
 * its first run (minute every), so its series end there and twice the schedule later nothing is
 * left in the window.
 */
function runnerFault(service: ServiceCore, canary: CanarySpec, rule: AlertingRule): Fault {
  const every = scheduleMinutes(service, canary);
  const labels = runnerLabels(service, canary);
  const exprLabels = { service: service.name, canary: canary.name };
  const climbing = (metric: string, runs: number, what: string): Fault => ({
    what,
    activeAtMinute: runs * every,
    exprLabels,
    series: (last) => [
      inputSeries(
        metric,
        labels,
        minuteValues((m) => Math.floor(m / every), last),
      ),
    ],
  });
  if (rule.alert === CANARY_ALERTS.CanaryFailing)
    return climbing(RUNNER_METRICS.consecutiveFailures, canary.failAfterRuns, `${canary.failAfterRuns} runs in a row fail`);
  if (rule.alert === CANARY_ALERTS.CanarySlow)
    return climbing(RUNNER_METRICS.consecutiveSlowRuns, canary.slowAfterRuns, `${canary.slowAfterRuns} runs in a row are over budget`);
  return {
    what: `the runner stops after the run of minute ${every}`,
    // The last sample at `every` stays in the closed window until 2 schedules later, inclusive.
    activeAtMinute: every + NOT_RUNNING_SCHEDULES * every + 1,
    exprLabels,
    series: () => [runsCounter(service, canary, every)],
  };
}

/**
 * A blackbox flow's faults: the first run passes (within budget), every later one fails (or is
 * twice over budget), so the window of the last N runs first holds only bad runs one minute after
 * run N, when run 0 has left it; the probe stopped after its run of minute every.
 */
function blackboxFault(service: ServiceCore, canary: CanarySpec, rule: AlertingRule): Fault {
  const every = scheduleMinutes(service, canary);
  const labels = blackboxLabels(service, canary);
  const exprLabels = { service: service.name, canary: canary.name };
  if (rule.alert === CANARY_ALERTS.CanaryFailing) {
    return {
      what: `${canary.failAfterRuns} probes in a row fail`,
      activeAtMinute: canary.failAfterRuns * every + 1,
      exprLabels,
      series: (last) => [
        inputSeries(
          BLACKBOX_METRICS.success,
          labels,
          perRun(every, (run) => (run === 0 ? 1 : 0), last),
        ),
      ],
    };
  }
  if (rule.alert === CANARY_ALERTS.CanarySlow) {
    const budget = canaryBudgetSeconds(canary)!;
    return {
      what: `${canary.slowAfterRuns} probes in a row take twice the ${formatNumber(budget)}s budget`,
      activeAtMinute: canary.slowAfterRuns * every + 1,
      exprLabels,
      series: (last) => [
        inputSeries(
          BLACKBOX_METRICS.duration,
          labels,
          perRun(every, (run) => (run === 0 ? budget / 2 : budget * 2), last),
        ),
      ],
    };
  }
  return {
    what: `the probe stops after its run of minute ${every}`,
    activeAtMinute: every + NOT_RUNNING_SCHEDULES * every + 1,
    exprLabels: { job: BLACKBOX_CANARY_JOB, ...exprLabels },
    series: () => [
      inputSeries(
        BLACKBOX_METRICS.success,
        labels,
        perRun(every, () => 1, every),
      ),
    ],
  };
}

/** One firing case per alert of each flow; the other flows stay healthy throughout. */
export function canaryAlertCases(service: ServiceCore, canaries: readonly CanarySpec[], ctx: RuleContext, total: number): AlertCase[] {
  return canaries.flatMap((canary) =>
    canaryRules(service, canary, ctx).map((rule) => {
      const fault = canaryEngine(canary) === "runner" ? runnerFault(service, canary, rule) : blackboxFault(service, canary, rule);
      const last = Math.max(total, fault.activeAtMinute);
      const others = canaries.filter((c) => c !== canary).flatMap((c) => canaryHealthyFlowSeries(service, c, last));
      return {
        name: `${rule.alert} (${canary.name}): fires at minute ${fault.activeAtMinute} once ${fault.what}`,
        target: { rule, exprLabels: fault.exprLabels, activeAtMinute: fault.activeAtMinute },
        series: [...others, ...fault.series(last)],
      };
    }),
  );
}
