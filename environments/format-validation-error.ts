import type { z } from "zod";

/** Renders one issue's input value briefly: strings quoted, objects as compact JSON, cut at 80 chars. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  const text = typeof value === "string" ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Dotted path with array indexes in brackets: `loki.topology.components.ingester.replicas`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, key) => {
    if (typeof key === "number") return `${acc}[${key}]`;
    return acc === "" ? String(key) : `${acc}.${String(key)}`;
  }, "");
}

/** One line per issue: `<path>: <message> (got <value>)`; unknown keys are named one by one. */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.flatMap((issue) => {
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => `${formatPath([...issue.path, key])}: unknown key (not in the schema)`);
    }
    if (issue.code === "invalid_union" && issue.errors.length > 0) {
      // Discriminated unions report the branch errors; show the closest branch's issues.
      const best = issue.errors.reduce((a, b) => (a.length <= b.length ? a : b));
      return formatIssues(best.map((nested) => ({ ...nested, path: [...issue.path, ...nested.path] })));
    }
    const got = "input" in issue ? ` (got ${describeValue(issue.input)})` : "";
    const where = formatPath(issue.path) || "(root)";
    return [`${where}: ${issue.message}${got}`];
  });
}

/** Thrown when an environment profile does not validate; the message lists every issue. */
export class ProfileValidationError extends Error {
  constructor(
    readonly profileName: string,
    readonly problems: readonly string[],
  ) {
    super(`invalid environment profile "${profileName}":\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ProfileValidationError";
  }
}
