/**
 * Paths into a YAML/JSON document, as the upstream checks print and match them:
 * `spec.groups[0].rules`, `grafana["grafana.ini"].server`. A key that is not a plain identifier
 * (dots, slashes, dashes) is written `["key"]`, so every printed path reads back unambiguously.
 */

/** One step into a document: a map key or a list index. */
export type PathSegment = string | number;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `["spec", "groups", 0, "rulez"]` -> `spec.groups[0].rulez`; the root is `(root)`. */
export function formatPath(segments: readonly PathSegment[]): string {
  if (segments.length === 0) return "(root)";
  let out = "";
  for (const segment of segments) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) out += out === "" ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** A JSON pointer (ajv's `instancePath`, `/spec/groups/0/for`) as segments; digits are list indices. */
export function pointerSegments(pointer: string): PathSegment[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((raw) => raw.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((key) => (/^(0|[1-9][0-9]*)$/.test(key) ? Number(key) : key));
}

/** True for a plain map (not a list, not null). */
export function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
