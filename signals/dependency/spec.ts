/**
 * What every watched store (Redis, Postgres) of a service's `dependencies` list declares: its up
 * gauge, where it is scraped, and optionally the latency of the service's pings to it.
 */
import { z } from "zod";
import { kebabName, labelName, metricName, positive } from "../../model/schema-primitives";
import type { ServiceCore } from "../../model/service-core";

/** The schema of one dependency variant `{ kind: <kind>, ... }`, with the kind's latency budget. */
export function storeDependencySchema<const K extends string>(kind: K, defaultLatencySeconds: number) {
  return z.strictObject({
    kind: z.literal(kind),
    /** kebab-case, unique among the service's dependencies; the `dependency` label inhibition keys on. */
    name: kebabName,
    /** 0/1 gauge: the service's own ping (`divan_redis_up`) or an exporter's (`redis_up`, `pg_up`, `up`). */
    upMetric: metricName,
    /** `job` of the series. @default - the service's job */
    job: z.string().min(1).optional(),
    /** Further equality matchers, e.g. `{ instance: "cache:6379" }`. @default {} */
    labels: z.record(labelName, z.string()).default({}),
    /** Summary or histogram (without `_sum`/`_count`) of the ping latency. @default - no latency alert */
    latencyMetric: metricName.optional(),
    /** Mean latency above which the latency alert fires. */
    latencyThresholdSeconds: positive.default(defaultLatencySeconds),
  });
}

/** One validated store dependency, its job resolved. */
export interface StoreDependency {
  readonly kind: string;
  readonly name: string;
  readonly upMetric: string;
  readonly job: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly latencyMetric?: string | undefined;
  readonly latencyThresholdSeconds: number;
}

/** A store dependency as parsed: its job may still be unset. */
export type ParsedStoreDependency = Omit<StoreDependency, "job"> & { readonly job?: string | undefined };

/** A dependency's job defaults to the service's own (the service pings the store itself). */
export function resolveStoreJobs(items: readonly ParsedStoreDependency[], service: ServiceCore): StoreDependency[] {
  return items.map((d) => ({ ...d, job: d.job ?? service.metrics.job }));
}
