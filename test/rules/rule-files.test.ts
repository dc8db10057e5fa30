/** Rule files assembled from the registry, on small local fixtures. */
import { alertingRule } from "../../kit/rule";
import { buildRuleFiles, buildServiceRuleGroups } from "../../rules";
import { mergeGroupsByName } from "../../rules/rule-files";
import { assertDistinct, defineSignalKind, SIGNAL_KINDS } from "../../signals";
import { parseServiceSpec } from "../../signals/service-spec";
import { CTX } from "../support/context";

const service = parseServiceSpec({
  name: "shop",
  team: "web",
  namespace: "shop",
  slos: [{ name: "availability", kind: "availability", objective: 0.99 }],
  dependencies: [
    { kind: "postgres", name: "shop-db", upMetric: "pg_up", job: "shop-db-exporter" },
    { kind: "redis", name: "shop-cache", upMetric: "redis_up", job: "shop-cache-exporter" },
  ],
  postgresPools: [{ dependency: "shop-db" }],
  queues: [{ name: "orders", depthMetric: "queue_depth", ageMetric: "queue_age_seconds", slaSeconds: 60, maxDepth: 100 }],
});

describe("buildServiceRuleGroups", () => {
  it("gives each kind's groups in registry order, one dependencies group for every store kind", () => {
    expect(buildServiceRuleGroups(service, CTX).map((g) => g.name)).toEqual([
      "shop.red",
      "shop.slo.availability",
      "shop.slo.availability.budget",
      "shop.dependencies",
      "shop.queues",
      "shop.health",
    ]);
  });

  it("puts Redis, then Postgres, then the pools in the dependencies group, whatever the order of the list", () => {
    const group = buildServiceRuleGroups(service, CTX).find((g) => g.name === "shop.dependencies")!;
    expect(group.rules.map((r) => ("alert" in r ? r.alert : r.record))).toEqual([
      "RedisDown",
      "RedisEvictions",
      "RedisMemoryNearLimit",
      "RedisRejectedConnections",
      "RedisTooManyClients",
      "PostgresDown",
      "PostgresLockWaits",
      "PostgresDeadlocks",
      "PostgresLongRunningTransaction",
      "PostgresTableBloat",
      "PostgresHighRollbackRatio",
      "service_dependency:postgres_connections_used:ratio",
      "PostgresConnectionsNearLimit",
      "PostgresConnectionsNearLimit",
    ]);
  });

  it("builds one file per service and platform.yaml", () => {
    expect(buildRuleFiles([service], CTX).map((f) => [f.fileName, f.groups.length])).toEqual([
      ["platform.yaml", 1],
      ["shop.yaml", 6],
    ]);
  });

  it("fails when two services share a name, or one is called platform", () => {
    expect(() => buildRuleFiles([service, service], CTX)).toThrow(/services must have unique names, got "shop" twice/);
    expect(() => buildRuleFiles([{ ...service, name: "platform" }], CTX)).toThrow(/service name "platform" is reserved for platform.yaml/);
  });
});

describe("mergeGroupsByName", () => {
  it("concatenates groups of one name at the first one's place", () => {
    const a = { name: "a", rules: [{ record: "a:x:sum", expr: "sum(x)" }] };
    const b = { name: "b", rules: [{ record: "b:x:sum", expr: "sum(x)" }] };
    const a2 = { name: "a", rules: [{ record: "a:y:sum", expr: "sum(y)" }] };
    expect(mergeGroupsByName([a, b, a2])).toEqual([{ name: "a", rules: [...a.rules, ...a2.rules] }, b]);
  });

  it("fails when groups of one name have different intervals", () => {
    expect(() =>
      mergeGroupsByName([
        { name: "a", rules: [] },
        { name: "a", interval: "5m", rules: [] },
      ]),
    ).toThrow(/rule group a must have one interval, got the global one and 5m/);
  });
});

describe("the registry", () => {
  it("fails when a kind's rules use an alert it does not declare (it would have no runbook)", () => {
    const rogue = defineSignalKind({
      name: "rogue",
      part: { field: "red", schema: SIGNAL_KINDS[0].part.schema },
      alertNames: ["RogueDeclared"],
      ruleGroups: (core) => [
        {
          name: `${core.name}.rogue`,
          rules: [
            alertingRule(
              { alert: "RogueUndeclared", expr: "vector(1)", severity: "warning", service: core.name, team: core.team, summary: "s", description: "d" },
              CTX,
            ),
          ],
        },
      ],
    });
    expect(() => rogue.ruleGroups(service, CTX)).toThrow(
      /alert RogueUndeclared must be declared in the alertNames of kind "rogue" \(declared: RogueDeclared\)/,
    );
  });

  it("lists kinds with distinct names and alert names", () => {
    const names = SIGNAL_KINDS.map((k) => k.name);
    expect(new Set(names).size).toBe(names.length);
    const alerts = SIGNAL_KINDS.flatMap((k) => k.alertNames);
    expect(new Set(alerts).size).toBe(alerts.length);
  });

  it("fails, naming both kinds, when two kinds declare one alert name or one kind name (each alert has one kind and one runbook)", () => {
    const a = defineSignalKind({ name: "a", alertNames: ["SharedAlert"] });
    const b = defineSignalKind({ name: "b", alertNames: ["SharedAlert"] });
    expect(() => assertDistinct([a, b])).toThrow('alert SharedAlert must belong to one kind, got kinds "a" and "b"');
    expect(() => assertDistinct([a, defineSignalKind({ name: "a", alertNames: [] })])).toThrow('kind a must belong to one kind, got kinds "a" and "a"');
  });
});
