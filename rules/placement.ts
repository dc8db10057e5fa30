/**
 * Where each rule group of an environment is evaluated: on Prometheus (a PrometheusRule object) or
 * by Mimir's ruler (a rule file in the ConfigMap the ruler pods mount).
 *
 * Trade-off. The burn-rate alerts and every other group stay on Prometheus: alerting keeps working
 * through a Mimir outage, goes through the one Alertmanager, and promtool tests exactly what is
 * deployed. Only a group that reads further back than Prometheus keeps samples, and holds no
 * alerting rule, moves to the ruler where the profile has Mimir: an SLO's error-budget group over a
 * 90-day period or a calendar month (signals/slo/rules.ts, `<service>.slo.<slo>.budget`). Those are
 * recording rules that no alert reads (only dashboards do, and Grafana reads Mimir where it runs),
 * so a Mimir outage freezes a dashboard number and pages nobody; in exchange Prometheus keeps 30d
 * on disk, not 90d, and the long range is read from Mimir's object storage. The inputs the budget
 * reads (the recorded 5m and 1h SLI series) reach Mimir by Prometheus' remote write, which sends
 * every series (no write relabelling: helm-values/kube-prometheus-stack.ts). Without Mimir (local,
 * dev) every group runs on Prometheus and its retention must cover the longest one
 * (artifacts/timing-problems.ts).
 */
import { durationSeconds } from "../model/duration";
import { lookbackSeconds } from "../kit/promql-syntax";
import { isAlertingRule, type RuleFile, type RuleGroup } from "../kit/rule-types";
import type { PromtoolTestFile } from "../kit/promtool/types";
import type { EnvironmentProfile } from "../environments/profile-schema";

/** The two places a rule group can be evaluated. */
export type RuleEvaluator = "prometheus" | "mimir-ruler";

/** Folder of `generated/<env>/rules/` holding the ruler's rule files, `<folder>/<tenant>/<file>`. */
export const MIMIR_RULER_RULES_FOLDER = "mimir-ruler";

/** How far back any rule of the group reads (ranges, subqueries and offsets), in seconds. */
export function groupLookbackSeconds(group: RuleGroup): number {
  return Math.max(0, ...group.rules.map((rule) => lookbackSeconds(rule.expr)));
}

/**
 * Where `group` is evaluated in an environment with `profile`: by Mimir's ruler when the profile
 * has Mimir, the group reads further back than `prometheus.retention` and it has no alerting rule
 * (alerts stay on Prometheus, whatever they read); on Prometheus otherwise.
 */
export function ruleGroupEvaluator(group: RuleGroup, profile: Pick<EnvironmentProfile, "prometheus" | "mimir">): RuleEvaluator {
  if (profile.mimir === undefined || group.rules.some(isAlertingRule)) return "prometheus";
  return groupLookbackSeconds(group) > durationSeconds(profile.prometheus.retention) ? "mimir-ruler" : "prometheus";
}

/** An environment's rule files split by evaluator, file names kept. */
export interface PlacedRuleFiles {
  /** Every file, without the groups the ruler evaluates (a file may be left with none). */
  readonly prometheus: readonly RuleFile[];
  /** The files that have a group for the ruler, with those groups only. */
  readonly mimirRuler: readonly RuleFile[];
}

/** Splits `ruleFiles` by {@link ruleGroupEvaluator}: each group in exactly one of the two. */
export function placeRuleFiles(ruleFiles: readonly RuleFile[], profile: Pick<EnvironmentProfile, "prometheus" | "mimir">): PlacedRuleFiles {
  const on = (file: RuleFile, evaluator: RuleEvaluator) => file.groups.filter((g) => ruleGroupEvaluator(g, profile) === evaluator);
  return {
    prometheus: ruleFiles.map((file) => ({ fileName: file.fileName, groups: on(file, "prometheus") })),
    mimirRuler: ruleFiles.map((file) => ({ fileName: file.fileName, groups: on(file, "mimir-ruler") })).filter((file) => file.groups.length > 0),
  };
}

/** Path of a ruler rule file under `generated/<env>/rules/`: `mimir-ruler/<tenant>/<file>`, the ruler's own layout. */
export function mimirRulerRuleFilePath(tenant: string, fileName: string): string {
  return `${MIMIR_RULER_RULES_FOLDER}/${tenant}/${fileName}`;
}

/**
 * The promtool test files with each one whose rule file has groups on the ruler also loading that
 * file (`../mimir-ruler/<tenant>/<file>`): promtool still tests the union, every group where it is
 * deployed.
 */
export function withRulerRuleFiles(testFiles: readonly PromtoolTestFile[], rulerFiles: readonly RuleFile[], tenant: string | undefined): PromtoolTestFile[] {
  if (tenant === undefined || rulerFiles.length === 0) return [...testFiles];
  const moved = new Set(rulerFiles.map((f) => f.fileName));
  return testFiles.map((test) =>
    moved.has(test.fileName) ? { ...test, rule_files: [...test.rule_files, `../${mimirRulerRuleFilePath(tenant, test.fileName)}`] } : test,
  );
}
