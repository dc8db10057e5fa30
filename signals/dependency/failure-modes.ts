/**
 * What a store kind adds when a dependency is read through its exporter (`upMetric` is the
 * exporter's `redis_up` / `pg_up`): failure-mode alerts on the exporter's own series, their
 * fixtures, dashboard panels and bench series. The dependency's optional `failureModes` field
 * holds the thresholds (`false` turns them off); a dependency pinged by the service itself
 * (`divan_redis_up`) has none, since nothing exports the store's internals for it.
 */
import type { z } from "zod";
import type { ServiceCore } from "../../model/service-core";
import type { DashboardContext } from "../../kit/dashboards/context";
import type { PanelSpec } from "../../kit/dashboards/grid";
import type { AlertCase } from "../../kit/promtool/alert-case";
import type { PromtoolSeries } from "../../kit/promtool/types";
import type { AlertingRule, RuleContext } from "../../kit/rule-types";
import type { SyntheticSeries } from "../../kit/synthetic-series";
import type { FaultField, SimulationSetup } from "../../kit/simulation";
import type { FaultExample } from "../kind";
import type { StoreDependency } from "./spec";

/** A store dependency with its failure modes resolved (absent: none apply). */
export type WithFailureModes<T> = StoreDependency & { readonly failureModes?: T | undefined };

/** The failure modes of a store kind; `T` is the resolved thresholds. */
export interface StoreFailureModes<S extends z.ZodType, T> {
  /** Schema of the dependency's `failureModes` object (every field defaulted). */
  readonly schema: S;
  /** Thresholds from what the spec wrote (`undefined`: nothing written, defaults). */
  readonly resolve: (written: z.output<S> | undefined) => T;
  /** Every alert name the rules use. */
  readonly alertNames: readonly string[];
  readonly rules: (service: ServiceCore, dependency: StoreDependency, modes: T, ctx: RuleContext) => AlertingRule[];
  /** One firing case per rule. */
  readonly alertCases: (service: ServiceCore, dependency: StoreDependency, modes: T, ctx: RuleContext, total: number) => AlertCase[];
  /** The exporter's series, healthy: nothing fires. */
  readonly healthySeries: (dependency: StoreDependency, modes: T, total: number) => PromtoolSeries[];
  /** Panels of the dependency's row on the service dashboard, thresholds drawn. */
  readonly panels: (service: ServiceCore, dependency: StoreDependency, modes: T, ctx: DashboardContext) => PanelSpec[];
  /** The bench's healthy series. */
  readonly syntheticSeries: (dependency: StoreDependency, modes: T) => SyntheticSeries[];
  /** Faults the demo simulates on the exporter's series (`POST /faults` fields). */
  readonly faults: Readonly<Record<string, FaultField>>;
  /** Sets up the demo's exporter series of these dependencies (each updated when its exporter is scraped). */
  readonly simulate: (service: ServiceCore, dependencies: readonly StoreDependency[], setup: SimulationSetup) => void;
  /** The preview's examples of those faults. */
  readonly faultExamples: (service: ServiceCore, dependency: StoreDependency) => FaultExample[];
}

/** `{ job, ...labels }` of a dependency's exporter series. */
export function exporterLabels(dependency: Pick<StoreDependency, "job" | "labels">): Record<string, string> {
  return { job: dependency.job, ...dependency.labels };
}
