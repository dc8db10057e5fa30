import type { EnvironmentProfile } from "./profile-schema";

/**
 * Production posture that the schema alone cannot say, for every profile of tier `production`
 * whatever its name: HA counts, private metrics, atomic releases that clean up on failure, Loki
 * and Tempo distributed. Returns one problem per broken rule (empty when the profile is fine, and
 * always for `non-production`).
 */
export function postureProblems(profile: EnvironmentProfile): string[] {
  if (profile.tier !== "production") return [];
  const tier = 'tier "production"';
  const problems: string[] = [];
  const atLeast = (path: string, value: number, min: number) => {
    if (value < min) problems.push(`${path}: ${tier} needs at least ${min} for high availability (got ${value})`);
  };
  atLeast("prometheus.replicas", profile.prometheus.replicas, 2);
  atLeast("alertmanager.replicas", profile.alertmanager.replicas, 3);
  if (profile.metricsExposure !== "internal") {
    problems.push(`metricsExposure: ${tier} must keep /metrics internal (got ${JSON.stringify(profile.metricsExposure)})`);
  }
  if (!profile.helm.atomic) problems.push(`helm.atomic: ${tier} releases must be atomic so a failed upgrade rolls back (got false)`);
  if (!profile.helm.cleanupOnFail) {
    problems.push(`helm.cleanupOnFail: ${tier} releases must clean up on failure so a failed install leaves nothing behind (got false)`);
  }
  if (profile.loki.topology.deploymentMode !== "Distributed") {
    problems.push(`loki.topology.deploymentMode: ${tier} runs Loki Distributed on object storage (got "${profile.loki.topology.deploymentMode}")`);
  }
  if (profile.tempo.topology.kind !== "distributed") {
    problems.push(`tempo.topology.kind: ${tier} runs tempo-distributed on Kafka and object storage (got "${profile.tempo.topology.kind}")`);
  }
  return problems;
}
