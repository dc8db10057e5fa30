/**
 * An alert fixture and the promtool test group it becomes: input series that make the expression
 * hold from a known minute, and checks one evaluation before and at the end of the rule's `for`.
 */
import { durationSeconds } from "../../model/duration";
import { sortedLabels } from "../rule";
import type { AlertingRule, Labels } from "../rule-types";
import { FIXTURE_STEP, minutes } from "./series";
import type { AlertRuleTest, ExpectedAlert, PromtoolSeries, PromtoolTestGroup } from "./types";

const LABEL_REF = /\{\{\s*\$labels\.([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}/g;

/**
 * An annotation as Prometheus renders it: `{{ $labels.x }}` becomes the value of label `x` of the
 * *expression's* result (static rule labels are not visible to templates). Throws when a template
 * names a label the expression does not yield, since Prometheus would render it empty.
 */
export function expandAnnotation(template: string, exprLabels: Labels, where: string): string {
  const text = template.replace(LABEL_REF, (_, name: string) => {
    const value = exprLabels[name];
    if (value === undefined) {
      throw new Error(
        `annotation of ${where} uses {{ $labels.${name} }}, which its expression does not yield (it yields: ${Object.keys(exprLabels).join(", ") || "no labels"})`,
      );
    }
    return value;
  });
  if (text.includes("{{")) throw new Error(`annotation of ${where} uses a template fixtures cannot expand: ${JSON.stringify(template)}`);
  return text;
}

/** One rule of the fixture: the labels its expression yields and the first minute it holds. */
export interface FiringRule {
  readonly rule: AlertingRule;
  readonly exprLabels: Labels;
  readonly activeAtMinute: number;
}

/** The alert a firing rule sends: rule labels over expression labels, expanded annotations. */
export function expectedAlert(firing: FiringRule): ExpectedAlert {
  const where = `${firing.rule.alert} (${firing.rule.labels.severity})`;
  return {
    exp_labels: sortedLabels({ ...firing.exprLabels, ...firing.rule.labels }),
    exp_annotations: Object.fromEntries(Object.entries(firing.rule.annotations).map(([k, v]) => [k, expandAnnotation(v, firing.exprLabels, where)])),
  };
}

function forMinutes(rule: AlertingRule): number {
  return durationSeconds(rule.for ?? "0s") / 60;
}

/** A fixture that makes `target` fire; `alsoFiring` are rules of the same name the series trigger too. */
export interface AlertCase {
  readonly name: string;
  readonly target: FiringRule;
  readonly alsoFiring?: readonly FiringRule[];
  readonly series: readonly PromtoolSeries[];
}

/** The minute the target fires: expression active, then its whole `for`. */
export function firesAtMinute(c: AlertCase): number {
  return c.target.activeAtMinute + forMinutes(c.target.rule);
}

/** Alerts of the case's name firing at minute `t`. */
function firingAt(c: AlertCase, t: number): ExpectedAlert[] {
  return [c.target, ...(c.alsoFiring ?? [])]
    .filter((f) => f.activeAtMinute + forMinutes(f.rule) <= t)
    .map(expectedAlert)
    .sort((a, b) => JSON.stringify(a.exp_labels).localeCompare(JSON.stringify(b.exp_labels)));
}

/** The test group of a case: one evaluation just before the alert fires (when there is one), one as it fires. */
export function alertCaseGroup(c: AlertCase): PromtoolTestGroup {
  const fires = firesAtMinute(c);
  const check = (t: number): AlertRuleTest => ({ eval_time: minutes(t), alertname: c.target.rule.alert, exp_alerts: firingAt(c, t) });
  return {
    name: c.name,
    interval: FIXTURE_STEP,
    input_series: c.series,
    alert_rule_test: fires > 0 ? [check(fires - 1), check(fires)] : [check(fires)],
  };
}
