/**
 * promtool test files: one per rule file, with a firing case for every alerting rule (one
 * evaluation just before it fires and one as it fires, labels and annotations complete), every
 * kind's further groups (the SLO burn-rate maths), and one healthy group in which no alert of the
 * file fires.
 */
import { durationSeconds } from "../model/duration";
import { alertCaseGroup, type AlertCase } from "../kit/promtool/alert-case";
import { FIXTURE_STEP, mergeSeries, minutes } from "../kit/promtool/series";
import type { PromtoolTestFile, PromtoolTestGroup } from "../kit/promtool/types";
import { isAlertingRule, type AlertingRule, type RuleContext } from "../kit/rule-types";
import { SIGNAL_KINDS } from "../signals";
import type { ProvenApart } from "../signals/kind";
import type { ServiceSpec } from "../signals/service-spec";
import { buildServiceRuleGroups, PLATFORM_RULE_FILE, serviceRuleFileName } from "./rule-files";

/** Evaluation interval of every test file; fixtures sample once a minute too. */
export const PROMTOOL_EVALUATION_INTERVAL = "1m";

/** Fixture length: an hour, or 30m beyond the longest `for`. */
function fixtureMinutes(rules: readonly AlertingRule[]): number {
  return Math.max(60, ...rules.map((r) => durationSeconds(r.for ?? "0s") / 60 + 30));
}

const ruleKey = (r: AlertingRule) => JSON.stringify([r.alert, r.labels]);

/** `alertname/severity` of an expected `ALERTS{alertstate="firing", ...}` sample, or nothing. */
function firingAlertOf(labels: string): string[] {
  if (!labels.startsWith("ALERTS{") || !labels.includes('alertstate="firing"')) return [];
  const value = (name: string) => new RegExp(`(?:^ALERTS\\{|, )${name}="([^"]*)"`).exec(labels)?.[1];
  const [alertname, severity] = [value("alertname"), value("severity")];
  return alertname === undefined || severity === undefined ? [] : [`${alertname}/${severity}`];
}

/** Whether a kind proves `rule` outside the service's test file ({@link ProvenApart}). */
export function isProvenApart(rule: Pick<AlertingRule, "alert" | "labels">, apart: readonly ProvenApart[]): boolean {
  return apart.some((a) => a.alert === rule.alert && Object.entries(a.labels).every(([k, v]) => rule.labels[k] === v));
}

/**
 * Throws unless every alerting rule is the target of a case, or fires in one of the further groups
 * (matched by name and severity: an expected alert, or an expected firing `ALERTS` sample).
 */
export function assertCovered(
  service: Pick<ServiceSpec, "name">,
  rules: readonly AlertingRule[],
  cases: readonly AlertCase[],
  groups: readonly PromtoolTestGroup[] = [],
  apart: readonly ProvenApart[] = [],
): void {
  const covered = new Set(cases.map((c) => ruleKey(c.target.rule)));
  const firingInGroups = new Set([
    ...groups.flatMap((g) => (g.alert_rule_test ?? []).flatMap((t) => t.exp_alerts.map((a) => `${t.alertname}/${a.exp_labels.severity}`))),
    ...groups.flatMap((g) => (g.promql_expr_test ?? []).flatMap((t) => t.exp_samples.flatMap((sample) => firingAlertOf(sample.labels)))),
  ]);
  const missing = rules.filter((r) => !covered.has(ruleKey(r)) && !firingInGroups.has(`${r.alert}/${r.labels.severity}`) && !isProvenApart(r, apart));
  if (missing.length > 0) {
    throw new Error(
      `every alert needs a firing fixture; service "${service.name}" has none for ${missing.map((r) => `${r.alert} ${JSON.stringify(r.labels)}`).join(", ")}`,
    );
  }
}

/** Healthy series of everything the service's rules read, and a check that none of its alerts fires. */
function healthyGroup(service: ServiceSpec, rules: readonly AlertingRule[], total: number): PromtoolTestGroup {
  const series = mergeSeries(...SIGNAL_KINDS.map((kind) => kind.healthySeries(service, total)));
  const names = [...new Set(rules.map((r) => r.alert))].sort();
  return {
    name: `${service.name}: healthy traffic fires none of its alerts`,
    interval: FIXTURE_STEP,
    input_series: series,
    alert_rule_test: names.map((alertname) => ({ eval_time: minutes(total), alertname, exp_alerts: [] })),
  };
}

/** The test file of one service's rule file. */
export function buildServiceTestFile(service: ServiceSpec, ctx: RuleContext): PromtoolTestFile {
  const rules = buildServiceRuleGroups(service, ctx).flatMap((g) => g.rules.filter(isAlertingRule));
  const total = fixtureMinutes(rules);
  const cases = SIGNAL_KINDS.flatMap((kind) => kind.alertCases(service, ctx, total));
  const groups = SIGNAL_KINDS.flatMap((kind) => kind.testGroups(service, ctx));
  assertCovered(
    service,
    rules,
    cases,
    groups,
    SIGNAL_KINDS.flatMap((kind) => kind.provenApart(service)),
  );
  return {
    fileName: serviceRuleFileName(service),
    rule_files: [`../${serviceRuleFileName(service)}`],
    evaluation_interval: PROMTOOL_EVALUATION_INTERVAL,
    tests: [...cases.map(alertCaseGroup), ...groups, healthyGroup(service, rules, total)],
  };
}

/** One test file per rule file of {@link buildRuleFiles}, same names, sorted. */
export function buildPromtoolTestFiles(services: readonly ServiceSpec[], ctx: RuleContext): PromtoolTestFile[] {
  const files: PromtoolTestFile[] = [
    ...services.map((s) => buildServiceTestFile(s, ctx)),
    {
      fileName: PLATFORM_RULE_FILE,
      rule_files: [`../${PLATFORM_RULE_FILE}`],
      evaluation_interval: PROMTOOL_EVALUATION_INTERVAL,
      tests: SIGNAL_KINDS.flatMap((kind) => kind.platformTestGroups(ctx, 60)),
    },
  ];
  return files.sort((a, b) => a.fileName.localeCompare(b.fileName));
}
