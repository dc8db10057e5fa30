/**
 * Semantic difference of two rule sets (one environment's rule files at a base and at a head):
 * which alerts and recording rules were added, removed or changed, and for changed ones which
 * facets moved — expression, thresholds, `for`, severity, routing labels, other labels, annotations.
 * Pure: rule groups in, a plain summary out; rendering is in rules-diff-markdown.ts.
 */
import type { Labels, Rule, RuleGroup } from "../kit/rule-types";
import { isAlertingRule } from "../kit/rule-types";

/** One rule located in its group, with a stable identity across the two sides. */
export interface LocatedRule {
  readonly group: string;
  readonly rule: Rule;
}

/** What changed between two versions of the same rule. */
export interface RuleChange {
  readonly before: LocatedRule;
  readonly after: LocatedRule;
  /** Facet -> [before, after], only for facets that differ. */
  readonly facets: Readonly<Partial<Record<ChangeFacet, readonly [string, string]>>>;
}

/** The facets a reviewer cares about, in the order they are shown. */
export const CHANGE_FACETS = ["severity", "routing", "threshold", "for", "expr", "labels", "annotations", "group"] as const;
export type ChangeFacet = (typeof CHANGE_FACETS)[number];

/** Differences of one kind of rule. */
export interface RuleKindDiff {
  readonly added: readonly LocatedRule[];
  readonly removed: readonly LocatedRule[];
  readonly changed: readonly RuleChange[];
}

/** Differences of one environment. */
export interface RuleSetDiff {
  readonly alerts: RuleKindDiff;
  readonly recordingRules: RuleKindDiff;
}

/** Labels that decide where an alert is routed (Alertmanager's tree is by severity and team). */
const ROUTING_LABELS = ["team"] as const;

/** The rule's name: `alert` or `record`. */
export function ruleName(rule: Rule): string {
  return isAlertingRule(rule) ? rule.alert : rule.record;
}

function labelsText(labels: Labels | undefined, omit: readonly string[] = []): string {
  const entries = Object.entries(labels ?? {})
    .filter(([k]) => !omit.includes(k))
    .sort(([a], [b]) => a.localeCompare(b));
  return entries.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(", ");
}

/**
 * Identity of a rule across versions: kind, name and identifying labels. Severity, team and the
 * group are facets that may change, so they are not part of it.
 */
function identity(located: LocatedRule): string {
  const { rule } = located;
  const kind = isAlertingRule(rule) ? "alert" : "record";
  return `${kind}:${ruleName(rule)}{${labelsText(rule.labels, ["severity", ...ROUTING_LABELS])}}`;
}

/** A constant a comparison is made against: a number, or a parenthesised product such as `(14.4 * 0.001)`. */
const NUMBER = String.raw`-?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?`;
const CONSTANT_ARITHMETIC = String.raw`\((?:[\d.eE+\-*/%^ ]|\([\d.eE+\-*/%^ ]*\))*\d(?:[\d.eE+\-*/%^ ]|\([\d.eE+\-*/%^ ]*\))*\)`;

/**
 * Numbers (or constant arithmetic) an expression compares against (`> 0.05`, `>= 2`, `< 1`,
 * `> (14.4 * 0.001)`), in order: the thresholds a reviewer wants to see move. Numbers inside
 * selectors and functions are not thresholds.
 */
export function comparisonThresholds(expr: string): string[] {
  const comparison = new RegExp(String.raw`(?:[<>]=?|==|!=)\s*(?:bool\s+)?(?:(${CONSTANT_ARITHMETIC})|\(?\s*(${NUMBER})(?![\w.]))`, "gi");
  return [...expr.matchAll(comparison)].map((match) => (match[1] ? match[1].slice(1, -1).trim() : match[2]!));
}

function facetsOf(before: LocatedRule, after: LocatedRule): RuleChange["facets"] {
  const facets: Partial<Record<ChangeFacet, readonly [string, string]>> = {};
  const differ = (facet: ChangeFacet, a: string, b: string) => {
    if (a !== b) facets[facet] = [a, b];
  };
  const a = before.rule;
  const b = after.rule;
  differ("severity", a.labels?.severity ?? "", b.labels?.severity ?? "");
  differ("routing", a.labels?.team ?? "", b.labels?.team ?? "");
  differ("threshold", comparisonThresholds(a.expr).join(", "), comparisonThresholds(b.expr).join(", "));
  differ("for", (isAlertingRule(a) && a.for) || "", (isAlertingRule(b) && b.for) || "");
  differ("expr", a.expr.trim(), b.expr.trim());
  differ("labels", labelsText(a.labels, ["severity", ...ROUTING_LABELS]), labelsText(b.labels, ["severity", ...ROUTING_LABELS]));
  differ("annotations", labelsText(isAlertingRule(a) ? a.annotations : undefined), labelsText(isAlertingRule(b) ? b.annotations : undefined));
  differ("group", before.group, after.group);
  return facets;
}

/** Indexes rules by identity; a repeated identity gets `#2`, `#3` in order, so nothing is lost. */
function byIdentity(rules: readonly LocatedRule[]): Map<string, LocatedRule> {
  const index = new Map<string, LocatedRule>();
  const seen = new Map<string, number>();
  for (const located of rules) {
    const base = identity(located);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    index.set(n === 1 ? base : `${base}#${n}`, located);
  }
  return index;
}

function diffKind(before: readonly LocatedRule[], after: readonly LocatedRule[]): RuleKindDiff {
  const a = byIdentity(before);
  const b = byIdentity(after);
  const added: LocatedRule[] = [];
  const removed: LocatedRule[] = [];
  const changed: RuleChange[] = [];
  for (const [key, old] of a) {
    const now = b.get(key);
    if (!now) removed.push(old);
    else if (Object.keys(facetsOf(old, now)).length > 0) changed.push({ before: old, after: now, facets: facetsOf(old, now) });
  }
  for (const [key, now] of b) if (!a.has(key)) added.push(now);
  return { added, removed, changed };
}

/** Flattens rule groups into located rules. */
export function locateRules(groups: readonly RuleGroup[]): LocatedRule[] {
  return groups.flatMap((group) => group.rules.map((rule) => ({ group: group.name, rule })));
}

/** The semantic difference between two versions of one environment's rule groups. */
export function diffRuleSets(before: readonly RuleGroup[], after: readonly RuleGroup[]): RuleSetDiff {
  const a = locateRules(before);
  const b = locateRules(after);
  const alerts = (rules: LocatedRule[]) => rules.filter((r) => isAlertingRule(r.rule));
  const records = (rules: LocatedRule[]) => rules.filter((r) => !isAlertingRule(r.rule));
  return { alerts: diffKind(alerts(a), alerts(b)), recordingRules: diffKind(records(a), records(b)) };
}

/** True when nothing differs. */
export function isEmptyDiff(diff: RuleSetDiff): boolean {
  return [diff.alerts, diff.recordingRules].every((k) => k.added.length + k.removed.length + k.changed.length === 0);
}

/** A short label set for display: `{service="edge", slo="availability"}` (severity and team omitted). */
export function identifyingLabels(rule: Rule): string {
  const text = labelsText(rule.labels, ["severity", ...ROUTING_LABELS]);
  return text ? `{${text}}` : "";
}
