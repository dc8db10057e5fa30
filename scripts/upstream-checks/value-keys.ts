import { matchesPattern, parsePathPattern } from "./path-patterns";
import { isMap, type PathSegment } from "./paths";

/** A path whose keys are not checked against the defaults, and why (one line: which template reads it). */
export interface AllowedPath {
  /** Pattern in the syntax of {@link parsePathPattern}, e.g. `**.resources`. */
  readonly path: string;
  /** Why the chart accepts keys there that its values.yaml does not list. */
  readonly why: string;
}

/** What {@link checkValueKeys} found in one values document. */
export interface ValueKeyReport {
  /** Key paths found in the chart's defaults. */
  readonly checked: number;
  /** Key paths the defaults do not have and no allow-list entry covers: the typos. */
  readonly unknown: readonly PathSegment[][];
  /** Paths an allow-list entry covers (their keys and everything below pass unchecked). */
  readonly allowed: readonly { readonly path: PathSegment[]; readonly entry: AllowedPath }[];
  /** Lists whose default is empty or holds no map, so their elements' keys have nothing to be checked against. */
  readonly uncheckedLists: readonly PathSegment[][];
  /** Maps whose default is not a map (null, a string): present in the defaults, contents unchecked. */
  readonly opaque: readonly PathSegment[][];
}

/**
 * Walks `values` beside the chart's `defaults` (its values.yaml, parsed) and reports every key
 * path the defaults do not have: Helm renders an unknown key without a word, so a misspelt
 * `retension` is simply ignored. Maps are compared key by key; a list's elements are compared with
 * the default list's map elements (their keys merged) when it has any, else the list passes and is
 * reported in `uncheckedLists`. A path matching an allow-list entry stops the walk there.
 */
export function checkValueKeys(values: unknown, defaults: unknown, allowList: readonly AllowedPath[]): ValueKeyReport {
  const patterns = allowList.map((entry) => ({ entry, pattern: parsePathPattern(entry.path) }));
  const report = {
    checked: 0,
    unknown: [] as PathSegment[][],
    allowed: [] as ValueKeyReport["allowed"][number][],
    uncheckedLists: [] as PathSegment[][],
    opaque: [] as PathSegment[][],
  };
  const allowedBy = (path: PathSegment[]) => patterns.find((p) => matchesPattern(p.pattern, path))?.entry;

  const walk = (value: unknown, fallback: unknown, path: PathSegment[]): void => {
    if (isMap(value)) {
      if (!isMap(fallback)) {
        if (Object.keys(value).length > 0) report.opaque.push(path);
        return;
      }
      for (const [key, child] of Object.entries(value)) {
        const childPath = [...path, key];
        const entry = allowedBy(childPath);
        if (entry) report.allowed.push({ path: childPath, entry });
        else if (!(key in fallback)) report.unknown.push(childPath);
        else {
          report.checked += 1;
          walk(child, fallback[key], childPath);
        }
      }
    } else if (Array.isArray(value)) {
      const element = listElementDefault(fallback);
      if (element === undefined) {
        if (value.some((item) => isMap(item) || Array.isArray(item))) report.uncheckedLists.push(path);
        return;
      }
      value.forEach((item, index) => walk(item, element, [...path, index]));
    }
  };
  walk(values, defaults, []);
  return report;
}

/** The keys a list's elements may have: the default list's map elements merged, or undefined when it has none. */
export function listElementDefault(defaultList: unknown): Record<string, unknown> | undefined {
  if (!Array.isArray(defaultList)) return undefined;
  const maps = defaultList.filter(isMap);
  return maps.length === 0 ? undefined : maps.reduce<Record<string, unknown>>((merged, item) => mergeDefaults(merged, item), {});
}

/**
 * The union of two defaults trees (for the key check only: which keys exist). Maps merge key by
 * key; where only one side is a map, or a list, the map or the non-empty list wins. Used for a
 * subchart: its own values.yaml under the parent's section, which may add keys the parent's
 * templates read (`grafana.forceDeployDatasources` in kube-prometheus-stack).
 */
export function mergeDefaults(a: unknown, b: unknown): Record<string, unknown> {
  const left = isMap(a) ? a : {};
  const right = isMap(b) ? b : {};
  const merged: Record<string, unknown> = { ...left };
  for (const [key, value] of Object.entries(right)) {
    const existing = merged[key];
    if (isMap(existing) || isMap(value)) merged[key] = mergeDefaults(existing, value);
    else if (Array.isArray(existing) && existing.length > 0 && !(Array.isArray(value) && value.length > 0)) merged[key] = existing;
    else merged[key] = value;
  }
  return merged;
}
