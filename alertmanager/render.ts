import { stringify } from "yaml";
import type { AlertmanagerConfig } from "./config-types";

/**
 * The config as the YAML file Alertmanager reads: deterministic, lines never folded, no anchors,
 * and YAML 1.1 quoting (`"20:00"`, `"on"`), because Alertmanager parses with Go's yaml.v2, a YAML
 * 1.1 parser that would read some plain scalars as numbers or booleans.
 */
export function renderAlertmanagerYaml(config: AlertmanagerConfig): string {
  return stringify(config, { lineWidth: 0, aliasDuplicateObjects: false, version: "1.1" });
}
