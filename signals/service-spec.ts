/**
 * One service as every consumer sees it: the core (model/service-core.ts) plus each kind's part,
 * assembled from the registry, so a kind's field exists in the spec exactly when the kind is
 * registered. Validated once by {@link parseServiceSpec}; everything downstream takes the resolved
 * {@link ServiceSpec}.
 */
import { z } from "zod";
import { serviceCoreShape, serviceDependencySchema, resolveCore, type DependencyRef, type ServiceCore } from "../model/service-core";
import { describeValue, formatIssues, ValidationError, valueAt } from "../model/validation-error";
import { isAlertingRule } from "../kit/rule-types";
import { alertOverrideProblems, type OverrideRules } from "./alert-overrides";
import { DEPENDENCY_DOWN_ALERTS, SIGNAL_KINDS } from "./index";
import type { DependencyPart, FieldPart, IssueReporter, ParsedServiceView } from "./kind";
import { REDACTED } from "../model/schema-primitives";

type Kind = (typeof SIGNAL_KINDS)[number];
type FieldDeclaration = Extract<Kind["part"], FieldPart>;
type DependencyDeclaration = Extract<Kind["part"], DependencyPart>;

/** The kinds' fields of the spec, by field name. */
type PartsShape = { [D in FieldDeclaration as D["field"]]: D["schema"] };

const fieldParts = SIGNAL_KINDS.flatMap((k) => (k.part !== undefined && "field" in k.part ? [k.part as FieldDeclaration] : []));
const dependencyParts = SIGNAL_KINDS.flatMap((k) => (k.part !== undefined && "dependency" in k.part ? [k.part as DependencyDeclaration] : []));

const partsShape = Object.fromEntries(fieldParts.map((p) => [p.field, p.schema])) as unknown as PartsShape;

/** One dependency: a downstream service of the catalog, or a variant a kind declares (redis, postgres, ...). */
const dependencySchema = z.discriminatedUnion("kind", [serviceDependencySchema, ...dependencyParts.map((p) => p.schema)] as unknown as [
  typeof serviceDependencySchema,
  ...DependencyDeclaration["schema"][],
]);

const schema = z.strictObject({
  ...serviceCoreShape,
  ...partsShape,
  /**
   * What the service depends on, each `{ kind, name, ... }`: Redis and Postgres it uses, services of
   * the catalog it calls. A store that is down mutes the alerts of the services depending on it.
   * @default []
   */
  dependencies: z.array(dependencySchema).default([]),
});

type Parsed = z.output<typeof schema>;

/** Checks of the core: buckets ascending, dependency names unique, no service depending on itself. */
function coreProblems(spec: Parsed, issue: (path: (string | number)[], message: string) => void): void {
  const buckets = spec.metrics.buckets;
  if (buckets.some((b, i) => i > 0 && b <= buckets[i - 1]!)) issue(["metrics", "buckets"], "must be strictly ascending");
  const names = spec.dependencies.map((d) => `${d.kind === "service" ? "service" : "store"}:${d.name}`);
  spec.dependencies.forEach((d, i) => {
    if (names.indexOf(names[i]!) !== i) issue(["dependencies", i, "name"], "must be unique among the service's dependencies");
    if (d.kind === "service" && d.name === spec.name) issue(["dependencies", i, "name"], "must name another service, not the service itself");
  });
}

function crossCheck(spec: Parsed, ctx: z.RefinementCtx): void {
  const issue: IssueReporter = (path, message, options) =>
    ctx.addIssue({ code: "custom", path: [...path], message, ...(options?.redacted === true ? { input: REDACTED, params: { redacted: true } } : {}) });
  coreProblems(spec, issue);
  const view = spec as unknown as ParsedServiceView;
  for (const kind of SIGNAL_KINDS) kind.refine(view, issue);
}

/** Fills the defaults that depend on other fields: the core's, then each kind's. */
function resolve(spec: Parsed) {
  const core = resolveCore(spec);
  return SIGNAL_KINDS.reduce((resolved, kind) => kind.resolve(resolved as unknown as ServiceCore) as unknown as typeof core, core);
}

/** The context overrides are checked in: labels do not depend on the environment. */
const OVERRIDE_CHECK_CONTEXT = { environment: "validation", runbookBaseUrl: "https://runbooks.invalid" } as const;

/** What the override check needs of the registry. */
const OVERRIDE_RULES: OverrideRules = {
  severityDeclaredIn: Object.assign({}, ...SIGNAL_KINDS.map((k) => k.severityDeclaredIn)) as Record<string, string>,
  dependencyDownAlerts: DEPENDENCY_DOWN_ALERTS,
};

/** The service's `alertOverrides` checked against the alerting rules its kinds build without them. */
function checkAlertOverrides(spec: ReturnType<typeof resolve>, ctx: z.RefinementCtx): void {
  const core = spec as unknown as ServiceCore;
  if (core.alertOverrides.length === 0) return;
  const plain = { ...core, alertOverrides: [] };
  const rules = SIGNAL_KINDS.flatMap((k) => k.ruleGroups(plain, OVERRIDE_CHECK_CONTEXT)).flatMap((g) => g.rules.filter(isAlertingRule));
  for (const p of alertOverrideProblems(core.alertOverrides, rules, OVERRIDE_RULES)) ctx.addIssue({ code: "custom", path: [...p.path], message: p.message });
}

/** The zod schema of one service; its output is a {@link ServiceSpec} with every default resolved. */
export const serviceSpecSchema = schema.superRefine(crossCheck).transform(resolve).superRefine(checkAlertOverrides);

/** A service spec as written in `services/`. */
export type ServiceSpecInput = z.input<typeof serviceSpecSchema>;
/** A validated service spec, every default resolved. */
export type ServiceSpec = Readonly<z.output<typeof serviceSpecSchema>> & ServiceCore;

/** How error messages name list items, by list key (`slos` -> `slo`), from every kind. */
const ITEM_LABELS: Readonly<Record<string, string>> = Object.fromEntries(fieldParts.flatMap((p) => Object.entries((p as FieldPart).itemLabels ?? {})));

/** `service "edge", slo "availability"`: the service, then each named list item the path is in. */
export function serviceErrorContext(input: unknown, path: readonly PropertyKey[]): string[] {
  const parts = [`service ${describeValue(valueAt(input, ["name"]))}`];
  path.forEach((key, i) => {
    if (typeof key !== "number" || i === 0) return;
    const list = path[i - 1]!;
    const item = valueAt(input, path.slice(0, i + 1));
    const name = item !== null && typeof item === "object" ? (item as { name?: unknown }).name : undefined;
    if (typeof name !== "string") return;
    const kind = (item as { kind?: unknown }).kind;
    const label = list === "dependencies" && typeof kind === "string" ? kind : ITEM_LABELS[String(list)];
    if (label !== undefined) parts.push(`${label} ${describeValue(name)}`);
  });
  return parts;
}

/** Thrown by {@link parseServiceSpec}; `problems` has one line per issue. */
export class ServiceSpecError extends ValidationError {
  constructor(problems: readonly string[], serviceName?: string) {
    super(serviceName === undefined ? "invalid service spec" : `invalid service spec ${JSON.stringify(serviceName)}`, problems);
    this.name = "ServiceSpecError";
  }
}

/** Validates one service and resolves its defaults; throws {@link ServiceSpecError} naming every problem. */
export function parseServiceSpec(input: unknown): ServiceSpec {
  const result = serviceSpecSchema.safeParse(input);
  if (!result.success) {
    const name = valueAt(input, ["name"]);
    throw new ServiceSpecError(
      formatIssues(result.error.issues, { input, context: (path) => serviceErrorContext(input, path) }),
      typeof name === "string" ? name : undefined,
    );
  }
  return result.data as ServiceSpec;
}

/**
 * A service as written in `services/*.ts`: the input, type-checked. It is validated with the
 * whole catalog (signals/catalog.ts `buildCatalog`), so every service's problems are reported at
 * once, at synth, instead of the first one at import.
 */
export function defineService(input: ServiceSpecInput): ServiceSpecInput {
  return input;
}

/** The dependencies of a spec that are stores (not services of the catalog), in the registry's order of kinds. */
export function storeDependencies(spec: Pick<ServiceSpec, "dependencies">): DependencyRef[] {
  return dependencyParts.flatMap((part) => spec.dependencies.filter((d) => d.kind === part.dependency));
}
