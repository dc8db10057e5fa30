/**
 * Redis a service depends on (`dependencies: [{ kind: "redis", ... }]`): down for 2m, which mutes
 * the alerts of every service depending on it, and ping latency above its budget (200 ms).
 */
import { redisProvisionSchema } from "../dependency/exporter";
import { defineStoreKind } from "../dependency/store-kind";

/** The alerts of the kind. */
export const REDIS_ALERTS = { RedisDown: "RedisDown", RedisHighLatency: "RedisHighLatency" } as const;

export const redisKind = defineStoreKind({
  kind: "redis",
  alerts: { title: "Redis", down: REDIS_ALERTS.RedisDown, slow: REDIS_ALERTS.RedisHighLatency },
  exporter: { provision: redisProvisionSchema, upMetric: "redis_up" },
  defaultLatencySeconds: 0.2,
});
