/**
 * An environment's timing against the rules it runs, which neither the profile nor a rule can see
 * alone: a rate window needs several scrapes, and an alert's `for` several evaluations.
 */
import { durationSeconds, formatDuration } from "../model/duration";
import type { Problem } from "../model/validation-error";
import { isRecordedMetric, rangeReads } from "../kit/promql-syntax";
import { isAlertingRule, type RuleFile } from "../kit/rule-types";
import type { EnvironmentProfile } from "../environments/profile-schema";

/** Scrapes every range over raw series must hold: with fewer, `rate()` sees two samples or none. */
export const SCRAPES_PER_RATE_WINDOW = 4;

/** The shortest range over raw (scraped) series in the rules, with the rule reading it. */
function shortestRawRange(ruleFiles: readonly RuleFile[]): { seconds: number; rule: string } | undefined {
  let shortest: { seconds: number; rule: string } | undefined;
  for (const rule of ruleFiles.flatMap((f) => f.groups.flatMap((g) => g.rules))) {
    for (const read of rangeReads(rule.expr)) {
      if (read.kind !== "range" || read.metrics.every(isRecordedMetric) || !Number.isFinite(read.seconds)) continue;
      if (shortest === undefined || read.seconds < shortest.seconds) shortest = { seconds: read.seconds, rule: "alert" in rule ? rule.alert : rule.record };
    }
  }
  return shortest;
}

/** The shortest non-zero `for` of the alerts, with the alert. */
function shortestFor(ruleFiles: readonly RuleFile[]): { seconds: number; alert: string } | undefined {
  let shortest: { seconds: number; alert: string } | undefined;
  for (const rule of ruleFiles.flatMap((f) => f.groups.flatMap((g) => g.rules.filter(isAlertingRule)))) {
    const seconds = rule.for === undefined ? 0 : durationSeconds(rule.for);
    if (seconds > 0 && (shortest === undefined || seconds < shortest.seconds)) shortest = { seconds, alert: rule.alert };
  }
  return shortest;
}

/**
 * Problems of the profile's scrape and evaluation intervals: the scrape interval at most a quarter
 * of the shortest rate window over raw series, the evaluation interval shorter than the shortest
 * `for` (one evaluation at least before the alert fires).
 */
export function timingProblems(profile: EnvironmentProfile, ruleFiles: readonly RuleFile[]): Problem[] {
  const problems: Problem[] = [];
  const scrape = durationSeconds(profile.prometheus.scrapeInterval);
  const evaluation = durationSeconds(profile.prometheus.evaluationInterval);
  const range = shortestRawRange(ruleFiles);
  if (range !== undefined && scrape * SCRAPES_PER_RATE_WINDOW > range.seconds) {
    problems.push({
      path: ["prometheus", "scrapeInterval"],
      message: `must be at most ${formatDuration(Math.floor(range.seconds / SCRAPES_PER_RATE_WINDOW))}, a quarter of the shortest range the rules read scraped series over (${formatDuration(range.seconds)}, in ${range.rule})`,
      received: profile.prometheus.scrapeInterval,
    });
  }
  const hold = shortestFor(ruleFiles);
  if (hold !== undefined && evaluation >= hold.seconds) {
    problems.push({
      path: ["prometheus", "evaluationInterval"],
      message: `must be shorter than the shortest \`for\` of the alerts (${formatDuration(hold.seconds)}, of ${hold.alert})`,
      received: profile.prometheus.evaluationInterval,
    });
  }
  return problems;
}
