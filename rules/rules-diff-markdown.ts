/**
 * Renders rule-set differences as markdown ready to post as a pull-request comment: per
 * environment, alerts and recording rules added, removed and changed, with the facets that moved.
 */
import { CHANGE_FACETS, identifyingLabels, isEmptyDiff, ruleName, type LocatedRule, type RuleChange, type RuleKindDiff, type RuleSetDiff } from "./rules-diff";
import { isAlertingRule } from "../kit/rule-types";

/** The line printed (and posted) when no environment's rules differ. */
export const NO_RULE_CHANGES = "no rule changes";

const FACET_TITLES: Record<(typeof CHANGE_FACETS)[number], string> = {
  severity: "severity",
  routing: "routing (team)",
  threshold: "threshold",
  for: "for",
  expr: "expr",
  labels: "labels",
  annotations: "annotations",
  group: "group",
};

function code(text: string): string {
  return text === "" ? "_(none)_" : `\`${text.replace(/`/g, "'")}\``;
}

function headline(located: LocatedRule): string {
  return `\`${ruleName(located.rule)}\`${identifyingLabels(located.rule) ? ` \`${identifyingLabels(located.rule)}\`` : ""}`;
}

function describeRule(located: LocatedRule): string {
  const { rule } = located;
  if (!isAlertingRule(rule)) return `- ${headline(located)} in \`${located.group}\``;
  const facts = [`severity ${code(rule.labels.severity ?? "")}`, `team ${code(rule.labels.team ?? "")}`, `for ${code(rule.for ?? "")}`];
  return `- ${headline(located)} in \`${located.group}\`: ${facts.join(", ")}`;
}

function indentBlock(text: string, prefix: string): string[] {
  return text.split("\n").map((line) => `${prefix}${line}`);
}

function describeChange(change: RuleChange): string[] {
  const lines = [`- ${headline(change.after)} in \`${change.after.group}\``];
  for (const facet of CHANGE_FACETS) {
    const moved = change.facets[facet];
    if (!moved) continue;
    if (facet === "expr") {
      lines.push(`  - expr:`, "    ```diff", ...indentBlock(moved[0], "    - "), ...indentBlock(moved[1], "    + "), "    ```");
    } else {
      lines.push(`  - ${FACET_TITLES[facet]}: ${code(moved[0])} → ${code(moved[1])}`);
    }
  }
  return lines;
}

function kindSection(title: string, diff: RuleKindDiff): string[] {
  const lines: string[] = [];
  const part = (label: string, count: number, items: string[]) => {
    if (count > 0) lines.push(`**${title} ${label} (${count})**`, "", ...items, "");
  };
  part("added", diff.added.length, diff.added.map(describeRule));
  part("removed", diff.removed.length, diff.removed.map(describeRule));
  part("changed", diff.changed.length, diff.changed.flatMap(describeChange));
  return lines;
}

function countsLine(diff: RuleSetDiff): string {
  const n = (k: RuleKindDiff) => `+${k.added.length} −${k.removed.length} ~${k.changed.length}`;
  return `alerts ${n(diff.alerts)}, recording rules ${n(diff.recordingRules)}`;
}

/**
 * The pull-request comment for per-environment differences against `baseRef`; exactly
 * {@link NO_RULE_CHANGES} when nothing differs anywhere.
 */
export function renderRulesDiffMarkdown(baseRef: string, diffs: ReadonlyMap<string, RuleSetDiff>): string {
  const changed = [...diffs].filter(([, diff]) => !isEmptyDiff(diff));
  if (changed.length === 0) return NO_RULE_CHANGES;
  const lines = [`## Rule changes against \`${baseRef}\``, ""];
  for (const [env, diff] of changed) {
    lines.push(`### ${env}: ${countsLine(diff)}`, "");
    lines.push(...kindSection("Alerts", diff.alerts), ...kindSection("Recording rules", diff.recordingRules));
  }
  const unchanged = [...diffs].filter(([, diff]) => isEmptyDiff(diff)).map(([env]) => env);
  if (unchanged.length > 0) lines.push(`Unchanged: ${unchanged.join(", ")}.`);
  return `${lines.join("\n").trimEnd()}\n`;
}
