/**
 * What every watched store (Redis, Postgres) of a service's `dependencies` list declares: its up
 * gauge, where it is scraped, and optionally the latency of the service's pings to it.
 */
import { z } from "zod";
import { kebabName, labelName, metricName, positive } from "../../model/schema-primitives";
import type { ServiceCore } from "../../model/service-core";
import { exporterSchema, provisionedJob } from "./exporter";

/**
 * The schema of one dependency variant `{ kind: <kind>, ... }`, with the kind's latency budget and
 * how the stack provisions its exporter.
 */
export function storeDependencySchema<const K extends string, P extends z.ZodType>(kind: K, defaultLatencySeconds: number, provision: P) {
  return z.strictObject({
    kind: z.literal(kind),
    /** kebab-case, unique among the service's dependencies; the `dependency` label inhibition keys on. */
    name: kebabName,
    /** 0/1 gauge: the service's own ping (`divan_redis_up`) or an exporter's (`redis_up`, `pg_up`, `up`). */
    upMetric: metricName,
    /** `job` of the series. @default - `<name>-exporter` when `exporter.provision` is set, else the service's job */
    job: z.string().min(1).optional(),
    /** Further equality matchers, e.g. `{ instance: "cache:6379" }`. @default {} */
    labels: z.record(labelName, z.string()).default({}),
    /** Summary or histogram (without `_sum`/`_count`) of the ping latency. @default - no latency alert */
    latencyMetric: metricName.optional(),
    /** Mean latency above which the latency alert fires. */
    latencyThresholdSeconds: positive.default(defaultLatencySeconds),
    /**
     * `{ provision: { ... } }`: the stack deploys the store's exporter (one release per dependency,
     * however many services name it; they must declare it alike).
     * @default - exported elsewhere: by the service, or by an exporter deployed apart under `job`
     */
    exporter: exporterSchema(provision).optional(),
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
  /** Present when the stack provisions the exporter (`{ provision }`, of the kind's schema). */
  readonly exporter?: object | undefined;
}

/** A store dependency as parsed: its job may still be unset. */
export type ParsedStoreDependency = Omit<StoreDependency, "job"> & { readonly job?: string | undefined };

/**
 * A dependency's job defaults to its provisioned exporter's (`<name>-exporter`), else to the
 * service's own (the service pings the store itself).
 */
export function resolveStoreJobs(items: readonly ParsedStoreDependency[], service: ServiceCore): StoreDependency[] {
  return items.map((d) => ({ ...d, job: d.job ?? (d.exporter === undefined ? service.metrics.job : provisionedJob(d.name)) }));
}
