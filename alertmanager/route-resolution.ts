import type { Labels } from "../kit/rule-types";
import type { Matcher, Route } from "./config-types";

const MATCHER = /^([a-zA-Z_][a-zA-Z0-9_]*)(=~|!~|!=|=)"((?:[^"\\]|\\.)*)"$/;

/** True when `labels` satisfy one matcher in the string form {@link matcher} writes (`team="web"`). */
export function matchesMatcher(m: Matcher, labels: Labels): boolean {
  const parsed = MATCHER.exec(m);
  if (!parsed) throw new Error(`matcher must look like name="value" (or !=, =~, !~), got ${JSON.stringify(m)}`);
  const [, name, op, raw] = parsed;
  const value = raw!.replace(/\\(.)/g, "$1");
  const actual = labels[name!] ?? "";
  switch (op) {
    case "=":
      return actual === value;
    case "!=":
      return actual !== value;
    case "=~":
      return new RegExp(`^(?:${value})$`).test(actual);
    default:
      return !new RegExp(`^(?:${value})$`).test(actual);
  }
}

/**
 * The receivers an alert with `labels` is notified through, as Alertmanager walks the tree: depth
 * first, the first matching child wins unless it says `continue`, and a route whose children all
 * miss delivers itself. Used by synth-time checks; `amtool config routes test` proves the same
 * against the real implementation in the tests.
 */
export function resolveReceivers(route: Route, labels: Labels): string[] {
  const matched: string[] = [];
  for (const child of route.routes ?? []) {
    if (!(child.matchers ?? []).every((m) => matchesMatcher(m, labels))) continue;
    matched.push(...resolveReceivers(child, labels));
    if (!child.continue) break;
  }
  return matched.length > 0 ? matched : [route.receiver];
}
