/**
 * What a kind of signal is: everything one kind (RED, SLOs, Redis, a queue, ...) contributes to a
 * service, in one object. A kind declares its part of the service spec and gets, for each service,
 * the resolved core and its own part; the registry (signals/index.ts) hands every consumer (spec
 * schema, rule files, promtool tests, service dashboard, inhibition, demo, bench, preview) the
 * kinds in one order.
 *
 * Kinds see only `(core, part)`: the core is the same for every kind (model/service-core.ts), the
 * part is the kind's own. So a kind never imports the assembled spec, and adding a kind is its
 * folder plus one line of the registry.
 */
import type { z } from "zod";
import type { VariableModel } from "@grafana/grafana-foundation-sdk/dashboard";
import type { DependencyRef, ServiceCore } from "../model/service-core";
import type { AlertCase } from "../kit/promtool/alert-case";
import type { PromtoolSeries, PromtoolTestGroup } from "../kit/promtool/types";
import { isAlertingRule, type RuleContext, type RuleGroup } from "../kit/rule-types";
import { overrideCases, overrideGroups, overrideTestGroups } from "./alert-overrides";
import type { DashboardContext, PanelRow } from "../kit/dashboards";
import type { FaultField, KindSimulation, SimulationSetup } from "../kit/simulation";
import type { SyntheticSeries } from "../kit/synthetic-series";

/** A part that is a field of the spec: `queues: [...]`, `red: {...}`. */
export interface FieldPart<F extends string = string, S extends z.ZodType = z.ZodType> {
  /** The spec's field. */
  readonly field: F;
  /** Its schema, with the default when the field is omitted. */
  readonly schema: S;
  /**
   * How error messages name the items of the part's lists (items carry `name`), by the list's key:
   * `{ queues: "queue" }` makes `queues[1].maxDepth ... (service "x", queue "emails")`.
   * @default {}
   */
  readonly itemLabels?: Readonly<Record<string, string>>;
}

/** A part that is one variant of the `dependencies` list: `{ kind: "redis", ... }`. */
export interface DependencyPart<K extends string = string, S extends z.ZodType = z.ZodType> {
  /** The `kind` of the variant, also the label of its items in error messages. */
  readonly dependency: K;
  /** The variant's schema; its `kind` is `z.literal(dependency)`. */
  readonly schema: S;
}

/** How a kind's part is declared, or none (platform-wide kinds). */
export type PartDeclaration = FieldPart | DependencyPart | undefined;

/** The part a declaration yields to the kind's functions. */
export type PartOf<D extends PartDeclaration> =
  D extends FieldPart<string, infer S> ? z.output<S> : D extends DependencyPart<string, infer S> ? z.output<S>[] : undefined;

/** The spec as refinements see it: core fields parsed (defaults that depend on others not yet filled). */
export interface ParsedServiceView {
  readonly name: string;
  readonly metrics: { readonly buckets: readonly number[]; readonly durationUnit: "seconds" | "milliseconds"; readonly job?: string | undefined };
  readonly dependencies: readonly DependencyRef[];
}

/** How a problem is reported: `redacted` when the value may be a secret, so the error never shows it. */
export interface IssueOptions {
  readonly redacted?: boolean;
}

/** Reports a problem at a path relative to the kind's part (for a dependency kind: `[itemIndex, ...]`). */
export type IssueReporter = (path: readonly (string | number)[], message: string, options?: IssueOptions) => void;

/** The promtool contributions of a kind. */
export interface PromtoolContribution<P> {
  /** One firing case per alerting rule the kind builds for the service. */
  readonly alertCases?: (service: ServiceCore, part: P, ctx: RuleContext, totalMinutes: number) => AlertCase[];
  /** Series of everything the kind's rules read, healthy: the service's healthy group fires nothing. */
  readonly healthySeries?: (service: ServiceCore, part: P, totalMinutes: number) => PromtoolSeries[];
  /** Further test groups (the SLO burn-rate maths); alerts they expect to fire count as covered. */
  readonly testGroups?: (service: ServiceCore, part: P, ctx: RuleContext) => PromtoolTestGroup[];
  /** Test groups of the platform file. */
  readonly platformTestGroups?: (ctx: RuleContext, totalMinutes: number) => PromtoolTestGroup[];
  /**
   * Alerts whose firing cases run apart from the service's test file, at another step or on their
   * own rules (a deadline SLO's burn alerts), each with where: the service file need not fire them.
   */
  readonly provenApart?: (service: ServiceCore, part: P) => ProvenApart[];
}

/** An alert (rules with `alert` and these labels) proven by promtool outside the service's test file. */
export interface ProvenApart {
  readonly alert: string;
  readonly labels: Readonly<Record<string, string>>;
  /** The test that proves it. */
  readonly where: string;
}

/** The service dashboard contributions of a kind. */
export interface DashboardContribution<P> {
  /** Rows of the service's dashboard, in the order shown. */
  readonly rows?: (service: ServiceCore, part: P, ctx: DashboardContext) => PanelRow[];
  /** Template variables the rows filter by. */
  readonly variables?: (service: ServiceCore, part: P) => VariableModel[];
}

/** A fault the kind can simulate and the alerts it should raise, for the preview's banner. */
export interface FaultExample {
  /** A `POST /faults` body. */
  readonly patch: Readonly<Record<string, unknown>>;
  /** What it raises, e.g. `QueueBacklogHigh`. */
  readonly raises: string;
}

/**
 * Everything a kind is; see the file comment. Every field but `name` and `alertNames` is optional.
 * Its functions are called only for services that declare the kind (a non-empty part), so they
 * never see an absent part.
 */
export interface SignalKindDefinition<D extends PartDeclaration, P = NonNullable<PartOf<D>>, R = P> {
  /** kebab-case, unique in the registry. */
  readonly name: string;
  /** Where its part of the spec is. @default - none: a platform-wide kind */
  readonly part?: D;
  /** Every alert name its rules use; each has `runbooks/<AlertName>.md`. */
  readonly alertNames: readonly string[];
  /**
   * Labels that say which instance of the kind an alert is about (`queue`, `slo`, `dependency`):
   * a critical alert mutes the matching warning only when these are equal too.
   * @default []
   */
  readonly identityLabels?: readonly string[];
  /** Alerts saying a dependency is down: they mute the alerts of the services that depend on it. @default [] */
  readonly dependencyDownAlerts?: readonly string[];
  /**
   * Alerts whose severities the part keys its thresholds by, with the field that does
   * (`{ ServiceHighErrorRate: "red.errorRatio" }`): a service's `alertOverrides` may not change
   * their severity, which is set there.
   * @default {}
   */
  readonly severityDeclaredIn?: Readonly<Record<string, string>>;
  /** Checks that need more than the part's own fields (buckets, unique names). */
  readonly refine?: (service: ParsedServiceView, part: P, issue: IssueReporter) => void;
  /**
   * Fills defaults that depend on the resolved core (a dependency's job defaults to the service's),
   * once, when the spec is parsed; every function below gets the resolved part.
   */
  readonly resolve?: (part: P, service: ServiceCore) => R;
  /** The kind's rule groups of one service (a group name shared by kinds is merged in registry order). */
  readonly ruleGroups?: (service: ServiceCore, part: R, ctx: RuleContext) => RuleGroup[];
  /** Platform-wide groups (`platform.yaml`). */
  readonly platformRuleGroups?: (ctx: RuleContext) => RuleGroup[];
  readonly promtool?: PromtoolContribution<R>;
  readonly dashboard?: DashboardContribution<R>;
  /** Faults the demo service can simulate for this kind (`POST /faults` fields). @default {} */
  readonly faults?: Readonly<Record<string, FaultField>>;
  /** The demo service's metrics and workload for this kind. */
  readonly simulation?: (service: ServiceCore, part: R, setup: SimulationSetup) => KindSimulation | undefined;
  /** The bench's synthetic healthy series of this kind. */
  readonly syntheticSeries?: (service: ServiceCore, part: R) => SyntheticSeries[];
  /** The preview's examples of faults to inject, and what each raises. */
  readonly faultExamples?: (service: ServiceCore, part: R) => FaultExample[];
}

/** A kind as consumers use it: every function takes the whole spec and picks the kind's part. */
export interface SignalKind<D extends PartDeclaration = PartDeclaration> {
  readonly name: string;
  readonly part: D;
  readonly alertNames: readonly string[];
  readonly identityLabels: readonly string[];
  readonly dependencyDownAlerts: readonly string[];
  readonly severityDeclaredIn: Readonly<Record<string, string>>;
  readonly faults: Readonly<Record<string, FaultField>>;
  /** The kind's part of a spec (for a dependency kind: its items of `dependencies`). */
  partOf(spec: ServiceCore): unknown;
  /** True when the spec declares something of this kind (a non-empty part). */
  appliesTo(spec: ServiceCore): boolean;
  refine(spec: ParsedServiceView, issue: IssueReporter): void;
  resolve<T extends ServiceCore>(spec: T): T;
  ruleGroups(spec: ServiceCore, ctx: RuleContext): RuleGroup[];
  platformRuleGroups(ctx: RuleContext): RuleGroup[];
  alertCases(spec: ServiceCore, ctx: RuleContext, totalMinutes: number): AlertCase[];
  healthySeries(spec: ServiceCore, totalMinutes: number): PromtoolSeries[];
  testGroups(spec: ServiceCore, ctx: RuleContext): PromtoolTestGroup[];
  platformTestGroups(ctx: RuleContext, totalMinutes: number): PromtoolTestGroup[];
  provenApart(spec: ServiceCore): ProvenApart[];
  dashboardRows(spec: ServiceCore, ctx: DashboardContext): PanelRow[];
  dashboardVariables(spec: ServiceCore): VariableModel[];
  simulation(spec: ServiceCore, setup: SimulationSetup): KindSimulation | undefined;
  syntheticSeries(spec: ServiceCore): SyntheticSeries[];
  faultExamples(spec: ServiceCore): FaultExample[];
}

function isEmpty(part: unknown): boolean {
  if (part === undefined || part === null) return true;
  if (Array.isArray(part)) return part.length === 0;
  if (typeof part === "object" && "enabled" in part) return (part as { enabled: unknown }).enabled === false;
  return false;
}

/** Throws unless every alert of the groups is one the kind declares (so each has its runbook). */
function checkedGroups(kind: string, alertNames: readonly string[], groups: RuleGroup[]): RuleGroup[] {
  for (const rule of groups.flatMap((g) => g.rules.filter(isAlertingRule))) {
    if (!alertNames.includes(rule.alert)) {
      throw new Error(`alert ${rule.alert} must be declared in the alertNames of kind "${kind}" (declared: ${alertNames.join(", ") || "none"})`);
    }
  }
  return groups;
}

/**
 * A kind from its definition: the one place where a part is picked out of a whole spec, so the
 * kind's own functions stay typed on their part alone.
 */
export function defineSignalKind<const D extends PartDeclaration = undefined, R = NonNullable<PartOf<D>>>(
  definition: SignalKindDefinition<D, NonNullable<PartOf<D>>, R>,
): SignalKind<D> {
  type P = NonNullable<PartOf<D>>;
  const declaration = definition.part as PartDeclaration;
  /** The part as parsed; after parsing, `resolve` has run, so it holds the resolved part. */
  const partOf = (spec: ServiceCore): P => {
    if (declaration === undefined) return undefined as unknown as P;
    if ("field" in declaration) return (spec as unknown as Record<string, unknown>)[declaration.field] as P;
    return spec.dependencies.filter((d) => d.kind === declaration.dependency) as P;
  };
  /** Indexes in `dependencies` of a dependency kind's items, to report their problems where they are. */
  const dependencyIndexes = (spec: { readonly dependencies: readonly DependencyRef[] }): number[] =>
    declaration !== undefined && "dependency" in declaration ? spec.dependencies.flatMap((d, i) => (d.kind === declaration.dependency ? [i] : [])) : [];
  const d = definition;
  const applies = (spec: ServiceCore) => declaration !== undefined && !isEmpty(partOf(spec));
  const resolvedOf = (spec: ServiceCore): R => partOf(spec) as unknown as R;
  return {
    name: d.name,
    part: definition.part as D,
    alertNames: d.alertNames,
    identityLabels: d.identityLabels ?? [],
    dependencyDownAlerts: d.dependencyDownAlerts ?? [],
    severityDeclaredIn: d.severityDeclaredIn ?? {},
    faults: d.faults ?? {},
    partOf,
    appliesTo: applies,
    refine(spec, issue) {
      if (d.refine === undefined || declaration === undefined || partOf(spec as unknown as ServiceCore) === undefined) return;
      if ("field" in declaration) {
        d.refine(spec, partOf(spec as unknown as ServiceCore), (path, message, options) => issue([declaration.field, ...path], message, options));
        return;
      }
      const indexes = dependencyIndexes(spec);
      d.refine(spec, partOf(spec as unknown as ServiceCore), ([index, ...rest], message, options) =>
        issue(["dependencies", indexes[index as number] ?? (index as number), ...rest], message, options),
      );
    },
    resolve(spec) {
      if (d.resolve === undefined || declaration === undefined || partOf(spec) === undefined) return spec;
      const resolved: unknown = d.resolve(partOf(spec), spec);
      if ("field" in declaration) return { ...spec, [declaration.field]: resolved };
      const items = resolved as DependencyRef[];
      const indexes = dependencyIndexes(spec);
      const dependencies = spec.dependencies.map((dep, i) => (indexes.includes(i) ? items[indexes.indexOf(i)]! : dep));
      return { ...spec, dependencies };
    },
    // The service's alertOverrides apply here, once, to the rules and to what their tests expect.
    ruleGroups: (spec, ctx) =>
      d.ruleGroups && applies(spec) ? overrideGroups(spec.alertOverrides, checkedGroups(d.name, d.alertNames, d.ruleGroups(spec, resolvedOf(spec), ctx))) : [],
    platformRuleGroups: (ctx) => (d.platformRuleGroups ? checkedGroups(d.name, d.alertNames, d.platformRuleGroups(ctx)) : []),
    alertCases: (spec, ctx, total) =>
      d.promtool?.alertCases && applies(spec) ? overrideCases(spec.alertOverrides, d.promtool.alertCases(spec, resolvedOf(spec), ctx, total)) : [],
    healthySeries: (spec, total) => (d.promtool?.healthySeries && applies(spec) ? d.promtool.healthySeries(spec, resolvedOf(spec), total) : []),
    testGroups: (spec, ctx) =>
      d.promtool?.testGroups && applies(spec) ? overrideTestGroups(spec.alertOverrides, d.promtool.testGroups(spec, resolvedOf(spec), ctx)) : [],
    platformTestGroups: (ctx, total) => d.promtool?.platformTestGroups?.(ctx, total) ?? [],
    provenApart: (spec) => (d.promtool?.provenApart && applies(spec) ? d.promtool.provenApart(spec, resolvedOf(spec)) : []),
    dashboardRows: (spec, ctx) => (d.dashboard?.rows && applies(spec) ? d.dashboard.rows(spec, resolvedOf(spec), ctx) : []),
    dashboardVariables: (spec) => (d.dashboard?.variables && applies(spec) ? d.dashboard.variables(spec, resolvedOf(spec)) : []),
    simulation: (spec, setup) => (d.simulation && applies(spec) ? d.simulation(spec, resolvedOf(spec), setup) : undefined),
    syntheticSeries: (spec) => (d.syntheticSeries && applies(spec) ? d.syntheticSeries(spec, resolvedOf(spec)) : []),
    faultExamples: (spec) => (d.faultExamples && applies(spec) ? d.faultExamples(spec, resolvedOf(spec)) : []),
  };
}
