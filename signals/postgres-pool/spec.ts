/**
 * The `postgresPools` part of a service spec: the Postgres dependencies whose connection slots the
 * service watches, through postgres_exporter's `pg_stat_activity_count` and
 * `pg_settings_max_connections`, with thresholds by severity.
 */
import { z } from "zod";
import { positiveDurationSchema } from "../../model/duration";
import { kebabName, openRatio } from "../../model/schema-primitives";
import type { DependencyRef, ServiceCore } from "../../model/service-core";
import type { StoreDependency } from "../dependency/spec";
import { SEVERITIES } from "../../model/severity";
import type { IssueReporter, ParsedServiceView } from "../kind";

const threshold = z.strictObject({
  /** Share of `max_connections` in use above which the alert fires. */
  maxUsedRatio: openRatio,
  /** @default "5m" */
  for: positiveDurationSchema.default("5m"),
});

/** Warning at 80% of `max_connections` for 10m (postgres_mixin); page at 95% for 2m, when new connections start failing. */
export const DEFAULT_POOL_THRESHOLDS = {
  warning: { maxUsedRatio: 0.8, for: "10m" },
  critical: { maxUsedRatio: 0.95, for: "2m" },
} as const;

/** One watched connection pool: a Postgres dependency of the service. */
export const postgresPoolSchema = z.strictObject({
  /** Name of one of the service's `{ kind: "postgres" }` dependencies; its alerts carry it as `dependency`. */
  dependency: kebabName,
  /** `job` of postgres_exporter's series. @default - the dependency's job */
  job: z.string().min(1).optional(),
  /** Equality matchers of the exporter's series. @default - the dependency's labels */
  labels: z.record(z.string().min(1), z.string()).optional(),
  /** Thresholds by severity. @default DEFAULT_POOL_THRESHOLDS */
  thresholds: z.partialRecord(z.enum(SEVERITIES), threshold).default({ ...DEFAULT_POOL_THRESHOLDS }),
});

/** One validated pool, its job and labels resolved from its dependency. */
export type PostgresPool = z.output<typeof postgresPoolSchema> & { readonly job: string; readonly labels: Readonly<Record<string, string>> };

/** Each pool names a Postgres dependency of the service, once. */
export function refinePools(service: ParsedServiceView, pools: readonly z.output<typeof postgresPoolSchema>[], issue: IssueReporter): void {
  const postgres = service.dependencies.filter((d) => d.kind === "postgres").map((d) => d.name);
  pools.forEach((pool, i) => {
    if (!postgres.includes(pool.dependency)) {
      issue([i, "dependency"], `must name a postgres dependency of the service (${postgres.join(", ") || "it declares none"})`);
    } else if (pools.findIndex((p) => p.dependency === pool.dependency) !== i) {
      issue([i, "dependency"], "must be unique among the service's postgres pools");
    }
  });
}

/** A pool's job and labels default to its dependency's (already resolved: Postgres comes first in the registry). */
export function resolvePools(pools: readonly z.output<typeof postgresPoolSchema>[], service: ServiceCore): PostgresPool[] {
  return pools.map((pool) => {
    const dependency = (service.dependencies as readonly (DependencyRef & Partial<StoreDependency>)[]).find(
      (d) => d.kind === "postgres" && d.name === pool.dependency,
    );
    return { ...pool, job: pool.job ?? dependency?.job ?? service.metrics.job, labels: pool.labels ?? dependency?.labels ?? {} };
  });
}
