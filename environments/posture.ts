import type { Problem } from "../model/validation-error";
import type { EnvironmentProfile } from "./profile-schema";

/**
 * Production posture that the schema alone cannot say, for every profile of tier `production`
 * whatever its name: HA counts, private metrics, atomic releases that clean up on failure, Loki
 * and Tempo distributed, Mimir as the metrics store with ingesters at replication factor 3. Returns
 * one problem per broken rule (empty when the profile is fine, and always for `non-production`).
 */
export function postureProblems(profile: EnvironmentProfile): Problem[] {
  if (profile.tier !== "production") return [];
  const tier = 'in tier "production"';
  const problems: Problem[] = [];
  const atLeast = (path: string[], value: number, min: number) => {
    if (value < min) problems.push({ path, message: `must be at least ${min} ${tier} (high availability)`, received: value });
  };
  atLeast(["prometheus", "replicas"], profile.prometheus.replicas, 2);
  atLeast(["alertmanager", "replicas"], profile.alertmanager.replicas, 3);
  if (profile.metricsExposure !== "internal") {
    problems.push({ path: ["metricsExposure"], message: `must be "internal" ${tier}: /metrics stay inside the cluster`, received: profile.metricsExposure });
  }
  if (!profile.helm.atomic) problems.push({ path: ["helm", "atomic"], message: `must be true ${tier}, so a failed upgrade rolls back`, received: false });
  if (!profile.helm.cleanupOnFail) {
    problems.push({ path: ["helm", "cleanupOnFail"], message: `must be true ${tier}, so a failed install leaves nothing behind`, received: false });
  }
  if (profile.loki.topology.deploymentMode !== "Distributed") {
    problems.push({
      path: ["loki", "topology", "deploymentMode"],
      message: `must be "Distributed" ${tier} (Loki on object storage)`,
      received: profile.loki.topology.deploymentMode,
    });
  }
  if (profile.tempo.topology.kind !== "distributed") {
    problems.push({
      path: ["tempo", "topology", "kind"],
      message: `must be "distributed" ${tier} (tempo-distributed on Kafka and object storage)`,
      received: profile.tempo.topology.kind,
    });
  }
  if (profile.mimir === undefined) {
    problems.push({
      path: ["mimir"],
      message: `must be set ${tier}: the Prometheus pair needs one store that deduplicates it and takes every pushed metric`,
      received: undefined,
    });
  } else {
    atLeast(["mimir", "components", "ingester", "replicas"], profile.mimir.components.ingester.replicas, 3);
    // Every write passes the distributors and the gateway: one pod of either is the whole write path.
    atLeast(["mimir", "components", "distributor", "replicas"], profile.mimir.components.distributor.replicas, 2);
    atLeast(["mimir", "components", "gateway", "replicas"], profile.mimir.components.gateway.replicas, 2);
  }
  // Every workload's OTLP enters through the gateway and every trace is decided on a sampler.
  atLeast(["openTelemetryCollector", "gateway", "replicas"], profile.openTelemetryCollector.gateway.replicas, 2);
  atLeast(["openTelemetryCollector", "sampler", "replicas"], profile.openTelemetryCollector.sampler.replicas, 2);
  return problems;
}
