/**
 * The `migrations` part of a service spec: the metric that says a schema migration of the service
 * failed, either a 0/1 gauge (`db_migration_failed`, 1 while the last migration is failed) or a
 * counter of failed migration runs (a migration job's failures).
 */
import { z } from "zod";
import { labelName, metricName } from "../../model/schema-primitives";

export const migrationsSchema = z.strictObject({
  /** The gauge (1: the last migration failed) or counter (failed runs) of the service's migrations. */
  failedMetric: metricName,
  /** `gauge`: alert while it is above 0; `counter`: alert when it rose in `window`. @default "gauge" */
  type: z.enum(["gauge", "counter"]).default("gauge"),
  /** How far back a counter's rise counts. @default "1h" */
  window: z.enum(["15m", "30m", "1h", "3h", "6h"]).default("1h"),
  /** `job` of the series (a migration job scraped apart). @default - the service's job */
  job: z.string().min(1).optional(),
  /** Further equality matchers. @default {} */
  labels: z.record(labelName, z.string()).default({}),
});

/** The validated part. */
export type MigrationsSpec = z.output<typeof migrationsSchema>;
