/**
 * promtool test files: one per rule file, with a firing case for every alerting rule (one
 * evaluation just before it fires and one as it fires, labels and annotations complete), the SLO
 * groups derived from the burn-rate maths, and one healthy group in which no alert of the file fires.
 */
import { durationSeconds } from "../model/duration";
import { buildServiceRuleGroups, PLATFORM_RULE_FILE, serviceRuleFileName } from "./rule-files";
import type { ServiceSpec } from "../signals/service-spec";
import { isAlertingRule, type AlertingRule, type RuleContext } from "../kit/rule-types";
import { alertCaseGroup, type AlertCase } from "../kit/promtool/alert-case";
import { dependencyAlertCases, dependencyHealthySeries } from "../signals/dependency/promtool";
import { healthAlertCases, healthHealthySeries } from "../signals/health/promtool";
import { FIXTURE_ROUTE, healthyHttpSeries, redAlertCases } from "../signals/http/promtool";
import { metaTestGroups } from "../signals/meta/promtool";
import { FIXTURE_STEP, mergeSeries, minutes } from "../kit/promtool/series";
import { sliAbsentCases, sloBurnTestGroups, sloHealthySeries } from "../signals/slo/promtool";
import type { PromtoolTestFile, PromtoolTestGroup } from "../kit/promtool/types";
import { workloadAlertCases, workloadHealthySeries } from "../signals/workload-promtool";

/** Evaluation interval of every test file; fixtures sample once a minute too. */
export const PROMTOOL_EVALUATION_INTERVAL = "1m";

/** Fixture length: an hour, or 30m beyond the longest `for`. */
function fixtureMinutes(rules: readonly AlertingRule[]): number {
  return Math.max(60, ...rules.map((r) => durationSeconds(r.for ?? "0s") / 60 + 30));
}

const ruleKey = (r: AlertingRule) => JSON.stringify([r.alert, r.labels]);

/** Throws unless every alerting rule is the target of a case or of the SLO groups. */
export function assertCovered(service: ServiceSpec, rules: readonly AlertingRule[], cases: readonly AlertCase[]): void {
  const covered = new Set(cases.map((c) => ruleKey(c.target.rule)));
  const missing = rules.filter((r) => r.alert !== "SLOErrorBudgetBurn" && !covered.has(ruleKey(r)));
  if (missing.length > 0) {
    throw new Error(`every alert needs a firing fixture; service "${service.name}" has none for ${missing.map((r) => `${r.alert} ${JSON.stringify(r.labels)}`).join(", ")}`);
  }
}

/** Healthy series of everything the service's rules read, and a check that none of its alerts fires. */
function healthyGroup(service: ServiceSpec, rules: readonly AlertingRule[], total: number): PromtoolTestGroup {
  // One healthy route serves RED and every HTTP SLI it is in scope of; event SLIs have their own.
  const httpRoutes = new Set(service.red.enabled ? [FIXTURE_ROUTE] : []);
  for (const slo of service.slos) if (slo.kind !== "events") httpRoutes.add(slo.routes?.[0] ?? FIXTURE_ROUTE);
  const series = mergeSeries(
    ...[...httpRoutes].map((route) => healthyHttpSeries(service, route, total)),
    ...service.slos.filter((slo) => slo.kind === "events").map((slo) => sloHealthySeries(service, slo, total)),
    dependencyHealthySeries(service, total),
    workloadHealthySeries(service, total),
    healthHealthySeries(service, total),
  );
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
  const cases = [
    ...redAlertCases(service, ctx, total),
    ...sliAbsentCases(service, ctx, total),
    ...dependencyAlertCases(service, ctx, total),
    ...workloadAlertCases(service, ctx, total),
    ...healthAlertCases(service, ctx, total),
  ];
  assertCovered(service, rules, cases);
  return {
    fileName: serviceRuleFileName(service),
    rule_files: [`../${serviceRuleFileName(service)}`],
    evaluation_interval: PROMTOOL_EVALUATION_INTERVAL,
    tests: [
      ...cases.map(alertCaseGroup),
      ...service.slos.flatMap((slo) => sloBurnTestGroups(service, slo, ctx)),
      healthyGroup(service, rules, total),
    ],
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
      tests: metaTestGroups(ctx, 60),
    },
  ];
  return files.sort((a, b) => a.fileName.localeCompare(b.fileName));
}
