/** YAML rendering of rule and test files. */
import { stringify } from "yaml";

/**
 * Deterministic YAML (keys in insertion order, which the builders fix) with `lineWidth: 0`, so a
 * long PromQL line is never folded; multi-line expressions become block scalars.
 */
export function renderYaml(value: unknown): string {
  return stringify(value, { lineWidth: 0 });
}
