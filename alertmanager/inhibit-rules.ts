import { ALERT_IDENTITY_LABELS, DEPENDENCY_DOWN_ALERTS } from "../signals";
import { META_ALERTS } from "../signals/meta/alerts";
import type { InhibitRule } from "./config-types";
import { anyOf, matcher } from "./matchers";

/** What Alertmanager inhibition needs to know of a service. */
export interface RoutedService {
  /** The `service` label of its alerts. */
  readonly name: string;
  /** The `team` label of its alerts; must have receivers in the profile. */
  readonly team: string;
  /** Names of the Redis/Postgres instances it depends on (the `dependency` label of their down alerts). */
  readonly dependencies: readonly string[];
}

/**
 * kube-prometheus-stack's inhibition, kept: `critical` mutes the `warning` and `info` of the same
 * alert (the same by ALERT_IDENTITY_LABELS, which every kind of signal adds its labels to); `warning` mutes its `info`; `InfoInhibitor` mutes the `info` alerts of its namespace; and
 * `InfoInhibitor` itself is muted by any other alert (it only exists to inhibit).
 */
export function severityInhibitRules(): InhibitRule[] {
  const equal = () => [...ALERT_IDENTITY_LABELS];
  return [
    { source_matchers: [matcher("severity", "=", "critical")], target_matchers: [matcher("severity", "=~", "warning|info")], equal: equal() },
    { source_matchers: [matcher("severity", "=", "warning")], target_matchers: [matcher("severity", "=", "info")], equal: equal() },
    {
      source_matchers: [matcher("alertname", "=", META_ALERTS.InfoInhibitor)],
      target_matchers: [matcher("severity", "=", "info")],
      equal: ["namespace"],
    },
    { target_matchers: [matcher("alertname", "=", META_ALERTS.InfoInhibitor)] },
  ];
}

/** Services by the dependencies they declare, both sorted. */
export function dependents(services: readonly RoutedService[]): Map<string, string[]> {
  const byDependency = new Map<string, Set<string>>();
  for (const service of services) {
    for (const dependency of service.dependencies) {
      byDependency.set(dependency, (byDependency.get(dependency) ?? new Set()).add(service.name));
    }
  }
  return new Map([...byDependency.keys()].sort().map((d) => [d, [...byDependency.get(d)!].sort()]));
}

/**
 * One rule per dependency: while it is down, the alerts of every service that declares it are
 * muted, except dependency-down alerts themselves (each names its own root cause).
 */
export function dependencyInhibitRules(services: readonly RoutedService[]): InhibitRule[] {
  const downAlerts = anyOf(DEPENDENCY_DOWN_ALERTS);
  return [...dependents(services)].map(([dependency, names]) => ({
    source_matchers: [matcher("alertname", "=~", downAlerts), matcher("dependency", "=", dependency)],
    target_matchers: [matcher("service", "=~", anyOf(names)), matcher("alertname", "!~", downAlerts)],
  }));
}
