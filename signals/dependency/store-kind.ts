/**
 * A kind of store a service depends on (Redis, Postgres): one variant of the `dependencies` list,
 * with its down alert (which mutes the alerts of every service depending on it), its ping
 * latency alert and, read through its exporter, its failure modes (signals/dependency/failure-modes.ts),
 * fixtures, dashboard rows, demo simulation and bench series. The Redis and Postgres kinds are this
 * with their own names, latency budgets and failure modes.
 */
import { z } from "zod";
import type { ServiceCore } from "../../model/service-core";
import type { RuleContext, RuleGroup } from "../../kit/rule-types";
import { defineSignalKind } from "../kind";
import { dependencyRow } from "./dashboard";
import type { StoreFailureModes, WithFailureModes } from "./failure-modes";
import { dependencyAlertCases, dependencyHealthySeries } from "./promtool";
import { dependencyGroupName, storeAlertRules, type StoreAlerts } from "./rules";
import { storeSimulation } from "./simulation";
import { exporterReleaseName, MAX_RELEASE_NAME } from "./exporter";
import { resolveStoreJobs, storeDependencySchema, type ParsedStoreDependency } from "./spec";
import { storeSyntheticSeries } from "./synthetic";

/** What distinguishes one store kind from another. */
export interface StoreKindProps<K extends string, P extends z.ZodType, S extends z.ZodType, T> {
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
    /** The up gauge of the kind's exporter (`redis_up`): the one the stack deploys, and the one that turns failure modes on by default. */
    readonly upMetric: string;
  };
  /** What its exporter's series alert on. */
  readonly failureModes: StoreFailureModes<S, T>;
}

/** The kind of one store. */
export function defineStoreKind<const K extends string, P extends z.ZodType, S extends z.ZodType, T>(props: StoreKindProps<K, P, S, T>) {
  const { kind, alerts, failureModes: modes } = props;
  const schema = storeDependencySchema(kind, props.defaultLatencySeconds, props.exporter.provision).extend({
    /** Thresholds of the exporter's failure modes, or `false` for none. @default - on when `upMetric` is the exporter's */
    failureModes: z.union([z.literal(false), modes.schema]).optional(),
  });
  type Parsed = ParsedStoreDependency & { readonly failureModes?: false | z.output<S> | undefined };
  const resolve = (items: readonly Parsed[], service: ServiceCore): WithFailureModes<T>[] =>
    resolveStoreJobs(items, service).map((d, i) => {
      const written = items[i]!.failureModes;
      const on = written === undefined ? d.upMetric === props.exporter.upMetric : written !== false;
      const { failureModes: _written, ...rest } = d as typeof d & { failureModes?: unknown };
      return on ? { ...rest, failureModes: modes.resolve(written === false ? undefined : written) } : rest;
    });
  const ruleGroups = (service: ServiceCore, stores: readonly WithFailureModes<T>[], ctx: RuleContext): RuleGroup[] => {
    const rules = stores.flatMap((d) => [
      ...storeAlertRules(service, alerts, d, ctx),
      ...(d.failureModes === undefined ? [] : modes.rules(service, d, d.failureModes, ctx)),
    ]);
    return rules.length === 0 ? [] : [{ name: dependencyGroupName(service), rules }];
  };
  return defineSignalKind({
    name: kind,
    part: { dependency: kind, schema },
    alertNames: [alerts.down, alerts.slow, ...modes.alertNames],
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
    resolve: (items, service) => resolve(items as readonly Parsed[], service),
    ruleGroups,
    promtool: {
      alertCases: (service, stores, ctx, total) => [
        ...dependencyAlertCases(service, alerts, stores, ctx, total),
        ...stores.flatMap((d) => (d.failureModes === undefined ? [] : modes.alertCases(service, d, d.failureModes, ctx, total))),
      ],
      healthySeries: (_service, stores, total) => [
        ...dependencyHealthySeries(stores, total),
        ...stores.flatMap((d) => (d.failureModes === undefined ? [] : modes.healthySeries(d, d.failureModes, total))),
      ],
    },
    dashboard: {
      rows: (service, stores, ctx) =>
        stores.map((d) => {
          const row = dependencyRow(service, alerts, d, ctx);
          return d.failureModes === undefined ? row : { ...row, panels: [...row.panels, ...modes.panels(service, d, d.failureModes, ctx)] };
        }),
    },
    faults: modes.faults,
    simulation: (service, stores, setup) => {
      const simulation = storeSimulation(service, kind, stores, setup);
      modes.simulate(
        service,
        stores.filter((d) => d.failureModes !== undefined),
        setup,
      );
      return simulation;
    },
    syntheticSeries: (_service, stores) => [
      ...storeSyntheticSeries(stores),
      ...stores.flatMap((d) => (d.failureModes === undefined ? [] : modes.syntheticSeries(d, d.failureModes))),
    ],
    faultExamples: (service, stores) => {
      const exported = stores.find((d) => d.failureModes !== undefined);
      return [
        { patch: { dependencyDown: [stores[0]!.name] }, raises: `${alerts.down} pages; ${service.name}'s other alerts are inhibited` },
        ...(exported === undefined ? [] : modes.faultExamples(service, exported)),
      ];
    },
  });
}
