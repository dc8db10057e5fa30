/**
 * Renders rule-set differences as markdown ready to post as a pull-request comment: a summary of
 * counts first, then one section for the changes every environment shares and one per environment
 * for the rest; alerts named with the labels that tell them apart (severity included), changed
 * alerts with severity and thresholds before and after, expressions as their changed lines only.
 * Optionally cut to a size a comment can hold, with a pointer to the full report.
 */
import {
  distinguishingLabels,
  isEmptyDiff,
  lineDiff,
  ruleName,
  thresholdsText,
  type LocatedRule,
  type Moved,
  type RuleChange,
  type RuleSetDiff,
} from "./rules-diff";
import { isAlertingRule } from "../kit/rule-types";

/** The line printed (and posted) when no environment's rules differ. */
export const NO_RULE_CHANGES = "no rule changes";

/** Longest comment the report is cut to: GitHub refuses comments over 65,536 characters; the margin is for the comment action's marker. */
export const COMMENT_MAX_CHARS = 60_000;

/** Where and how to cut an over-long report. */
export interface RulesDiffCap {
  /** Longest markdown returned, the closing pointer included. */
  readonly maxChars: number;
  /** Markdown that says where the uncut report is, e.g. a link to the CI run's artifact. */
  readonly fullReport: string;
}

export interface RulesDiffMarkdownOptions {
  /** @default - never cut */
  readonly cap?: RulesDiffCap;
}

const KINDS = [
  ["alerts", "Alerts"],
  ["recordingRules", "Recording rules"],
] as const;
const SECTIONS = ["added", "removed", "changed"] as const;
type Kind = (typeof KINDS)[number][0];
type Section = (typeof SECTIONS)[number];

/** One rendered rule change; two environments share it when it reads the same in both. */
interface Entry {
  readonly kind: Kind;
  readonly section: Section;
  readonly lines: readonly string[];
}

function code(text: string): string {
  return text === "" ? "_(none)_" : `\`${text.replace(/`/g, "'")}\``;
}

function moved([before, after]: Moved): string {
  return before === after ? `${code(before)} (unchanged)` : `${code(before)} → ${code(after)}`;
}

function headline(located: LocatedRule): string {
  const labels = distinguishingLabels(located.rule);
  return `\`${ruleName(located.rule)}\`${labels ? ` ${code(labels)}` : ""} in \`${located.group}\``;
}

function describeRule(located: LocatedRule): string[] {
  const { rule } = located;
  if (!isAlertingRule(rule)) return [`- ${headline(located)}`];
  const thresholds = thresholdsText(rule.expr);
  const facts = [`team ${code(rule.labels.team ?? "")}`, `for ${code(rule.for ?? "")}`, ...(thresholds ? [`threshold ${code(thresholds)}`] : [])];
  return [`- ${headline(located)}: ${facts.join(", ")}`];
}

function exprLines(before: string, after: string): string[] {
  const hunks = lineDiff(before, after);
  const multiLine = before.includes("\n") || after.includes("\n");
  const range = (start: number, count: number) => (count === 0 ? `${start - 1},0` : count === 1 ? `${start}` : `${start},${count}`);
  const body = hunks.flatMap((hunk) => [
    ...(multiLine ? [`@@ -${range(hunk.beforeLine, hunk.removed.length)} +${range(hunk.afterLine, hunk.added.length)} @@`] : []),
    ...hunk.removed.map((line) => `- ${line}`),
    ...hunk.added.map((line) => `+ ${line}`),
  ]);
  return ["  - expr:", "    ```diff", ...body.map((line) => `    ${line}`), "    ```"];
}

function describeChange(change: RuleChange): string[] {
  const { before, after } = change;
  const { facets } = change;
  const lines = [`- ${headline(after)}`];
  if (isAlertingRule(before.rule) && isAlertingRule(after.rule)) {
    // Severity and thresholds always, moved or not: what a reviewer weighs a change by.
    const thresholds: Moved = [thresholdsText(before.rule.expr), thresholdsText(after.rule.expr)];
    const severity = `severity ${moved([before.rule.labels.severity ?? "", after.rule.labels.severity ?? ""])}`;
    lines.push(`  - ${severity}${thresholds.join("") ? `, threshold ${moved(thresholds)}` : ""}`);
  } else if (facets.threshold) {
    lines.push(`  - threshold: ${moved(facets.threshold)}`);
  }
  if (facets.routing) lines.push(`  - team: ${moved(facets.routing)}`);
  if (facets.for) lines.push(`  - for: ${moved(facets.for)}`);
  if (facets.expr) lines.push(...exprLines(...facets.expr));
  for (const [name, values] of Object.entries(change.labels)) lines.push(`  - label \`${name}\`: ${moved(values)}`);
  for (const [name, values] of Object.entries(change.annotations)) lines.push(`  - annotation \`${name}\`: ${moved(values)}`);
  if (facets.group) lines.push(`  - group: ${moved(facets.group)}`);
  return lines;
}

function entriesOf(diff: RuleSetDiff): Entry[] {
  return KINDS.flatMap(([kind]) => [
    ...diff[kind].added.map((r): Entry => ({ kind, section: "added", lines: describeRule(r) })),
    ...diff[kind].removed.map((r): Entry => ({ kind, section: "removed", lines: describeRule(r) })),
    ...diff[kind].changed.map((c): Entry => ({ kind, section: "changed", lines: describeChange(c) })),
  ]);
}

const keyOf = (entry: Entry) => `${entry.kind} ${entry.section}\n${entry.lines.join("\n")}`;

/** Splits entries into those every environment has (each as often as the rarest has it) and the rest, per environment. */
function splitCommon(byEnv: ReadonlyMap<string, readonly Entry[]>): { common: Entry[]; rest: Map<string, Entry[]> } {
  const lists = [...byEnv.values()];
  if (lists.length < 2) return { common: [], rest: new Map([...byEnv].map(([env, entries]) => [env, [...entries]])) };
  const counts = lists.map((entries) => {
    const count = new Map<string, number>();
    for (const entry of entries) count.set(keyOf(entry), (count.get(keyOf(entry)) ?? 0) + 1);
    return count;
  });
  const common: Entry[] = [];
  const taken = new Map<string, number>();
  for (const entry of lists[0]!) {
    const key = keyOf(entry);
    if (counts.every((count) => (count.get(key) ?? 0) > (taken.get(key) ?? 0))) {
      common.push(entry);
      taken.set(key, (taken.get(key) ?? 0) + 1);
    }
  }
  const rest = new Map<string, Entry[]>();
  for (const [env, entries] of byEnv) {
    const skip = new Map(taken);
    rest.set(
      env,
      entries.filter((entry) => {
        const left = skip.get(keyOf(entry)) ?? 0;
        if (left > 0) skip.set(keyOf(entry), left - 1);
        return left === 0;
      }),
    );
  }
  return { common, rest };
}

function countsText(entries: readonly Entry[], kind: Kind): string {
  const parts = SECTIONS.map((section) => [section, entries.filter((e) => e.kind === kind && e.section === section).length] as const)
    .filter(([, n]) => n > 0)
    .map(([section, n]) => `${n} ${section}`);
  return parts.length > 0 ? parts.join(", ") : "—";
}

/** A run of lines kept or cut together; entries are what the cut counts. */
interface Block {
  readonly lines: readonly string[];
  readonly entry: boolean;
}

function sectionBlocks(title: string, entries: readonly Entry[]): Block[] {
  if (entries.length === 0) return [];
  const blocks: Block[] = [{ lines: [`### ${title}`, ""], entry: false }];
  for (const [kind, kindTitle] of KINDS) {
    for (const section of SECTIONS) {
      const items = entries.filter((e) => e.kind === kind && e.section === section);
      if (items.length === 0) continue;
      blocks.push({ lines: [`**${kindTitle} ${section} (${items.length})**`, ""], entry: false });
      blocks.push(...items.map((item): Block => ({ lines: item.lines, entry: true })));
      blocks.push({ lines: [""], entry: false });
    }
  }
  return blocks;
}

function text(blocks: readonly Block[]): string {
  return `${blocks
    .flatMap((b) => b.lines)
    .join("\n")
    .trimEnd()}\n`;
}

/** The blocks that fit in `cap.maxChars` together with the closing pointer, cut between entries. */
function cut(blocks: readonly Block[], cap: RulesDiffCap): string {
  const total = blocks.filter((b) => b.entry).length;
  const pointer = (omitted: number) =>
    `**Cut at ${cap.maxChars.toLocaleString("en-US")} characters:** ${omitted} of ${total} changes not shown. Full report: ${cap.fullReport}\n`;
  const reserve = pointer(total).length + 2;
  const kept: Block[] = [];
  let length = 0;
  for (const block of blocks) {
    const size = block.lines.join("\n").length + 1;
    if (length + size + reserve > cap.maxChars) break;
    kept.push(block);
    length += size;
  }
  while (kept.length > 0 && !kept[kept.length - 1]!.entry) kept.pop();
  const shown = kept.filter((b) => b.entry).length;
  return `${text(kept)}\n${pointer(total - shown)}`;
}

/**
 * The pull-request comment for per-environment differences against `baseRef` (environments in the
 * map's order); exactly {@link NO_RULE_CHANGES} when nothing differs anywhere.
 */
export function renderRulesDiffMarkdown(baseRef: string, diffs: ReadonlyMap<string, RuleSetDiff>, options: RulesDiffMarkdownOptions = {}): string {
  if ([...diffs.values()].every(isEmptyDiff)) return NO_RULE_CHANGES;
  const envs = [...diffs.keys()];
  const { common, rest } = splitCommon(new Map([...diffs].map(([env, diff]) => [env, entriesOf(diff)])));
  const shared = envs.length > 1;
  const rows = [...(shared ? [["all environments", common] as const] : []), ...envs.map((env) => [shared ? `${env} only` : env, rest.get(env)!] as const)];
  const summary = [
    "| | Alerts | Recording rules |",
    "| --- | --- | --- |",
    ...rows.map(([where, entries]) => `| ${where} | ${countsText(entries, "alerts")} | ${countsText(entries, "recordingRules")} |`),
  ];
  const blocks: Block[] = [
    { lines: [`## Rule changes against \`${baseRef}\``, "", ...summary, ""], entry: false },
    ...sectionBlocks(`All environments (${envs.join(", ")})`, common),
    ...envs.flatMap((env) => sectionBlocks(shared ? `${env} only` : env, rest.get(env)!)),
  ];
  const full = text(blocks);
  return options.cap && full.length > options.cap.maxChars ? cut(blocks, options.cap) : full;
}
