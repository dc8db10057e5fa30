/** Helm values as YAML, the same bytes for the Helm release and for generated/<env>/values/. */
import { stringify } from "yaml";

/** Serializes Helm values the same way everywhere: stable key order as built, no line folding. */
export function renderHelmValues(values: Readonly<Record<string, unknown>>): string {
  return stringify(values, { lineWidth: 0, sortMapEntries: false });
}
