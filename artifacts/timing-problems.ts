/**
 * An environment's timing against the rules it runs, which neither the profile nor a rule can see
 * alone: a rate window needs several scrapes, an alert's `for` several evaluations, and every range
 * a rule reads must still be in the store it runs on (Prometheus, or Mimir for its ruler's groups).
 */
import { durationSeconds, formatDuration } from "../model/duration";
import type { Problem } from "../model/validation-error";
import { isRecordedMetric, lookbackSeconds, rangeReads } from "../kit/promql-syntax";
import { isAlertingRule, type Rule, type RuleFile } from "../kit/rule-types";
import type { EnvironmentProfile } from "../environments/profile-schema";
import { SLO_SERIES } from "../signals/slo/rules";

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

const ruleName = (rule: Rule) => ("alert" in rule ? rule.alert : rule.record);

/** How far back `rule` reads (ranges, subqueries and offsets), in seconds; 0 when it reads only the present. */
function longestRange(rule: Rule): number {
  return lookbackSeconds(rule.expr);
}

/**
 * True for an SLO's error-budget rule: the SLO's error ratio over its whole period, the only rule
 * that reads the period, so the period is its longest range (signals/slo/rules.ts).
 */
function isErrorBudgetRule(rule: Rule): boolean {
  return !isAlertingRule(rule) && rule.record === SLO_SERIES.budgetRemaining;
}

/** Each SLO's period as its error-budget rule reads it, with the service and the SLO, longest first. */
function sloPeriods(rules: readonly Rule[]): { seconds: number; service: string; slo: string }[] {
  return rules
    .filter(isErrorBudgetRule)
    .map((rule) => ({ seconds: longestRange(rule), service: rule.labels?.service ?? "?", slo: rule.labels?.slo ?? "?" }))
    .sort((a, b) => b.seconds - a.seconds);
}

/** The SLO periods beyond `retention`: one problem naming the longest, with how many more there are. */
function periodProblem(
  periods: readonly { seconds: number; service: string; slo: string }[],
  retentionSeconds: number,
  where: string,
): { longest: { seconds: number; service: string; slo: string }; text: string } | undefined {
  const [longest, ...others] = periods.filter((p) => p.seconds > retentionSeconds);
  if (longest === undefined) return undefined;
  const more = others.length === 0 ? "" : ` (and ${others.length} more SLO${others.length === 1 ? "" : "s"} longer than the retention)`;
  return {
    longest,
    text: `must be at least ${formatDuration(longest.seconds)}, the period of SLO "${longest.slo}" of service "${longest.service}"${more}: its error budget is computed ${where} over the whole period`,
  };
}

/**
 * Problems of the retention against the rules, each group against the store it is evaluated on:
 * a sample older than the retention is gone, so a range reaching past it silently covers less than
 * it says.
 * - `ruleFiles` run on Prometheus (PrometheusRule objects), against `prometheus.retention`: one
 *   problem for the SLO periods (an SLO's error budget reads its whole period) naming the longest
 *   and how many more exceed the retention, one for the longest range of every other rule, naming
 *   the rule.
 * - `rulerRuleFiles` run on Mimir's ruler (rules/placement.ts moves a recording-only group there
 *   when it reads further back than Prometheus keeps), against `mimir.retention`, named in the
 *   same way with Prometheus' retention beside it.
 *
 * Why not everything on the ruler, nor everything on Prometheus: the burn-rate alerts read at most
 * 3d (plus offsets) and stay on Prometheus, so alerting survives a Mimir outage and promtool tests
 * what is deployed; the budget over a 90-day or calendar-month period is a recording rule no alert
 * reads, so it may run where the long history is, Mimir's object storage, rather than keeping 90d
 * on every Prometheus replica's disk. Where there is no Mimir (local, dev) Prometheus' retention
 * must cover the longest period. Offsets count (`x offset 2d` reads 2d back): the SLO windows are
 * back-to-back tiles of shorter recorded windows read at offsets.
 */
export function retentionProblems(profile: EnvironmentProfile, ruleFiles: readonly RuleFile[], rulerRuleFiles: readonly RuleFile[] = []): Problem[] {
  const retention = durationSeconds(profile.prometheus.retention);
  const rules = ruleFiles.flatMap((f) => f.groups.flatMap((g) => g.rules));
  const problems: Problem[] = [];
  const onPrometheus = periodProblem(sloPeriods(rules), retention, "on this Prometheus");
  if (onPrometheus !== undefined) {
    problems.push({ path: ["prometheus", "retention"], message: onPrometheus.text, received: profile.prometheus.retention });
  }
  let widest: { seconds: number; rule: string } | undefined;
  for (const rule of rules) {
    if (isErrorBudgetRule(rule)) continue;
    const seconds = longestRange(rule);
    if (seconds > retention && (widest === undefined || seconds > widest.seconds)) widest = { seconds, rule: ruleName(rule) };
  }
  if (widest !== undefined) {
    problems.push({
      path: ["prometheus", "retention"],
      message: `must be at least ${formatDuration(widest.seconds)}, the furthest back the rules read (${formatDuration(widest.seconds)}, in ${widest.rule})`,
      received: profile.prometheus.retention,
    });
  }
  return [...problems, ...rulerRetentionProblems(profile, rulerRuleFiles)];
}

/** {@link retentionProblems} of the groups Mimir's ruler evaluates, against `mimir.retention`. */
function rulerRetentionProblems(profile: EnvironmentProfile, rulerRuleFiles: readonly RuleFile[]): Problem[] {
  const rules = rulerRuleFiles.flatMap((f) => f.groups.flatMap((g) => g.rules));
  if (rules.length === 0) return [];
  if (profile.mimir === undefined) {
    // rules/placement.ts never places a group on the ruler without Mimir; a caller that did is wrong.
    throw new Error(`environment "${profile.name}" has rules for Mimir's ruler but no mimir section`);
  }
  const retention = durationSeconds(profile.mimir.retention);
  const beside = `(prometheus.retention is ${profile.prometheus.retention}, shorter than the period)`;
  const problems: Problem[] = [];
  const onRuler = periodProblem(sloPeriods(rules), retention, `by Mimir's ruler from Mimir's blocks ${beside}`);
  if (onRuler !== undefined) problems.push({ path: ["mimir", "retention"], message: onRuler.text, received: profile.mimir.retention });
  let widest: { seconds: number; rule: string } | undefined;
  for (const rule of rules) {
    if (isErrorBudgetRule(rule)) continue;
    const seconds = longestRange(rule);
    if (seconds > retention && (widest === undefined || seconds > widest.seconds)) widest = { seconds, rule: ruleName(rule) };
  }
  if (widest !== undefined) {
    problems.push({
      path: ["mimir", "retention"],
      message: `must be at least ${formatDuration(widest.seconds)}, the furthest back the rules Mimir's ruler evaluates read (${formatDuration(widest.seconds)}, in ${widest.rule})`,
      received: profile.mimir.retention,
    });
  }
  return problems;
}

/**
 * Problems of the profile's timing against the rules: the scrape interval at most a quarter of the
 * shortest rate window over raw series, the evaluation interval shorter than the shortest `for`
 * (one evaluation at least before the alert fires), and the retention covering every range read
 * ({@link retentionProblems}).
 */
export function timingProblems(profile: EnvironmentProfile, ruleFiles: readonly RuleFile[], rulerRuleFiles: readonly RuleFile[] = []): Problem[] {
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
  return [...problems, ...retentionProblems(profile, ruleFiles, rulerRuleFiles)];
}
