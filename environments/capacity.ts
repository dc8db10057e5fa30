import type { Problem } from "../model/validation-error";
import type { EnvironmentProfile } from "./profile-schema";
import { cpuToMillicores, memoryToMebibytes } from "./quantities";

/** The requests of one workload of an environment, already multiplied by its pod count. */
export interface RequestedCapacity {
  readonly workload: string;
  readonly pods: number;
  readonly cpuMillicores: number;
  readonly memoryMi: number;
}

type CpuMemory = { readonly cpu: string; readonly memory: string };

function row(workload: string, pods: number, requests: CpuMemory): RequestedCapacity {
  return {
    workload,
    pods,
    cpuMillicores: pods * cpuToMillicores(requests.cpu),
    memoryMi: pods * memoryToMebibytes(requests.memory),
  };
}

/** CPU a memcached cache pod requests; the Helm values set exactly this. */
export const MEMCACHED_CPU_REQUEST = "100m";
/** Memory a memcached cache pod requests: its item memory plus 20% for connections and slabs. */
export function memcachedMemoryRequestMi(allocatedMemoryMi: number): number {
  return Math.ceil(allocatedMemoryMi * 1.2);
}
/** Requests of the memcached exporter sidecar beside each cache pod. */
export const MEMCACHED_EXPORTER_REQUESTS: CpuMemory = { cpu: "10m", memory: "32Mi" };

/**
 * Every workload the environment runs with its summed requests: what the scheduler must find room
 * for. Loki's memcached caches and their exporter sidecars are included; they are the usual reason
 * a small cluster leaves pods Pending. Mimir counts every component it runs, its gateway and, with
 * zone-aware replication, the rollout-operator (it runs no cache: see helm-values/mimir.ts). The
 * canary runner is one pod.
 */
export function requestedCapacity(profile: EnvironmentProfile): RequestedCapacity[] {
  const rows: RequestedCapacity[] = [
    row("prometheus", profile.prometheus.replicas, profile.prometheus.resources.requests),
    row("alertmanager", profile.alertmanager.replicas, profile.alertmanager.resources.requests),
    row("prometheus-operator", 1, profile.operator.resources.requests),
    row("kube-state-metrics", 1, profile.kubeStateMetrics.resources.requests),
    row("node-exporter", profile.clusterCapacity.nodes, profile.nodeExporter.resources.requests),
    row("grafana", profile.grafana.replicas, profile.grafana.resources.requests),
    row("loki-gateway", profile.loki.gateway.replicas, profile.loki.gateway.resources.requests),
    // The collector tiers: the agent runs on every node, the gateway and the sampler by replicas.
    row("otel-agent", profile.clusterCapacity.nodes, profile.openTelemetryCollector.agent.resources.requests),
    row("otel-collector", profile.openTelemetryCollector.gateway.replicas, profile.openTelemetryCollector.gateway.resources.requests),
    row("otel-sampler", profile.openTelemetryCollector.sampler.replicas, profile.openTelemetryCollector.sampler.resources.requests),
    row("blackbox-exporter", profile.blackboxExporter.replicas, profile.blackboxExporter.resources.requests),
    // One replica (two would run every flow twice); counted even where no runner flow runs, as room for the first.
    row("canary-runner", 1, profile.canaryRunner.resources.requests),
  ];
  for (const [name, cache] of [
    ["loki-chunks-cache", profile.loki.chunksCache],
    ["loki-results-cache", profile.loki.resultsCache],
  ] as const) {
    if (!cache.enabled) continue;
    rows.push(row(name, cache.replicas, { cpu: MEMCACHED_CPU_REQUEST, memory: `${memcachedMemoryRequestMi(cache.allocatedMemoryMi)}Mi` }));
    rows.push(row(`${name}-exporter`, cache.replicas, MEMCACHED_EXPORTER_REQUESTS));
  }
  const lokiTopology = profile.loki.topology;
  if (lokiTopology.deploymentMode === "Monolithic") {
    rows.push(row("loki", lokiTopology.singleBinary.replicas, lokiTopology.singleBinary.resources.requests));
  } else {
    for (const [name, w] of Object.entries(lokiTopology.components)) rows.push(row(`loki-${name}`, w.replicas, w.resources.requests));
  }
  const tempoTopology = profile.tempo.topology;
  if (tempoTopology.kind === "single") {
    rows.push(row("tempo", tempoTopology.server.replicas, tempoTopology.server.resources.requests));
  } else {
    for (const [name, w] of Object.entries(tempoTopology.components)) rows.push(row(`tempo-${name}`, w.replicas, w.resources.requests));
  }
  if (profile.mimir !== undefined) {
    // Zone-aware replicas are multiples of 3 (the schema's rule), so the chart runs exactly `replicas` pods.
    for (const [name, w] of Object.entries(profile.mimir.components)) rows.push(row(`mimir-${name}`, w.replicas, w.resources.requests));
    const zoneAware = profile.mimir.zoneAwareReplication;
    if (zoneAware !== undefined) rows.push(row("mimir-rollout-operator", 1, zoneAware.rolloutOperator.requests));
  }
  return rows;
}

/** Totals of {@link requestedCapacity}. */
export function totalRequested(profile: EnvironmentProfile): { cpuMillicores: number; memoryMi: number } {
  return requestedCapacity(profile).reduce((sum, r) => ({ cpuMillicores: sum.cpuMillicores + r.cpuMillicores, memoryMi: sum.memoryMi + r.memoryMi }), {
    cpuMillicores: 0,
    memoryMi: 0,
  });
}

/** Problems (empty when it fits) of an environment whose requests exceed its declared capacity. */
export function capacityProblems(profile: EnvironmentProfile): Problem[] {
  const total = totalRequested(profile);
  const cpuCap = cpuToMillicores(profile.clusterCapacity.cpu);
  const memCap = memoryToMebibytes(profile.clusterCapacity.memory);
  const problems: Problem[] = [];
  if (total.cpuMillicores > cpuCap) {
    problems.push({
      path: ["clusterCapacity", "cpu"],
      message: `must fit the requests, which sum to ${total.cpuMillicores}m (declared: ${cpuCap}m)`,
      received: profile.clusterCapacity.cpu,
    });
  }
  if (total.memoryMi > memCap) {
    problems.push({
      path: ["clusterCapacity", "memory"],
      message: `must fit the requests, which sum to ${total.memoryMi}Mi (declared: ${memCap}Mi)`,
      received: profile.clusterCapacity.memory,
    });
  }
  return problems;
}
