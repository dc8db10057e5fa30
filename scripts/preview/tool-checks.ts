/**
 * The Debian tools' own checks, run on every file the preview writes before anything starts:
 * `promtool check rules`, `promtool check config` and `amtool check-config`.
 */
import { spawnSync } from "node:child_process";

/** Executables of Debian's `prometheus` and `prometheus-alertmanager` packages. */
export const TOOLS = {
  prometheus: "prometheus",
  alertmanager: "prometheus-alertmanager",
  promtool: "promtool",
  amtool: "amtool",
} as const;

/** Runs a tool; throws with its output unless it exits 0. */
export function runCheck(command: string, args: readonly string[]): string {
  const run = spawnSync(command, args, { encoding: "utf8" });
  if (run.error) {
    throw new Error(`${command} could not run (install Debian's prometheus and prometheus-alertmanager packages): ${run.error.message}`);
  }
  const output = `${run.stdout}${run.stderr}`;
  if (run.status !== 0) throw new Error(`${command} ${args.join(" ")} failed (exit ${run.status}):\n${output}`);
  return output;
}

/** `promtool check rules` on the given files. */
export function checkRuleFiles(files: readonly string[]): string {
  return runCheck(TOOLS.promtool, ["check", "rules", ...files]);
}

/** `promtool check config` (which checks the rule files it names too). */
export function checkPrometheusConfig(file: string): string {
  return runCheck(TOOLS.promtool, ["check", "config", file]);
}

/** `amtool check-config`. */
export function checkAlertmanagerConfig(file: string): string {
  return runCheck(TOOLS.amtool, ["check-config", file]);
}
