/**
 * A kind of store a service depends on (Redis, Postgres): one variant of the `dependencies` list,
 * with its down alert (which mutes the alerts of every service depending on it) and its ping
 * latency alert, fixtures, dashboard rows, demo simulation and bench series. The Redis and
 * Postgres kinds are this with their own names and latency budgets.
 */
import { defineSignalKind } from "../kind";
import { dependencyRows } from "./dashboard";
import { dependencyAlertCases, dependencyHealthySeries } from "./promtool";
import { storeRuleGroups, type StoreAlerts } from "./rules";
import { storeSimulation } from "./simulation";
import { resolveStoreJobs, storeDependencySchema } from "./spec";
import { storeSyntheticSeries } from "./synthetic";

/** What distinguishes one store kind from another. */
export interface StoreKindProps<K extends string> {
  /** The `kind` of its dependencies and the kind's name: `redis`. */
  readonly kind: K;
  /** Its alerts, and how they name the store (`Redis`). */
  readonly alerts: StoreAlerts;
  /** Mean ping latency above which the latency alert fires, unless a dependency says otherwise. */
  readonly defaultLatencySeconds: number;
}

/** The kind of one store. */
export function defineStoreKind<const K extends string>(props: StoreKindProps<K>) {
  const { kind, alerts } = props;
  return defineSignalKind({
    name: kind,
    part: { dependency: kind, schema: storeDependencySchema(kind, props.defaultLatencySeconds) },
    alertNames: [alerts.down, alerts.slow],
    identityLabels: ["dependency"],
    dependencyDownAlerts: [alerts.down],
    resolve: resolveStoreJobs,
    ruleGroups: (service, stores, ctx) => storeRuleGroups(service, alerts, stores, ctx),
    promtool: {
      alertCases: (service, stores, ctx, total) => dependencyAlertCases(service, alerts, stores, ctx, total),
      healthySeries: (_service, stores, total) => dependencyHealthySeries(stores, total),
    },
    dashboard: { rows: (service, stores, ctx) => dependencyRows(service, alerts, stores, ctx) },
    simulation: (service, stores, setup) => storeSimulation(service, kind, stores, setup),
    syntheticSeries: (_service, stores) => storeSyntheticSeries(stores),
    faultExamples: (service, stores) => [
      { patch: { dependencyDown: [stores[0]!.name] }, raises: `${alerts.down} pages; ${service.name}'s other alerts are inhibited` },
    ],
  });
}
