import type { EnvironmentArtifacts } from "../../artifacts/environment-artifacts";

/** The `job` values the environment's rules select the given metrics by (`redis_up{job="core-redis-exporter"}`), deduplicated. */
export function ruleSelectors(env: EnvironmentArtifacts, metrics: readonly string[]): string[] {
  const jobs = new Set<string>();
  const pattern = new RegExp(`\\b(?:${metrics.join("|")})\\{[^}]*\\bjob="([^"]+)"`, "g");
  for (const file of env.ruleFiles) {
    for (const group of file.groups) for (const rule of group.rules) for (const m of rule.expr.matchAll(pattern)) jobs.add(m[1]!);
  }
  return [...jobs].sort();
}
