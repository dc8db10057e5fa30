import { type PathSegment } from "./paths";

/**
 * A path pattern of the allow-lists: keys separated by dots, `["a.b"]` for a key holding a dot,
 * `*` for any one key, `[*]` for any list index and `**` for any number of steps (none included).
 * `**.resources` matches `resources` at any depth; `loki.storage.bucketNames` only that key.
 */
export type PathPattern = readonly PatternStep[];

type PatternStep = { readonly key: string } | { readonly anyKey: true } | { readonly anyIndex: true } | { readonly anyDepth: true };

/** Parses the pattern syntax above; throws on a malformed pattern (an allow-list typo must not match nothing silently). */
export function parsePathPattern(pattern: string): PathPattern {
  const steps: PatternStep[] = [];
  let rest = pattern;
  while (rest.length > 0) {
    const quoted = /^\["((?:[^"\\]|\\.)*)"\]/.exec(rest);
    const index = /^\[\*?\]/.exec(rest);
    const bare = /^[^.[\]"]+/.exec(rest);
    if (quoted) {
      steps.push({ key: JSON.parse(`"${quoted[1]!}"`) as string });
      rest = rest.slice(quoted[0].length);
    } else if (index) {
      steps.push({ anyIndex: true });
      rest = rest.slice(index[0].length);
    } else if (bare) {
      const word = bare[0];
      steps.push(word === "**" ? { anyDepth: true } : word === "*" ? { anyKey: true } : { key: word });
      rest = rest.slice(word.length);
    } else {
      throw new Error(`path pattern ${JSON.stringify(pattern)} is malformed at ${JSON.stringify(rest)}`);
    }
    if (rest.startsWith(".")) {
      rest = rest.slice(1);
      if (rest === "") throw new Error(`path pattern ${JSON.stringify(pattern)} ends with a dot`);
    }
  }
  if (steps.length === 0) throw new Error("path pattern must not be empty");
  return steps;
}

/** True when `path` matches `pattern` exactly (the whole path, not a prefix). */
export function matchesPattern(pattern: PathPattern, path: readonly PathSegment[]): boolean {
  const [step, ...steps] = pattern;
  if (step === undefined) return path.length === 0;
  if ("anyDepth" in step) {
    for (let skip = 0; skip <= path.length; skip += 1) if (matchesPattern(steps, path.slice(skip))) return true;
    return false;
  }
  const [segment, ...segments] = path;
  if (segment === undefined) return false;
  const stepMatches = "anyIndex" in step ? typeof segment === "number" : typeof segment === "string" && ("anyKey" in step || step.key === segment);
  return stepMatches && matchesPattern(steps, segments);
}
