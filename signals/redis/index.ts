/**
 * Redis a service depends on (`dependencies: [{ kind: "redis", ... }]`): down for 2m, which mutes
 * the alerts of every service depending on it, ping latency above its budget (200 ms) and, read
 * through redis_exporter (`upMetric: "redis_up"`), its failure modes (./failure-modes.ts) with
 * their demo series and faults (./simulation.ts).
 */
import { redisProvisionSchema } from "../dependency/exporter";
import type { StoreFailureModes } from "../dependency/failure-modes";
import { defineStoreKind } from "../dependency/store-kind";
import {
  REDIS_FAILURE_ALERTS,
  redisFailureCases,
  redisFailureHealthySeries,
  redisFailureModesSchema,
  redisFailurePanels,
  redisFailureRules,
  redisFailureSyntheticSeries,
  type RedisFailureModes,
} from "./failure-modes";
import { REDIS_FAULTS, redisFailureSimulation } from "./simulation";

/** The Redis kind's failure modes. */
export const redisFailureModes: StoreFailureModes<typeof redisFailureModesSchema, RedisFailureModes> = {
  schema: redisFailureModesSchema,
  resolve: (written) => written ?? redisFailureModesSchema.parse({}),
  alertNames: Object.values(REDIS_FAILURE_ALERTS),
  rules: redisFailureRules,
  alertCases: redisFailureCases,
  healthySeries: redisFailureHealthySeries,
  panels: redisFailurePanels,
  syntheticSeries: (d) => redisFailureSyntheticSeries(d),
  faults: REDIS_FAULTS,
  simulate: redisFailureSimulation,
  faultExamples: (service, d) => [
    { patch: { redisMemoryUsed: 0.95 }, raises: `RedisMemoryNearLimit (${d.name} of ${service.name} at 95% of maxmemory)` },
    { patch: { redisMemoryUsed: 1 }, raises: `RedisEvictions and RedisMemoryNearLimit (${d.name} of ${service.name} full, evicting)` },
  ],
};

/** The alerts of the kind. */
export const REDIS_ALERTS = { RedisDown: "RedisDown", RedisHighLatency: "RedisHighLatency", ...REDIS_FAILURE_ALERTS } as const;

export const redisKind = defineStoreKind({
  kind: "redis",
  alerts: { title: "Redis", down: REDIS_ALERTS.RedisDown, slow: REDIS_ALERTS.RedisHighLatency },
  exporter: { provision: redisProvisionSchema, upMetric: "redis_up" },
  defaultLatencySeconds: 0.2,
  failureModes: redisFailureModes,
});
