import type { Matcher } from "./config-types";

/** Matcher operators of Alertmanager. */
export type MatchOperator = "=" | "!=" | "=~" | "!~";

/** A double-quoted matcher value, `\` and `"` escaped as Alertmanager's matcher parser expects. */
function quote(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** One matcher in Alertmanager's string form: `matcher("team", "=", "web")` is `team="web"`. */
export function matcher(label: string, operator: MatchOperator, value: string): Matcher {
  return `${label}${operator}${quote(value)}`;
}

/** A regex matching exactly one of `values` (Alertmanager anchors regex matchers); sorted, deduplicated. */
export function anyOf(values: readonly string[]): string {
  if (values.length === 0) throw new Error("anyOf needs at least one value, got none");
  return [...new Set(values)]
    .sort()
    .map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
    .join("|");
}
