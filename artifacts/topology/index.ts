/**
 * Topology invariants: properties of an environment's rendered releases that hold on a real
 * cluster or the deploy misbehaves quietly (samples split between replicas, traces decided in
 * fragments, a second pod stuck on a volume). Each invariant is a pure function over the
 * artifacts, in its own file, returning one message per violation that names the environment, the
 * release and the value; {@link crossObjectProblems} runs them all at synth.
 */
import type { EnvironmentArtifacts } from "../environment-artifacts";
import { metricsPushProblems } from "./metrics-pushes";
import { replicatedSqliteProblems, sharedVolumeProblems } from "./shared-volumes";
import { rulerTenantProblems, storeTenantProblems } from "./store-tenants";
import { traceRoutingProblems } from "./trace-routing";

/** One invariant: the messages of its violations in one environment (empty when it holds). */
export type TopologyInvariant = (artifacts: EnvironmentArtifacts) => string[];

/** Every topology invariant, in the order their messages are reported. */
export const TOPOLOGY_INVARIANTS: readonly TopologyInvariant[] = [
  // Tail sampling only behind trace-id routing.
  traceRoutingProblems,
  // Nothing pushes to a replicated Prometheus Service.
  metricsPushProblems,
  // No replicated workload on one ReadWriteOnce volume, and no replicated Grafana on SQLite.
  sharedVolumeProblems,
  replicatedSqliteProblems,
  // Every writer and reader of a multi-tenant store (Mimir, Loki) uses its tenant.
  storeTenantProblems,
  // Mimir's ruler reads its rules as the store's tenant.
  rulerTenantProblems,
];

/** Messages of every topology invariant broken in one environment. */
export function topologyProblems(artifacts: EnvironmentArtifacts): string[] {
  return TOPOLOGY_INVARIANTS.flatMap((invariant) => invariant(artifacts));
}
