import * as path from "node:path";
import { defaultsFileName, type ChartDefaults } from "./chart-defaults";
import { defaultsReader, environmentValues, shownPath, synthesizedEnvironments } from "./load";
import { environmentLabel, line } from "./output";
import { formatPath, type PathSegment } from "./paths";
import type { AllowedPath } from "./value-keys";
import { checkValuesFile } from "./values-check";

/** Which defaults file a path was looked up in: a subchart's (and the parent's section), or the chart's. */
function lookedUpIn(defaults: ChartDefaults, unknownPath: readonly PathSegment[]): string {
  const sub = defaults.subcharts.find((s) => s.key === unknownPath[0]);
  const parent = defaults.files[0]!;
  if (!sub) return parent;
  return defaults.subchartsWithoutDefaults.includes(sub)
    ? `${parent} (section ${sub.key}; no ${defaultsFileName(sub)})`
    : `${defaultsFileName(sub)} or ${parent}`;
}

/**
 * The values key check: every `generated/<env>/values/<release>.yaml` against the defaults of the
 * chart its release deploys, in `<upstream>/chart-values`. Prints one line per file, per unknown
 * key its environment, file, path and key, the lists it could not check and the allow-list
 * entries nothing matched; returns the number of failing files. A chart without defaults there is
 * listed as not checked and does not fail.
 */
export function runValuesCheck(upstreamDir: string): number {
  const read = defaultsReader(upstreamDir);
  const chartValuesDir = shownPath(path.join(upstreamDir, "chart-values"));
  let failures = 0;
  let files = 0;
  let keyPaths = 0;
  const entries = new Map<string, AllowedPath>();
  const matched = new Set<string>();
  for (const env of synthesizedEnvironments()) {
    const { files: valueFiles, releases, platformFile } = environmentValues(env);
    for (const { file, release, values } of valueFiles) {
      files += 1;
      const where = `${environmentLabel(env)} ${shownPath(file)}`;
      const verdict = checkValuesFile(
        values,
        releases.find((r) => r.name === release),
        read,
      );
      if (verdict.status === "no-release") {
        failures += 1;
        line("FAIL", `${where}: no helm_release named ${JSON.stringify(release)} in ${shownPath(platformFile)}`);
        continue;
      }
      const chart = `${verdict.ref.chart}@${verdict.ref.version}`;
      if (verdict.status === "differs") {
        failures += 1;
        line("FAIL", `${where} (${chart}): differs from the values helm_release ${release} deploys in ${shownPath(platformFile)}; run \`npm run synth\``);
        continue;
      }
      if (verdict.status === "no-defaults") {
        line("-", `${where} (${chart}): not checked: no upstream defaults (${defaultsFileName(verdict.ref)} is not in ${chartValuesDir})`);
        continue;
      }
      const { report, defaults, allowList } = verdict;
      keyPaths += report.checked;
      for (const entry of allowList) entries.set(entry.path, entry);
      for (const a of report.allowed) matched.add(a.entry.path);
      const subcharts = defaults.files.length > 1 ? ` + ${defaults.files.slice(1).join(", ")}` : "";
      const summary = `${report.checked} key paths in the defaults, ${report.allowed.length} on the allow-list`;
      if (report.unknown.length > 0) {
        failures += 1;
        for (const p of report.unknown) {
          line("FAIL", `${where} (${chart}): ${formatPath(p)}: unknown key ${JSON.stringify(p[p.length - 1])}, not in ${lookedUpIn(defaults, p)}`);
        }
      }
      line(report.unknown.length > 0 ? "-" : "ok", `${where} (${defaults.files[0]}${subcharts}): ${summary}`);
      for (const sub of defaults.subchartsWithoutDefaults)
        line("-", `${where}: subchart ${sub.chart}@${sub.version}: no upstream defaults, its section checked against ${defaults.files[0]} only`);
      if (report.uncheckedLists.length > 0)
        line("-", `${where}: list elements not checked (the default list has no element): ${report.uncheckedLists.map(formatPath).join(", ")}`);
      if (report.opaque.length > 0) line("-", `${where}: maps not checked (their default is not a map): ${report.opaque.map(formatPath).join(", ")}`);
    }
    for (const r of releases) {
      if (!valueFiles.some((f) => f.release === r.name)) {
        failures += 1;
        line(
          "FAIL",
          `${environmentLabel(env)} ${shownPath(platformFile)}: helm_release ${r.name} (${r.chart}@${r.version}) has no generated/${env}/values/${r.name}.yaml`,
        );
      }
    }
  }
  const unused = [...entries.keys()].filter((p) => !matched.has(p));
  if (unused.length > 0) console.log(`allow-list entries no values matched (remove them once nothing needs them): ${unused.join(", ")}`);
  console.log(failures === 0 ? `values: ${files} files, ${keyPaths} key paths, none unknown` : `values: ${failures} of ${files} files fail`);
  return failures;
}
