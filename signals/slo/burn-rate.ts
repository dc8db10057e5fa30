/**
 * Multiwindow, multi-burn-rate alerting (Google SRE Workbook, "Alerting on SLOs"): the windows the
 * SLO rules record, the four default alert pairs, and the maths the promtool tests derive their
 * bounds from.
 */
import { durationSeconds } from "../../model/duration";
import type { Severity } from "../../model/severity";

/** Windows `slo:sli_error:ratio_rate<window>` is recorded for (DESIGN.md section 4). */
export const SLO_WINDOWS = ["5m", "30m", "1h", "2h", "6h", "1d", "3d"] as const;

/** One recorded SLO window. */
export type SloWindow = (typeof SLO_WINDOWS)[number];

/**
 * How a window's error and total rates are recorded: `sli` reads the SLI's raw counters over the
 * window itself; `tiles` adds up `count` back-to-back copies of a shorter recorded window, read at
 * offsets `0, tile, 2 x tile, ...`, so that they cover exactly the window and nothing else.
 */
export type WindowSource = { readonly from: "sli" } | { readonly from: "tiles"; readonly tile: SloWindow; readonly count: number };

/**
 * Where each window comes from. The raw counters are read over 5m (the SLI contract) and over 1h,
 * the long window of the fast page, so the 14.4x pair sees a full outage as soon as the events are
 * scraped (no 5m rate ramping up inside it); every other window is tiles of a recorded one: 30m is
 * 6 x 5m, 2h is 2 x 1h, 6h is 6 x 1h, 1d is 4 x 6h, 3d is 3 x 1d. Each window is a box over exactly
 * its range, read from a handful of recorded samples, whatever the traffic's cardinality.
 */
export const SLO_WINDOW_SOURCES: Readonly<Record<SloWindow, WindowSource>> = {
  "5m": { from: "sli" },
  "30m": { from: "tiles", tile: "5m", count: 6 },
  "1h": { from: "sli" },
  "2h": { from: "tiles", tile: "1h", count: 2 },
  "6h": { from: "tiles", tile: "1h", count: 6 },
  "1d": { from: "tiles", tile: "6h", count: 4 },
  "3d": { from: "tiles", tile: "1d", count: 3 },
};

/** One burn-rate condition: both windows burn at least `factor` times the sustainable rate. */
export interface BurnRateAlert {
  readonly severity: Severity;
  /** Burn rate: 1 spends exactly the budget over the SLO period, 14.4 spends 2% of 30d in 1h. */
  readonly factor: number;
  /** Window that proves the burn is significant. */
  readonly longWindow: SloWindow;
  /** Window that proves it is still going on, so the alert resolves soon after recovery. */
  readonly shortWindow: SloWindow;
}

/**
 * The workbook's recommendation for a 30-day SLO: page on 14.4x over 1h (with 5m) or 6x over 6h
 * (with 30m), that is 2% or 5% of the budget; open a ticket on 3x over 1d (with 2h) or 1x over 3d
 * (with 6h), that is 10% of the budget.
 */
export const DEFAULT_BURN_RATE_ALERTS: readonly BurnRateAlert[] = [
  { severity: "critical", factor: 14.4, longWindow: "1h", shortWindow: "5m" },
  { severity: "critical", factor: 6, longWindow: "6h", shortWindow: "30m" },
  { severity: "warning", factor: 3, longWindow: "1d", shortWindow: "2h" },
  { severity: "warning", factor: 1, longWindow: "3d", shortWindow: "6h" },
];

/** Digits after the decimal point of a number as written (`0.9999999` -> 7, `1e-7` -> 7). */
function decimalPlaces(value: number): number {
  const [mantissa = "", exponent = "0"] = String(value).split("e");
  const fraction = mantissa.split(".")[1]?.length ?? 0;
  return Math.max(0, fraction - Number(exponent));
}

/**
 * Error budget: the share of events allowed to be bad, `1 - objective`, exact to the objective's
 * own digits (`0.9999999` -> `1e-7`, not the float `1.00000000058e-7`).
 */
export function errorBudget(objective: number): number {
  return Number((1 - objective).toFixed(Math.min(20, decimalPlaces(objective))));
}

/** The error-ratio threshold of a burn-rate condition: `factor * (1 - objective)`. */
export function burnThreshold(factor: number, objective: number): number {
  return Number((factor * errorBudget(objective)).toPrecision(12));
}

/** Share of the whole period's budget a condition spends before it fires: factor * window / period. */
export function budgetSpent(alert: BurnRateAlert, periodDays: number): number {
  return (alert.factor * durationSeconds(alert.longWindow)) / (periodDays * 86_400);
}

/** Days until the budget is gone at `factor` times the sustainable rate. */
export function daysToExhaustion(factor: number, periodDays: number): number {
  return periodDays / factor;
}

/** How often samples and rules are taken, for the timing bounds below. */
export interface EvaluationTiming {
  /** @default 60 */
  readonly scrapeIntervalSeconds?: number;
  /** @default 60 */
  readonly evaluationIntervalSeconds?: number;
}

/**
 * Time a change of the error ratio takes to reach an alert: one scrape to reach storage, one
 * evaluation for the rule to see it. Every window is a box over raw rates of its own range or of
 * back-to-back tiles (SLO_WINDOW_SOURCES), so no window adds a lag of its own.
 */
export function detectionSlackSeconds(timing: EvaluationTiming = {}): number {
  return (timing.scrapeIntervalSeconds ?? 60) + (timing.evaluationIntervalSeconds ?? 60);
}

/**
 * Upper bound of the time from the start of an outage with error ratio `outageErrorRatio` to the
 * alert firing: the long window must accumulate `factor * budget * window` worth of bad events
 * (the short window needs less), plus one scrape and one evaluation. Infinite when the outage is
 * too mild for the condition.
 */
export function detectionBoundSeconds(alert: BurnRateAlert, objective: number, outageErrorRatio = 1, timing: EvaluationTiming = {}): number {
  const threshold = burnThreshold(alert.factor, objective);
  if (outageErrorRatio <= threshold) return Number.POSITIVE_INFINITY;
  return (threshold * durationSeconds(alert.longWindow)) / outageErrorRatio + detectionSlackSeconds(timing);
}

/** Events per second of a fixture and the SLO's traffic guard, for {@link detectionBoundAfterWarmupSeconds}. */
export interface FixtureTraffic {
  readonly eventsPerSecond: number;
  readonly minEventsPerSecond: number;
}

/**
 * {@link detectionBoundSeconds} for a full outage after only `healthySeconds` of healthy traffic, as
 * in a fixture with a short warm-up: a window longer than what it has seen reads the ratio of what
 * it holds (missing tiles add nothing to either sum), `t / (healthy + t)` after `t` seconds, so it
 * crosses `threshold` after `threshold * healthy / (1 - threshold)` unless it fills first. Both
 * windows must cross, and the traffic guard must pass: the long window's event rate is averaged
 * over the whole window, so it holds `minEventsPerSecond / eventsPerSecond` of the window first.
 * Plus the slack.
 */
export function detectionBoundAfterWarmupSeconds(
  alert: BurnRateAlert,
  objective: number,
  healthySeconds: number,
  traffic: FixtureTraffic,
  timing: EvaluationTiming = {},
): number {
  const threshold = burnThreshold(alert.factor, objective);
  const crossing = (window: number) => {
    const partial = (threshold * healthySeconds) / (1 - threshold);
    return healthySeconds + partial <= window ? partial : threshold * window;
  };
  const long = durationSeconds(alert.longWindow);
  const guarded = (traffic.minEventsPerSecond / traffic.eventsPerSecond) * long - healthySeconds;
  return Math.max(crossing(long), crossing(durationSeconds(alert.shortWindow)), guarded) + detectionSlackSeconds(timing);
}

/**
 * Upper bound of the time from the end of an outage to the condition no longer holding: the bad
 * events leave the short window, plus the same slack as detection.
 */
export function resolveBoundSeconds(alert: BurnRateAlert, timing: EvaluationTiming = {}): number {
  return durationSeconds(alert.shortWindow) + detectionSlackSeconds(timing);
}
