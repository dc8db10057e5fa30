import { isDeepStrictEqual } from "node:util";
import { parse as parseYaml } from "yaml";
import { allowListFor } from "./allow-list";
import { chartDefaults, type ChartDefaults, type ChartRef } from "./chart-defaults";
import type { StackHelmRelease } from "./terraform-json";
import { checkValueKeys, type AllowedPath, type ValueKeyReport } from "./value-keys";

/** What the key check concluded for one values file. */
export type ValuesVerdict =
  | {
      readonly status: "checked";
      readonly ref: ChartRef;
      readonly defaults: ChartDefaults;
      readonly allowList: readonly AllowedPath[];
      readonly report: ValueKeyReport;
    }
  /** The chart has no defaults file upstream (e.g. mimir-distributed): listed, not a failure. */
  | { readonly status: "no-defaults"; readonly ref: ChartRef }
  /** No helm_release of the platform stack has this file's name: nothing deploys it. */
  | { readonly status: "no-release" }
  /** The file is not what the release deploys: the check would read the wrong values. */
  | { readonly status: "differs"; readonly ref: ChartRef };

/**
 * Checks one `generated/<env>/values/<release>.yaml` (parsed) against the defaults of the chart
 * its release deploys (chart and version as the platform stack pins them, from the profile's
 * `charts`, i.e. environments/chart-versions.ts). The file must equal the release's values, so
 * what is checked is what is deployed. `read` returns a parsed defaults file or undefined.
 */
export function checkValuesFile(values: unknown, release: StackHelmRelease | undefined, read: (fileName: string) => unknown): ValuesVerdict {
  if (!release) return { status: "no-release" };
  const ref = { chart: release.chart, version: release.version };
  const deployed = release.values.length === 1 ? (parseYaml(release.values[0]!) as unknown) : undefined;
  if (!isDeepStrictEqual(deployed, values)) return { status: "differs", ref };
  const defaults = chartDefaults(ref, read);
  if (!defaults) return { status: "no-defaults", ref };
  const allowList = allowListFor(ref.chart, defaults.subcharts);
  return { status: "checked", ref, defaults, allowList, report: checkValueKeys(values, defaults.defaults, allowList) };
}
