/**
 * Applies a service's `alertOverrides` (model/alert-overrides.ts) to what the kinds build for it,
 * in one place (signals/kind.ts calls it): the rules, the rules the promtool cases expect to fire,
 * and the alerts the further test groups expect. So a rule and its tests always agree on its
 * `severity` and `team`, and routing follows, since Alertmanager routes by these two labels.
 *
 * {@link alertOverrideProblems} checks the overrides against the rules the kinds build without
 * them: every override names an alert the service raises and matches one of its rules, and none
 * breaks inhibition (a tier of an alert whose severities are keyed in the kind's part, or a
 * dependency-down alert lowered below critical while it mutes its dependents' pages).
 */
import type { AlertOverride } from "../model/alert-overrides";
import type { AlertCase, FiringRule } from "../kit/promtool/alert-case";
import type { PromtoolTestGroup } from "../kit/promtool/types";
import { sortedLabels } from "../kit/rule";
import { isAlertingRule, type AlertingRule, type Labels, type RuleGroup } from "../kit/rule-types";

/** True when the override applies to an alert of this name with these labels. */
function matches(override: AlertOverride, alert: string, labels: Labels): boolean {
  return override.alert === alert && Object.entries(override.where).every(([name, value]) => labels[name] === value);
}

/** `labels` of an alert named `alert`, with the `severity` and `team` of every override that matches them. */
export function overriddenLabels(overrides: readonly AlertOverride[], alert: string, labels: Labels): Labels {
  const changes = overrides.filter((o) => matches(o, alert, labels));
  if (changes.length === 0) return labels;
  const changed: Record<string, string> = { ...labels };
  for (const o of changes) {
    if (o.severity !== undefined) changed.severity = o.severity;
    if (o.team !== undefined) changed.team = o.team;
  }
  return sortedLabels(changed);
}

function overriddenRule(overrides: readonly AlertOverride[], rule: AlertingRule): AlertingRule {
  const labels = overriddenLabels(overrides, rule.alert, rule.labels);
  return labels === rule.labels ? rule : { ...rule, labels };
}

/** The groups with every matching alerting rule overridden; recording rules untouched. */
export function overrideGroups(overrides: readonly AlertOverride[], groups: RuleGroup[]): RuleGroup[] {
  if (overrides.length === 0) return groups;
  return groups.map((g) => ({ ...g, rules: g.rules.map((r) => (isAlertingRule(r) ? overriddenRule(overrides, r) : r)) }));
}

/** The cases with their target and also-firing rules overridden as the deployed rules are. */
export function overrideCases(overrides: readonly AlertOverride[], cases: AlertCase[]): AlertCase[] {
  if (overrides.length === 0) return cases;
  const firing = (f: FiringRule): FiringRule => ({ ...f, rule: overriddenRule(overrides, f.rule) });
  return cases.map((c) => ({ ...c, target: firing(c.target), ...(c.alsoFiring ? { alsoFiring: c.alsoFiring.map(firing) } : {}) }));
}

/** The groups' expected alerts with their labels overridden as the rules that raise them are. */
export function overrideTestGroups(overrides: readonly AlertOverride[], groups: PromtoolTestGroup[]): PromtoolTestGroup[] {
  if (overrides.length === 0) return groups;
  return groups.map((g) =>
    g.alert_rule_test === undefined
      ? g
      : {
          ...g,
          alert_rule_test: g.alert_rule_test.map((t) => ({
            ...t,
            exp_alerts: t.exp_alerts.map((a) => ({ ...a, exp_labels: overriddenLabels(overrides, t.alertname, a.exp_labels) })),
          })),
        },
  );
}

/** What the check needs to know of the kinds, from the registry. */
export interface OverrideRules {
  /** Alerts whose severities a kind's part keys its thresholds by, with the field that does (`red.errorRatio`). */
  readonly severityDeclaredIn: Readonly<Record<string, string>>;
  /** Alerts saying a dependency is down: they mute every alert of the services depending on it. */
  readonly dependencyDownAlerts: readonly string[];
}

/** A problem of one override, at its path in the spec. */
export interface OverrideProblem {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

const FIELDS_OVERRIDDEN = ["severity", "team"] as const;

function describeLabels(labels: Labels): string {
  const shown = Object.entries(labels).filter(([name]) => name !== "service" && name !== "team");
  return `{${shown.map(([name, value]) => `${name}="${value}"`).join(", ")}}`;
}

/** The problems of one override, given the service's rules without overrides. */
function problemsOf(o: AlertOverride, index: number, all: readonly AlertOverride[], rules: readonly AlertingRule[], kinds: OverrideRules): OverrideProblem[] {
  const at = (...path: (string | number)[]) => ["alertOverrides", index, ...path];
  const names = [...new Set(rules.map((r) => r.alert))].sort();
  const ofAlert = rules.filter((r) => r.alert === o.alert);
  if (ofAlert.length === 0) return [{ path: at("alert"), message: `must name an alert the service raises (${names.join(", ") || "none"})` }];
  const known = [...new Set(ofAlert.flatMap((r) => Object.keys(r.labels)))].sort();
  const unknown = Object.keys(o.where).filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    return unknown.map((name) => ({ path: at("where", name), message: `must be a label of the service's ${o.alert} rules (${known.join(", ")})` }));
  }
  const matched = ofAlert.filter((r) => matches(o, r.alert, r.labels));
  if (matched.length === 0) {
    return [{ path: at("where"), message: `must match a ${o.alert} rule of the service (${ofAlert.map((r) => describeLabels(r.labels)).join(", ")})` }];
  }
  const problems: OverrideProblem[] = [];
  const declaredIn = kinds.severityDeclaredIn[o.alert];
  if (o.severity !== undefined && declaredIn !== undefined) {
    problems.push({
      path: at("severity"),
      message: `cannot be overridden for ${o.alert}: its severities are the keys of ${declaredIn}, tiers of one alert in which the critical mutes the warning; set the severity there`,
    });
  }
  if (o.severity !== undefined && o.severity !== "critical" && kinds.dependencyDownAlerts.includes(o.alert)) {
    problems.push({
      path: at("severity"),
      message: `must stay critical for ${o.alert}: while it fires, every alert of the services depending on the dependency is muted, pages included, so an outage would page nobody`,
    });
  }
  all.forEach((other, j) => {
    if (j >= index) return;
    const shared = FIELDS_OVERRIDDEN.filter((f) => o[f] !== undefined && other[f] !== undefined);
    const both = matched.find((r) => matches(other, r.alert, r.labels));
    if (shared.length > 0 && both !== undefined) {
      problems.push({
        path: at(),
        message: `must not set the ${shared.join(" and ")} alertOverrides[${j}] sets for ${o.alert} ${describeLabels(both.labels)}`,
      });
    }
  });
  return problems;
}

/** Every problem of the service's overrides, given its alerting rules as the kinds build them without overrides. */
export function alertOverrideProblems(overrides: readonly AlertOverride[], rules: readonly AlertingRule[], kinds: OverrideRules): OverrideProblem[] {
  return overrides.flatMap((o, i) => problemsOf(o, i, overrides, rules, kinds));
}
