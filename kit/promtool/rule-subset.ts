/**
 * The rules a promtool case needs, for cases that run for weeks of fixture time: promtool
 * evaluates every rule of its rule files at every evaluation, so a case that only reads the error
 * budget runs on the budget rule and the rules it reads (transitively), kept verbatim, in their
 * groups and order, and nothing else.
 */
import { parser } from "@prometheus-io/lezer-promql";
import { isRecordingRule, type Rule, type RuleGroup } from "../rule-types";

/** Metric names of every vector selector of `expr` (`{__name__="x"}` selectors are not read by name). */
export function metricsRead(expr: string): Set<string> {
  const names = new Set<string>();
  const cursor = parser.parse(expr).cursor();
  do {
    if (cursor.name !== "VectorSelector") continue;
    const identifier = cursor.node.getChild("Identifier");
    if (identifier !== null) names.add(expr.slice(identifier.from, identifier.to));
  } while (cursor.next());
  return names;
}

const output = (rule: Rule): string => (isRecordingRule(rule) ? rule.record : rule.alert);

/**
 * The rules of `groups` that produce one of `targets` (recorded series or alert names), and every
 * recording rule their expressions read, transitively: a read is by series name, so pass the
 * groups of one SLO (or one service) whose rules tell their series apart by labels. Groups left
 * empty are dropped. Throws when a target is produced by no rule.
 */
export function rulesFeeding(groups: readonly RuleGroup[], targets: readonly string[]): RuleGroup[] {
  const rules = groups.flatMap((g) => g.rules);
  const unknown = targets.filter((t) => !rules.some((r) => output(r) === t));
  if (unknown.length > 0)
    throw new Error(`rulesFeeding: no rule produces ${unknown.join(", ")} (rules produce: ${[...new Set(rules.map(output))].join(", ")})`);
  const needed = new Set(targets);
  // Fixpoint: a needed rule's reads are needed too (a recorded series may be read before its rule).
  for (let grew = true; grew;) {
    grew = false;
    for (const rule of rules.filter((r) => needed.has(output(r)))) {
      for (const name of metricsRead(rule.expr)) {
        if (!needed.has(name) && rules.some((r) => isRecordingRule(r) && r.record === name)) {
          needed.add(name);
          grew = true;
        }
      }
    }
  }
  return groups.map((g) => ({ ...g, rules: g.rules.filter((r) => needed.has(output(r))) })).filter((g) => g.rules.length > 0);
}
