/**
 * Semantic difference of two rule sets (one environment's rule files at a base and at a head):
 * which alerts and recording rules were added, removed or changed, and for changed ones which
 * facets moved — severity, team, thresholds, `for`, expression (as changed lines), labels and
 * annotations (each by name), group.
 * Pure: rule groups in, a plain summary out; rendering is in rules-diff-markdown.ts.
 */
import type { Labels, Rule, RuleGroup } from "../kit/rule-types";
import { isAlertingRule } from "../kit/rule-types";

/** One rule located in its group. */
export interface LocatedRule {
  readonly group: string;
  readonly rule: Rule;
}

/** A value before and after a change. */
export type Moved = readonly [before: string, after: string];

/** What changed between two versions of the same rule. */
export interface RuleChange {
  readonly before: LocatedRule;
  readonly after: LocatedRule;
  /** Facet -> [before, after], only for facets that differ. */
  readonly facets: Readonly<Partial<Record<ChangeFacet, Moved>>>;
  /** Labels other than severity and team that differ, by name; `""` where a side lacks the label. */
  readonly labels: Readonly<Record<string, Moved>>;
  /** Annotations that differ, by name; `""` where a side lacks the annotation. */
  readonly annotations: Readonly<Record<string, Moved>>;
}

/** The single-valued facets a reviewer cares about, in the order they are shown. */
export const CHANGE_FACETS = ["severity", "routing", "threshold", "for", "expr", "group"] as const;
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
 * Key that matches a rule across versions: kind, name and labels other than severity and team.
 * Severity and team are facets that may change, so they do not take part; rules of one key that
 * differ only by severity (an SLO's page and ticket) are told apart by {@link pairRules}.
 */
function matchKey(rule: Rule): string {
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

/** The distinct thresholds of an expression, in order of first use, as one line. */
export function thresholdsText(expr: string): string {
  return [...new Set(comparisonThresholds(expr))].join(", ");
}

/** One run of changed lines: `removed` lines of the before text replaced by `added` lines of the after text. */
export interface LineHunk {
  /** 1-based line of the before text the hunk starts at. */
  readonly beforeLine: number;
  /** 1-based line of the after text the hunk starts at. */
  readonly afterLine: number;
  readonly removed: readonly string[];
  readonly added: readonly string[];
}

/** The changed lines of `before` -> `after` (longest common subsequence of lines), unchanged lines left out. */
export function lineDiff(before: string, after: string): LineHunk[] {
  const a = before.split("\n");
  const b = after.split("\n");
  // common[i][j]: length of the longest common subsequence of a[i..] and b[j..].
  const common = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i -= 1) {
    for (let j = b.length - 1; j >= 0; j -= 1) {
      common[i]![j] = a[i] === b[j] ? common[i + 1]![j + 1]! + 1 : Math.max(common[i + 1]![j]!, common[i]![j + 1]!);
    }
  }
  const hunks: LineHunk[] = [];
  let open: { beforeLine: number; afterLine: number; removed: string[]; added: string[] } | undefined;
  const close = () => {
    if (open) hunks.push(open);
    open = undefined;
  };
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      close();
      i += 1;
      j += 1;
      continue;
    }
    open ??= { beforeLine: i + 1, afterLine: j + 1, removed: [], added: [] };
    if (j >= b.length || (i < a.length && common[i + 1]![j]! >= common[i]![j + 1]!)) open.removed.push(a[i++]!);
    else open.added.push(b[j++]!);
  }
  close();
  return hunks;
}

/** Entries of two label sets that differ, by name. */
function movedEntries(a: Labels | undefined, b: Labels | undefined, omit: readonly string[] = []): Record<string, Moved> {
  const names = [...new Set([...Object.keys(a ?? {}), ...Object.keys(b ?? {})])].filter((k) => !omit.includes(k)).sort();
  const moved: Record<string, Moved> = {};
  for (const name of names) if ((a?.[name] ?? "") !== (b?.[name] ?? "")) moved[name] = [a?.[name] ?? "", b?.[name] ?? ""];
  return moved;
}

/** The change from `before` to `after`, or undefined when they do not differ. */
function changeOf(before: LocatedRule, after: LocatedRule): RuleChange | undefined {
  const facets: Partial<Record<ChangeFacet, Moved>> = {};
  const differ = (facet: ChangeFacet, x: string, y: string) => {
    if (x !== y) facets[facet] = [x, y];
  };
  const a = before.rule;
  const b = after.rule;
  differ("severity", a.labels?.severity ?? "", b.labels?.severity ?? "");
  differ("routing", a.labels?.team ?? "", b.labels?.team ?? "");
  differ("threshold", thresholdsText(a.expr), thresholdsText(b.expr));
  differ("for", (isAlertingRule(a) && a.for) || "", (isAlertingRule(b) && b.for) || "");
  differ("expr", a.expr.trim(), b.expr.trim());
  differ("group", before.group, after.group);
  const labels = movedEntries(a.labels, b.labels, ["severity", ...ROUTING_LABELS]);
  const annotations = movedEntries(isAlertingRule(a) ? a.annotations : undefined, isAlertingRule(b) ? b.annotations : undefined);
  const count = Object.keys(facets).length + Object.keys(labels).length + Object.keys(annotations).length;
  return count === 0 ? undefined : { before, after, facets, labels, annotations };
}

function groupByKey(rules: readonly LocatedRule[]): Map<string, LocatedRule[]> {
  const groups = new Map<string, LocatedRule[]>();
  for (const located of rules) {
    const key = matchKey(located.rule);
    groups.set(key, [...(groups.get(key) ?? []), located]);
  }
  return groups;
}

/**
 * Pairs the rules of one key across versions: first those of the same severity (so a page and a
 * ticket of one SLO each meet their own), then what is left in order (so a lone alert whose
 * severity moved is a change, not a removal and an addition).
 */
function pairRules(
  before: readonly LocatedRule[],
  after: readonly LocatedRule[],
): { pairs: [LocatedRule, LocatedRule][]; removed: LocatedRule[]; added: LocatedRule[] } {
  const severity = (located: LocatedRule) => located.rule.labels?.severity ?? "";
  const left = [...after];
  const matched = new Map<LocatedRule, LocatedRule>();
  for (const old of before) {
    const at = left.findIndex((now) => severity(now) === severity(old));
    if (at >= 0) matched.set(old, left.splice(at, 1)[0]!);
  }
  const unmatched = before.filter((old) => !matched.has(old));
  unmatched.slice(0, left.length).forEach((old, n) => matched.set(old, left[n]!));
  const pairs = before.filter((old) => matched.has(old)).map((old): [LocatedRule, LocatedRule] => [old, matched.get(old)!]);
  return { pairs, removed: unmatched.slice(left.length), added: left.slice(unmatched.length) };
}

function diffKind(before: readonly LocatedRule[], after: readonly LocatedRule[]): RuleKindDiff {
  const a = groupByKey(before);
  const b = groupByKey(after);
  const added: LocatedRule[] = [];
  const removed: LocatedRule[] = [];
  const changed: RuleChange[] = [];
  for (const [key, olds] of a) {
    const paired = pairRules(olds, b.get(key) ?? []);
    removed.push(...paired.removed);
    added.push(...paired.added);
    for (const [old, now] of paired.pairs) {
      const change = changeOf(old, now);
      if (change) changed.push(change);
    }
  }
  for (const [key, nows] of b) if (!a.has(key)) added.push(...nows);
  // Added rules in the order the head lists them, whichever loop found them.
  const order = new Map(after.map((located, n) => [located, n]));
  added.sort((x, y) => order.get(x)! - order.get(y)!);
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

/**
 * The labels that tell a rule apart from others of its name, for display: every label but the
 * team, so severity shows (`{service="edge", severity="critical", slo="availability"}`).
 */
export function distinguishingLabels(rule: Rule): string {
  const text = labelsText(rule.labels, ROUTING_LABELS);
  return text ? `{${text}}` : "";
}
