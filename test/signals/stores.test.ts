import { parseServiceSpec } from "../../signals/service-spec";
import { buildServiceRuleGroups } from "../../rules";
import { CTX } from "../support/context";

const service = parseServiceSpec({
  name: "divan-api",
  team: "social",
  namespace: "divan",
  dependencies: [
    { kind: "postgres", name: "core-postgres", upMetric: "pg_up", job: "postgres-exporter", labels: { instance: "pg-0:9187" } },
    { kind: "redis", name: "divan-redis", upMetric: "divan_redis_up", latencyMetric: "divan_redis_latency_seconds" },
  ],
});

/** The `<service>.dependencies` group: every store kind's alerts, in registry order. */
const dependencyGroups = (spec: typeof service) => buildServiceRuleGroups(spec, CTX).filter((g) => g.name.endsWith(".dependencies"));

describe("dependency alerts", () => {
  const [group] = dependencyGroups(service);

  it("alerts on each dependency down for 2m, labelled with the dependency for inhibition", () => {
    expect(group!.rules[0]).toEqual({
      alert: "RedisDown",
      expr: 'max by (job) (divan_redis_up{job="divan-api"}) == 0',
      for: "2m",
      labels: { dependency: "divan-redis", service: "divan-api", severity: "critical", team: "social" },
      annotations: {
        summary: "Redis divan-redis of divan-api is down",
        description:
          "divan_redis_up of job {{ $labels.job }} has been 0 for 2m: divan-api cannot reach Redis divan-redis. Alerts of the services that depend on it are inhibited meanwhile.",
        runbook_url: "https://runbooks.example.com/observability/RedisDown.md",
      },
    });
    expect(group!.rules[2]).toMatchObject({
      alert: "PostgresDown",
      expr: 'max by (job) (pg_up{job="postgres-exporter",instance="pg-0:9187"}) == 0',
      labels: { dependency: "core-postgres" },
    });
  });

  it("alerts on mean latency above the threshold (Redis 200 ms by default) for 5m", () => {
    expect(group!.rules[1]).toMatchObject({
      alert: "RedisHighLatency",
      expr: '(sum by (job) (rate(divan_redis_latency_seconds_sum{job="divan-api"}[5m]))) / clamp_min(sum by (job) (rate(divan_redis_latency_seconds_count{job="divan-api"}[5m])), 1e-12) > 0.2',
      for: "5m",
      labels: { dependency: "divan-redis", service: "divan-api", severity: "warning", team: "social" },
    });
    // Postgres is read through postgres_exporter (`pg_up`), so its failure modes follow its down alert.
    expect(group!.rules.map((r) => ("alert" in r ? r.alert : r.record))).toEqual([
      "RedisDown",
      "RedisHighLatency",
      "PostgresDown",
      "PostgresLockWaits",
      "PostgresDeadlocks",
      "PostgresLongRunningTransaction",
      "PostgresTableBloat",
      "PostgresHighRollbackRatio",
    ]);
  });

  it("puts Redis before Postgres whatever the order of the list (kinds in registry order), in one group", () => {
    expect(dependencyGroups(service).map((g) => g.name)).toEqual(["divan-api.dependencies"]);
  });

  it("builds no group without dependencies", () => {
    expect(dependencyGroups(parseServiceSpec({ name: "x", team: "core", namespace: "x" }))).toEqual([]);
  });
});
