/**
 * Item 5 of issue 16: every selector of every rule the preview loads must match at least one
 * series that the real exporters, the blackbox probes or the demo services expose (or that a rule
 * records from them), so that a rule reading a misspelt metric or label fails the build instead of
 * staying silent forever. Selectors come from the PromQL grammar (kit/promql-syntax.ts), one
 * series API query each. A few selectors only match under a fault, or read what the preview does
 * not run; each is listed below with its reason.
 */
import type { RuleFile } from "../../kit/rule-types";
import { vectorSelectors } from "../../kit/promql-syntax";
import { prometheusSeriesCount } from "../../scripts/preview/apis";

/** One rule's selector. */
export interface RuleSelector {
  readonly file: string;
  readonly rule: string;
  /** As written in the rule, e.g. `up{job="divan-api"}`. */
  readonly selector: string;
  readonly metric: string;
}

/** A selector allowed to match nothing in a healthy preview, and why. */
export interface SelectorException {
  /** The metric name it applies to (every selector of that metric). */
  readonly metric: string;
  readonly reason: string;
}

/** Every selector of every rule of `files`, in order, one entry per rule and selector text. */
export function ruleSelectors(files: readonly RuleFile[]): RuleSelector[] {
  const seen = new Set<string>();
  const out: RuleSelector[] = [];
  for (const file of files) {
    for (const group of file.groups) {
      for (const rule of group.rules) {
        const name = "alert" in rule ? rule.alert : rule.record;
        for (const s of vectorSelectors(rule.expr)) {
          const key = `${file.fileName}\u0000${name}\u0000${s.text}`;
          if (seen.has(key)) continue;
          seen.add(key);
          out.push({ file: file.fileName, rule: name, selector: s.text, metric: s.metric });
        }
      }
    }
  }
  return out;
}

/** The selectors of `selectors` matching no series since `startSeconds`, each queried once. */
export async function unmatchedSelectors(prometheusUrl: string, selectors: readonly RuleSelector[], startSeconds: number): Promise<RuleSelector[]> {
  const distinct = [...new Set(selectors.map((s) => s.selector))];
  const counts = new Map<string, number>();
  for (let i = 0; i < distinct.length; i += 16) {
    const batch = distinct.slice(i, i + 16);
    const found = await Promise.all(batch.map((s) => prometheusSeriesCount(prometheusUrl, s, startSeconds)));
    batch.forEach((s, j) => counts.set(s, found[j]!));
  }
  return selectors.filter((s) => counts.get(s.selector) === 0);
}
