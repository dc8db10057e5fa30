/**
 * The exporters the stack provisions, one per dependency of the whole catalog: a dependency several
 * services name (core-redis: core-api and workers) gets one exporter, so they must declare it
 * alike, and two dependencies cannot share one exporter's job.
 */
import type { PostgresProvision, RedisProvision } from "./exporter";
import type { StoreDependency } from "./spec";

/** One exporter the stack deploys, with the services that declare it (sorted). */
export type ProvisionedExporter =
  | { readonly kind: "redis"; readonly dependency: string; readonly job: string; readonly provision: RedisProvision; readonly declaredBy: readonly string[] }
  | {
      readonly kind: "postgres";
      readonly dependency: string;
      readonly job: string;
      readonly provision: PostgresProvision;
      readonly declaredBy: readonly string[];
    };

/** What {@link provisionedExporters} reads of a service: its name and its store dependencies, each at its index in `dependencies`. */
export interface ServiceStores {
  readonly name: string;
  readonly stores: readonly { readonly index: number; readonly dependency: StoreDependency }[];
}

/** One service's declaration of one dependency. */
interface Declaration {
  readonly service: string;
  readonly index: number;
  readonly dependency: StoreDependency;
}

/** What must be the same in every declaration of a dependency. */
const AGREED = ["kind", "job", "exporter"] as const;

const isRecord = (v: unknown): v is Readonly<Record<string, unknown>> => v !== null && typeof v === "object" && !Array.isArray(v);

/** Keys in order, so that two equal objects print alike. */
function stableJson(value: unknown): string {
  if (value === undefined) return "nothing";
  return JSON.stringify(value, (_key, v: unknown) => (isRecord(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v));
}

/** The paths (below `at`) where two values differ: the leaves, or the object present on one side only. */
function differences(a: unknown, b: unknown, at: readonly string[]): (readonly string[])[] {
  if (isRecord(a) && isRecord(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => differences(a[k], b[k], [...at, k]));
  }
  return stableJson(a) === stableJson(b) ? [] : [at];
}

const valueAtPath = (value: unknown, at: readonly string[]): unknown => at.reduce<unknown>((v, k) => (isRecord(v) ? v[k] : undefined), value);

/**
 * Every conflict between declarations, one line each, naming both services, the path and both
 * values: a dependency one service provisions and another declares otherwise (another exporter, kind
 * or job, or none), and two provisioned dependencies with one job.
 */
export function exporterProblems(services: readonly ServiceStores[]): string[] {
  const byName = new Map<string, Declaration[]>();
  for (const s of [...services].sort((a, b) => a.name.localeCompare(b.name))) {
    for (const { index, dependency } of s.stores) byName.set(dependency.name, [...(byName.get(dependency.name) ?? []), { service: s.name, index, dependency }]);
  }
  const problems: string[] = [];
  const jobs = new Map<string, Declaration>();
  for (const [name, declarations] of byName) {
    if (!declarations.some((d) => d.dependency.exporter !== undefined)) continue;
    // The first service that provisions it is the reference the others are compared with.
    const reference = declarations.find((d) => d.dependency.exporter !== undefined)!;
    for (const other of declarations.filter((d) => d !== reference)) {
      for (const field of AGREED) {
        for (const at of differences(reference.dependency[field], other.dependency[field], [field])) {
          const path = at.join(".");
          const value = (d: Declaration) => stableJson(valueAtPath(d.dependency, at));
          problems.push(
            `dependencies[${other.index}].${path} must equal service "${reference.service}"'s dependencies[${reference.index}].${path} (one exporter per dependency "${name}"), ` +
              `got ${value(other)} (service "${other.service}"; service "${reference.service}" declares ${value(reference)})`,
          );
        }
      }
    }
    const holder = jobs.get(reference.dependency.job);
    if (holder !== undefined) {
      problems.push(
        `dependencies[${reference.index}].job must differ from the job of the exporter of dependency "${holder.dependency.name}" (one job per exporter), ` +
          `got ${JSON.stringify(reference.dependency.job)} (service "${reference.service}"; service "${holder.service}" provisions "${holder.dependency.name}" under it)`,
      );
    } else jobs.set(reference.dependency.job, reference);
  }
  return problems;
}

/**
 * The exporters to deploy, sorted by dependency name.
 * @throws when declarations conflict (see {@link exporterProblems}): every conflict, one line each.
 */
export function provisionedExporters(services: readonly ServiceStores[]): ProvisionedExporter[] {
  const problems = exporterProblems(services);
  if (problems.length > 0) throw new Error(`conflicting exporter declarations:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  const found = new Map<string, ProvisionedExporter>();
  for (const s of services) {
    for (const { dependency: d } of s.stores) {
      if (d.exporter === undefined) continue;
      const known = found.get(d.name);
      const declaredBy = [...(known?.declaredBy ?? []), s.name].sort();
      const provision = (d.exporter as { readonly provision: unknown }).provision;
      if (d.kind !== "redis" && d.kind !== "postgres") throw new Error(`dependency "${d.name}" of kind "${d.kind}" has no exporter the stack can provision`);
      found.set(d.name, { kind: d.kind, dependency: d.name, job: d.job, provision, declaredBy } as ProvisionedExporter);
    }
  }
  return [...found.values()].sort((a, b) => a.dependency.localeCompare(b.dependency));
}
