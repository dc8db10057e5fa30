/**
 * Topology invariants: properties of an environment's rendered releases that hold on a real
 * cluster or the deploy misbehaves quietly (samples split between replicas, traces decided in
 * fragments, a second pod stuck on a volume). Each invariant is a pure function over the
 * artifacts, in its own file, returning one message per violation that names the environment, the
 * release and the value; {@link crossObjectProblems} runs them all at synth.
 */
import type { EnvironmentArtifacts } from "../environment-artifacts";
import { storeTenantProblems } from "./store-tenants";

/** One invariant: the messages of its violations in one environment (empty when it holds). */
export type TopologyInvariant = (artifacts: EnvironmentArtifacts) => string[];

/** Every topology invariant, in the order their messages are reported. */
export const TOPOLOGY_INVARIANTS: readonly TopologyInvariant[] = [storeTenantProblems];

/** Messages of every topology invariant broken in one environment. */
export function topologyProblems(artifacts: EnvironmentArtifacts): string[] {
  return TOPOLOGY_INVARIANTS.flatMap((invariant) => invariant(artifacts));
}
