/**
 * Redis a service depends on (`dependencies: [{ kind: "redis", ... }]`): down for 2m, which mutes
 * the alerts of every service depending on it, and ping latency above its budget (200 ms).
 */
import { defineSignalKind } from "../kind";
import { storeSyntheticSeries } from "../dependency/synthetic";
import { storeSimulation } from "../dependency/simulation";
import { dependencyRows } from "../dependency/dashboard";
import { dependencyAlertCases, dependencyHealthySeries } from "../dependency/promtool";
import { storeRuleGroups } from "../dependency/rules";
import { resolveStoreJobs, storeDependencySchema } from "../dependency/spec";

/** The alerts of the kind. */
export const REDIS_ALERTS = { RedisDown: "RedisDown", RedisHighLatency: "RedisHighLatency" } as const;

const alerts = { title: "Redis", down: REDIS_ALERTS.RedisDown, slow: REDIS_ALERTS.RedisHighLatency };

export const redisKind = defineSignalKind({
  name: "redis",
  part: { dependency: "redis", schema: storeDependencySchema("redis", 0.2) },
  alertNames: Object.values(REDIS_ALERTS),
  identityLabels: ["dependency"],
  dependencyDownAlerts: [REDIS_ALERTS.RedisDown],
  resolve: resolveStoreJobs,
  ruleGroups: (service, redis, ctx) => storeRuleGroups(service, alerts, redis, ctx),
  dashboard: { rows: (service, redis, ctx) => dependencyRows(service, alerts, redis, ctx) },
  syntheticSeries: (_service, redis) => storeSyntheticSeries(redis),
  simulation: (service, redis, setup) => storeSimulation(service, "redis", redis, setup),
  faultExamples: (service, redis) => [{ patch: { dependencyDown: [redis[0]!.name] }, raises: `RedisDown pages; ${service.name}'s other alerts are inhibited` }],
  promtool: {
    alertCases: (service, redis, ctx, total) => dependencyAlertCases(service, alerts, redis, ctx, total),
    healthySeries: (_service, redis, total) => dependencyHealthySeries(redis, total),
  },
});
