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
  ruleGroups: (service, redis, ctx) => storeRuleGroups(service, alerts, resolveStoreJobs(redis, service), ctx),
  dashboard: { rows: (service, redis, ctx) => dependencyRows(service, alerts, resolveStoreJobs(redis, service), ctx) },
  syntheticSeries: (service, redis) => storeSyntheticSeries(resolveStoreJobs(redis, service)),
  simulation: (service, redis, setup) => storeSimulation(service, "redis", resolveStoreJobs(redis, service), setup),
  faultExamples: (service, redis) => [{ patch: { dependencyDown: [redis[0]!.name] }, raises: `RedisDown pages; ${service.name}'s other alerts are inhibited` }],
  promtool: {
    alertCases: (service, redis, ctx, total) => dependencyAlertCases(service, alerts, resolveStoreJobs(redis, service), ctx, total),
    healthySeries: (service, redis, total) => dependencyHealthySeries(resolveStoreJobs(redis, service), total),
  },
});
