import { isMap } from "./paths";
import { mergeDefaults } from "./value-keys";

/** A chart at one version. */
export interface ChartRef {
  readonly chart: string;
  readonly version: string;
}

/** A subchart: the key its values sit under in the parent's values, and its chart at the version the parent pins. */
export interface Subchart extends ChartRef {
  readonly key: string;
}

/**
 * Subcharts whose values a parent's values carry, from the parent's Chart.yaml `dependencies` at
 * the pinned version. kube-prometheus-stack 88.5.3 also depends on `crds` (no values of ours) and
 * `prometheus-windows-exporter` 0.12.* (off; no defaults here, so its section is checked against
 * the parent's values.yaml only).
 */
export const SUBCHARTS: Readonly<Record<string, readonly Subchart[]>> = {
  "kube-prometheus-stack@88.5.3": [
    { key: "grafana", chart: "grafana", version: "12.11.1" },
    { key: "kube-state-metrics", chart: "kube-state-metrics", version: "8.4.0" },
    { key: "prometheus-node-exporter", chart: "prometheus-node-exporter", version: "4.56.1" },
  ],
};

/** File name of a chart's defaults in the upstream folder: `<chart>-<version>.values.yaml`. */
export function defaultsFileName(ref: ChartRef): string {
  return `${ref.chart}-${ref.version}.values.yaml`;
}

/** A chart's defaults tree for the key check, with the files it was made of. */
export interface ChartDefaults {
  readonly defaults: Record<string, unknown>;
  readonly files: readonly string[];
  readonly subcharts: readonly Subchart[];
  /** Subcharts without a defaults file: their sections are checked against the parent's values.yaml only. */
  readonly subchartsWithoutDefaults: readonly Subchart[];
}

/**
 * The defaults a release's values are checked against: the chart's values.yaml, and under each
 * subchart's key the subchart's own values.yaml merged with the parent's section (which may add keys
 * the parent's templates read). `read` returns a parsed file, or undefined when it is not there.
 * Undefined when the chart itself has no defaults file.
 */
export function chartDefaults(ref: ChartRef, read: (fileName: string) => unknown): ChartDefaults | undefined {
  const own = read(defaultsFileName(ref));
  if (own === undefined) return undefined;
  const defaults: Record<string, unknown> = isMap(own) ? { ...own } : {};
  const files = [defaultsFileName(ref)];
  const subcharts = SUBCHARTS[`${ref.chart}@${ref.version}`] ?? [];
  const subchartsWithoutDefaults: Subchart[] = [];
  for (const sub of subcharts) {
    const subDefaults = read(defaultsFileName(sub));
    if (subDefaults === undefined) {
      subchartsWithoutDefaults.push(sub);
      continue;
    }
    defaults[sub.key] = mergeDefaults(subDefaults, defaults[sub.key]);
    files.push(defaultsFileName(sub));
  }
  return { defaults, files, subcharts, subchartsWithoutDefaults };
}
