/**
 * Redis a service depends on (`dependencies: [{ kind: "redis", ... }]`): down for 2m, which mutes
 * the alerts of every service depending on it, ping latency above its budget (200 ms) and, read
 * through redis_exporter (`upMetric: "redis_up"`), its failure modes (./failure-modes.ts).
 */
import { defineStoreKind } from "../dependency/store-kind";
import { REDIS_FAILURE_ALERTS, redisFailureModes } from "./failure-modes";

/** The alerts of the kind. */
export const REDIS_ALERTS = { RedisDown: "RedisDown", RedisHighLatency: "RedisHighLatency", ...REDIS_FAILURE_ALERTS } as const;

export const redisKind = defineStoreKind({
  kind: "redis",
  alerts: { title: "Redis", down: REDIS_ALERTS.RedisDown, slow: REDIS_ALERTS.RedisHighLatency },
  defaultLatencySeconds: 0.2,
  failureModes: redisFailureModes,
});
