/**
 * A kind of store a service depends on (Redis, Postgres): one variant of the `dependencies` list,
 * with its down alert (which mutes the alerts of every service depending on it) and its ping
 * latency alert, fixtures, dashboard rows, demo simulation and bench series. The Redis and
 * Postgres kinds are this with their own names and latency budgets.
 */
import type { z } from "zod";
import { defineSignalKind } from "../kind";
import { dependencyRows } from "./dashboard";
import { dependencyAlertCases, dependencyHealthySeries } from "./promtool";
import { storeRuleGroups, type StoreAlerts } from "./rules";
import { storeSimulation } from "./simulation";
import { exporterReleaseName, MAX_RELEASE_NAME } from "./exporter";
import { resolveStoreJobs, storeDependencySchema, type ParsedStoreDependency } from "./spec";
import { storeSyntheticSeries } from "./synthetic";

/** What distinguishes one store kind from another. */
export interface StoreKindProps<K extends string, P extends z.ZodType> {
  /** The `kind` of its dependencies and the kind's name: `redis`. */
  readonly kind: K;
  /** Its alerts, and how they name the store (`Redis`). */
  readonly alerts: StoreAlerts;
  /** Mean ping latency above which the latency alert fires, unless a dependency says otherwise. */
  readonly defaultLatencySeconds: number;
  /** How the stack provisions the kind's exporter, when a dependency asks it to. */
  readonly exporter: {
    /** The schema of `exporter.provision`. */
    readonly provision: P;
    /** The up gauge of the exporter the stack deploys: `redis_up`. */
    readonly upMetric: string;
  };
}

/** The kind of one store. */
export function defineStoreKind<const K extends string, P extends z.ZodType>(props: StoreKindProps<K, P>) {
  const { kind, alerts } = props;
  return defineSignalKind({
    name: kind,
    part: { dependency: kind, schema: storeDependencySchema(kind, props.defaultLatencySeconds, props.exporter.provision) },
    alertNames: [alerts.down, alerts.slow],
    identityLabels: ["dependency"],
    dependencyDownAlerts: [alerts.down],
    refine: (service, stores, issue) =>
      (stores as readonly ParsedStoreDependency[]).forEach((d, i) => {
        if (d.exporter === undefined) return;
        if (d.upMetric !== props.exporter.upMetric) {
          issue([i, "upMetric"], `must be ${props.exporter.upMetric}, the gauge of the exporter exporter.provision deploys`);
        }
        if (d.job !== undefined && d.job === (service.metrics.job ?? service.name)) {
          issue([i, "job"], "must not be the service's own job when the stack provisions the exporter (the exporter's series carry this job)");
        }
        if (exporterReleaseName(d.name).length > MAX_RELEASE_NAME) {
          issue(
            [i, "name"],
            `must be at most ${MAX_RELEASE_NAME - "-exporter".length} characters when the stack provisions the exporter (its Helm release is <name>-exporter)`,
          );
        }
      }),
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
