/**
 * The failure modes of Redis and Postgres dependencies read through their exporters, and
 * MigrationFailed, on a small local fixture: the rules on the exporters' real metric names, the
 * thresholds as inputs, the spec checks, the promtool cases run by the real promtool (and the
 * maxmemory-0 guard), the dashboard panels with their thresholds, and inhibition by a real
 * Alertmanager while the dependency is down.
 */
import { buildAlertmanagerConfig, renderAlertmanagerYaml } from "../../alertmanager";
import { buildDashboards } from "../../dashboards";
import { promqlSyntaxError } from "../../kit/promql-syntax";
import { gaugeValues, steadyCounter } from "../../kit/promtool/series";
import type { ExpectedAlert } from "../../kit/promtool/types";
import { isAlertingRule, type AlertingRule } from "../../kit/rule-types";
import { buildPromtoolTestFiles, buildRuleFiles, buildServiceRuleGroups } from "../../rules";
import { ALL_ALERT_NAMES, SIGNAL_KINDS } from "../../signals";
import { startDemoFleet } from "../../demo-service";
import { redisUnlimitedMemorySeries } from "../../signals/redis/failure-modes";
import { parseServiceSpec, type ServiceSpecInput } from "../../signals/service-spec";
import { LocalAlertmanager, type ApiAlert } from "../alertmanager/alertmanager-process";
import { tempDir } from "../alertmanager/amtool";
import { alertingOf } from "../alertmanager/fixtures";
import { CTX } from "../support/context";
import { promtool, writeRuleTree } from "../support/promtool";
import { specProblems } from "../support/spec-problems";

const input: ServiceSpecInput = {
  name: "orders",
  team: "core",
  namespace: "shop",
  red: { enabled: false },
  dependencies: [
    {
      kind: "postgres",
      name: "orders-db",
      upMetric: "pg_up",
      job: "orders-db-exporter",
      failureModes: { replica: { labels: { instance: "pg-1:9187" } } },
    },
    { kind: "redis", name: "orders-cache", upMetric: "redis_up", job: "orders-cache-exporter" },
  ],
  postgresPools: [{ dependency: "orders-db" }],
  migrations: { failedMetric: "db_migration_failed" },
};
const service = parseServiceSpec(input);

const alerts = (spec = service): AlertingRule[] => buildServiceRuleGroups(spec, CTX).flatMap((g) => g.rules.filter(isAlertingRule));
const alert = (name: string, spec = service) => alerts(spec).find((r) => r.alert === name)!;
const summary = (r: AlertingRule) => [r.expr, r.for, r.labels.severity, r.labels.dependency];

describe("Postgres failure modes (postgres_exporter)", () => {
  it("alerts on blocking locks held, by job, instance and database (0.11's `server` label folds away)", () => {
    expect(summary(alert("PostgresLockWaits"))).toEqual([
      'sum by (job, instance, datname) (pg_locks_count{job="orders-db-exporter",mode=~"accessexclusivelock|exclusivelock|sharerowexclusivelock|sharelock"}) > 0',
      "5m",
      "warning",
      "orders-db",
    ]);
  });

  it("alerts on any deadlock over 5m, at once", () => {
    expect(summary(alert("PostgresDeadlocks"))).toEqual([
      'sum by (job, instance, datname) (increase(pg_stat_database_deadlocks{job="orders-db-exporter"}[5m])) > 0',
      undefined,
      "warning",
      "orders-db",
    ]);
  });

  it("alerts on a transaction open for more than 600s, for 2m", () => {
    expect(summary(alert("PostgresLongRunningTransaction"))).toEqual([
      'max by (job, instance, datname) (pg_stat_activity_max_tx_duration{job="orders-db-exporter"}) > 600',
      "2m",
      "warning",
      "orders-db",
    ]);
  });

  it("alerts on a table more than 30% dead with more than 10000 dead tuples for 15m (the pg_table_bloat custom query)", () => {
    expect(summary(alert("PostgresTableBloat"))).toEqual([
      'max by (job, instance, datname, schemaname, relname) (pg_table_bloat_ratio{job="orders-db-exporter"}) > 0.3 and max by (job, instance, datname, schemaname, relname) (pg_table_bloat_dead_tuples{job="orders-db-exporter"}) > 10000',
      "15m",
      "warning",
      "orders-db",
    ]);
  });

  it("alerts on more than 10% of transactions rolled back for 10m", () => {
    expect(summary(alert("PostgresHighRollbackRatio"))).toEqual([
      '(sum by (job, instance, datname) (rate(pg_stat_database_xact_rollback{job="orders-db-exporter"}[5m]))) / clamp_min(sum by (job, instance, datname) (rate(pg_stat_database_xact_commit{job="orders-db-exporter"}[5m])) + sum by (job, instance, datname) (rate(pg_stat_database_xact_rollback{job="orders-db-exporter"}[5m])), 1e-12) > 0.1',
      "10m",
      "warning",
      "orders-db",
    ]);
  });

  it("alerts on replication lag above postgres_mixin's hour only where a replica is declared, on its matchers", () => {
    expect(summary(alert("PostgresReplicationLag"))).toEqual([
      'max by (job, instance) (pg_replication_lag_seconds{job="orders-db-exporter",instance="pg-1:9187"}) > 3600',
      "5m",
      "warning",
      "orders-db",
    ]);
    const noReplica = parseServiceSpec({ ...input, dependencies: [{ kind: "postgres", name: "orders-db", upMetric: "pg_up", job: "orders-db-exporter" }] });
    expect(alerts(noReplica).map((r) => r.alert)).not.toContain("PostgresReplicationLag");
  });

  it("takes its thresholds from the dependency's failureModes", () => {
    const custom = parseServiceSpec({
      ...input,
      dependencies: [
        {
          kind: "postgres",
          name: "orders-db",
          upMetric: "pg_up",
          job: "orders-db-exporter",
          failureModes: {
            locks: { modes: ["accessexclusivelock"], maxHeld: 2, for: "10m" },
            deadlocks: { max: 3 },
            longTransactions: { maxSeconds: 3600 },
            bloat: { maxRatio: 0.5 },
            rollbacks: { maxRatio: 0.25, for: "30m" },
          },
        },
      ],
    });
    expect(alert("PostgresLockWaits", custom).expr).toBe(
      'sum by (job, instance, datname) (pg_locks_count{job="orders-db-exporter",mode=~"accessexclusivelock"}) > 2',
    );
    expect(alert("PostgresLockWaits", custom).for).toBe("10m");
    expect(alert("PostgresDeadlocks", custom).expr).toContain("[5m])) > 3");
    expect(alert("PostgresLongRunningTransaction", custom).expr).toMatch(/ > 3600$/);
    expect(alert("PostgresLongRunningTransaction", custom).for).toBe("2m");
    expect(alert("PostgresTableBloat", custom).expr).toMatch(/ > 0\.5 and .* > 10000$/);
    expect([alert("PostgresHighRollbackRatio", custom).expr.endsWith("> 0.25"), alert("PostgresHighRollbackRatio", custom).for]).toEqual([true, "30m"]);
  });
});

describe("Redis failure modes (redis_exporter)", () => {
  it("alerts on evictions, memory near maxmemory (guarded when it is 0), rejected and too many clients", () => {
    expect(["RedisEvictions", "RedisMemoryNearLimit", "RedisRejectedConnections", "RedisTooManyClients"].map((a) => summary(alert(a)))).toEqual([
      ['sum by (job, instance) (rate(redis_evicted_keys_total{job="orders-cache-exporter"}[5m])) > 0', "5m", "warning", "orders-cache"],
      [
        'max by (job, instance) (redis_memory_used_bytes{job="orders-cache-exporter"}) / max by (job, instance) (redis_memory_max_bytes{job="orders-cache-exporter"} > 0) > 0.9',
        "5m",
        "warning",
        "orders-cache",
      ],
      ['sum by (job, instance) (increase(redis_rejected_connections_total{job="orders-cache-exporter"}[5m])) > 0', undefined, "critical", "orders-cache"],
      [
        'max by (job, instance) (redis_connected_clients{job="orders-cache-exporter"}) / max by (job, instance) (redis_config_maxclients{job="orders-cache-exporter"} > 0) > 0.9',
        "5m",
        "warning",
        "orders-cache",
      ],
    ]);
  });

  it("takes its thresholds from the dependency's failureModes", () => {
    const custom = parseServiceSpec({
      ...input,
      dependencies: [
        {
          kind: "redis",
          name: "orders-cache",
          upMetric: "redis_up",
          job: "orders-cache-exporter",
          failureModes: { evictions: { maxPerSecond: 50 }, memory: { maxUsedRatio: 0.8, for: "15m" } },
        },
      ],
      postgresPools: [],
    });
    expect(alert("RedisEvictions", custom).expr).toMatch(/ > 50$/);
    expect([alert("RedisMemoryNearLimit", custom).expr.endsWith("> 0.8"), alert("RedisMemoryNearLimit", custom).for]).toEqual([true, "15m"]);
    expect(alert("RedisTooManyClients", custom).expr).toMatch(/ > 0\.9$/);
  });
});

describe("when failure modes apply", () => {
  /** Alerts of the `<service>.dependencies` group. */
  const names = (spec: ReturnType<typeof parseServiceSpec>) =>
    buildServiceRuleGroups(spec, CTX)
      .filter((g) => g.name.endsWith(".dependencies"))
      .flatMap((g) => g.rules.filter(isAlertingRule).map((r) => r.alert));

  it("applies them by default only to dependencies read through the exporter (redis_up, pg_up)", () => {
    const pinged = parseServiceSpec({
      name: "divan-api",
      team: "social",
      namespace: "divan",
      red: { enabled: false },
      dependencies: [
        { kind: "redis", name: "divan-redis", upMetric: "divan_redis_up" },
        { kind: "postgres", name: "divan-postgres", upMetric: "divan_postgres_up" },
      ],
    });
    expect(names(pinged)).toEqual(["RedisDown", "PostgresDown"]);
  });

  it("turns them off with failureModes: false, and on with an object whatever the up metric", () => {
    const off = parseServiceSpec({ ...input, dependencies: input.dependencies!.map((d) => ({ ...d, failureModes: false })), postgresPools: [] });
    expect(names(off)).toEqual(["RedisDown", "PostgresDown"]);
    const on = parseServiceSpec({
      name: "x",
      team: "core",
      namespace: "x",
      dependencies: [{ kind: "redis", name: "r", upMetric: "up", job: "r", failureModes: {} }],
    });
    expect(names(on)).toEqual(expect.arrayContaining(["RedisEvictions", "RedisMemoryNearLimit", "RedisRejectedConnections", "RedisTooManyClients"]));
  });

  it("rejects bad thresholds, every problem at once, naming the path, the value and the dependency", () => {
    const problems = specProblems({
      ...input,
      dependencies: [
        { kind: "postgres", name: "orders-db", upMetric: "pg_up", failureModes: { locks: { modes: ["AccessExclusiveLock"] }, bloat: { maxRatio: 1.5 } } },
        { kind: "redis", name: "orders-cache", upMetric: "redis_up", failureModes: { memory: { maxUsedRatio: 0 }, evictons: {} } },
      ],
    });
    const text = problems.join("\n");
    expect(text).toMatch(/dependencies\[0\]\.failureModes\.locks\.modes\[0\].*lower-case lock mode.*"AccessExclusiveLock"/);
    expect(text).toMatch(/dependencies\[0\]\.failureModes\.bloat\.maxRatio.*\(0, 1\).*1\.5/);
    expect(text).toMatch(/dependencies\[1\]\.failureModes\.memory\.maxUsedRatio.*\(0, 1\)/);
    expect(text).toMatch(/dependencies\[1\]\.failureModes.*evictons/);
    expect(text).toMatch(/orders-cache/);
  });
});

describe("MigrationFailed", () => {
  it("pages while the declared gauge is above 0", () => {
    expect(summary(alert("MigrationFailed"))).toEqual(['max by (job) (db_migration_failed{job="orders"}) > 0', undefined, "critical", undefined]);
  });

  it("pages when a declared counter of failed runs rose in its window, on its own job", () => {
    const counter = parseServiceSpec({ ...input, migrations: { failedMetric: "migrate_failures_total", type: "counter", job: "orders-migrate" } });
    const group = buildServiceRuleGroups(counter, CTX).find((g) => g.name === "orders.migrations")!;
    // Alerts read raw series over 5m at most: the window is read over the recorded 5m increase.
    expect(group.rules[0]).toEqual({
      record: "service_migration:failures:increase5m",
      expr: 'sum by (job) (increase(migrate_failures_total{job="orders-migrate"}[5m]))',
      labels: { service: "orders" },
    });
    expect(alert("MigrationFailed", counter).expr).toBe('max by (job) (max_over_time(service_migration:failures:increase5m{service="orders"}[1h])) > 0');
  });

  it("fires the counter's case under the real promtool", () => {
    const counter = parseServiceSpec({ ...input, migrations: { failedMetric: "migrate_failures_total", type: "counter", job: "orders-migrate" } });
    const tree = writeRuleTree(buildRuleFiles([counter], CTX), buildPromtoolTestFiles([counter], CTX));
    try {
      const run = promtool(["test", "rules", "tests/orders.yaml"], tree.dir);
      expect(run.output).toContain("SUCCESS");
      expect(run.ok).toBe(true);
    } finally {
      tree.remove();
    }
  });

  it("declares the alert names the contract lists, each with a runbook", () => {
    for (const name of [
      "PostgresConnectionsNearLimit",
      "PostgresLockWaits",
      "PostgresDeadlocks",
      "PostgresLongRunningTransaction",
      "PostgresTableBloat",
      "PostgresReplicationLag",
      "PostgresHighRollbackRatio",
      "RedisEvictions",
      "RedisMemoryNearLimit",
      "RedisRejectedConnections",
      "RedisTooManyClients",
      "MigrationFailed",
    ]) {
      expect(ALL_ALERT_NAMES).toContain(name);
    }
    expect(ALL_ALERT_NAMES).not.toContain("PostgresTooManyConnections");
  });
});

describe("promtool cases (real promtool)", () => {
  it("fire every new alert just after its `for`, and the healthy series fire nothing", () => {
    const testFiles = buildPromtoolTestFiles([service], CTX);
    const tests = testFiles.find((f) => f.fileName === "orders.yaml")!.tests;
    const fired = new Set(tests.flatMap((t) => (t.alert_rule_test ?? []).filter((a) => a.exp_alerts.length > 0).map((a) => a.alertname)));
    for (const name of alerts().map((r) => r.alert)) expect([name, fired.has(name)]).toEqual([name, true]);
    const tree = writeRuleTree(buildRuleFiles([service], CTX), testFiles);
    try {
      const run = promtool(["test", "rules", "tests/orders.yaml"], tree.dir);
      expect(run.output).toContain("SUCCESS");
      expect(run.ok).toBe(true);
    } finally {
      tree.remove();
    }
  });

  it("keeps RedisMemoryNearLimit quiet on a Redis without maxmemory (max 0); the case above fires it with one", () => {
    const rule = alert("RedisMemoryNearLimit");
    const cache = service.dependencies.find((d) => d.name === "orders-cache") as never;
    const eval10 = (alerts: ExpectedAlert[]) => [{ eval_time: "10m", alertname: rule.alert, exp_alerts: alerts }];
    const tree = writeRuleTree(buildRuleFiles([service], CTX), [
      {
        fileName: "guard.yaml",
        rule_files: ["../orders.yaml"],
        evaluation_interval: "1m",
        tests: [
          // 5 GB used and maxmemory unset: 5e9 / 0 would be +Inf without the guard.
          { name: "maxmemory 0", interval: "1m", input_series: redisUnlimitedMemorySeries(cache, 5e9, 20), alert_rule_test: eval10([]) },
        ],
      },
    ]);
    try {
      const run = promtool(["test", "rules", "tests/guard.yaml"], tree.dir);
      expect(run.output).toContain("SUCCESS");
      expect(run.ok).toBe(true);
    } finally {
      tree.remove();
    }
  });
});

describe("dashboard rows", () => {
  const dashboard = () =>
    buildDashboards([service], { runbookBaseUrl: CTX.runbookBaseUrl, namespace: "observability" }).find((d) => d.uid === "obs-service-orders")!;
  type Panel = {
    title: string;
    targets?: { expr: string }[];
    links?: { url: string }[];
    fieldConfig?: { defaults: { thresholds?: { steps: { value: number | null }[] } } };
  };
  const panels = () => dashboard().model.panels as Panel[];
  const panel = (title: string) => panels().find((p) => p.title === title)!;
  const steps = (title: string) => panel(title).fieldConfig!.defaults.thresholds!.steps.map((s) => s.value);

  it("puts the failure-mode panels in the dependency's row, each threshold drawn and its runbook linked", () => {
    const titles = panels().map((p) => p.title);
    const row = (name: string) => titles.indexOf(name);
    expect(row("Postgres orders-db (used by orders)")).toBeLessThan(row("Blocking locks held"));
    expect(row("Redis orders-cache (used by orders)")).toBeLessThan(row("Memory used / maxmemory"));
    expect(steps("Blocking locks held")).toEqual([null, 1]);
    expect(steps("Deadlocks")).toEqual([null, 1]);
    expect(steps("Longest transaction")).toEqual([null, 600]);
    expect(steps("Table bloat (dead tuples)")).toEqual([null, 0.3]);
    expect(steps("Rollback ratio")).toEqual([null, 0.1]);
    expect(steps("Replication lag")).toEqual([null, 3600]);
    expect(steps("Memory used / maxmemory")).toEqual([null, 0.9]);
    expect(steps("Clients / maxclients")).toEqual([null, 0.9]);
    expect(steps("Failed migrations")).toEqual([null, 1]);
    expect(panel("Table bloat (dead tuples)").links!.map((l) => l.url)).toEqual(["https://runbooks.example.com/observability/PostgresTableBloat.md"]);
    expect(panel("Keyspace hit ratio").links ?? []).toEqual([]);
    for (const title of ["Ops/s", "Evictions/s", "Keyspace hit ratio", "Rejected connections", "Connections by database"]) expect(titles).toContain(title);
  });

  it("reads the exporters' metric names, in queries the PromQL grammar parses", () => {
    // The service's log panels are LogQL, parsed by the catalog's dashboard test.
    const exprs = panels()
      .flatMap((p) => (p.targets ?? []).map((t) => t.expr))
      .filter((e) => !e.startsWith("{"));
    for (const expr of exprs) expect({ expr, error: promqlSyntaxError(expr.replaceAll("$__rate_interval", "5m")) }).toEqual({ expr, error: undefined });
    const all = exprs.join("\n");
    for (const metric of [
      "pg_locks_count",
      "pg_stat_database_deadlocks",
      "pg_table_bloat_ratio",
      "redis_keyspace_hits_total",
      "redis_commands_processed_total",
    ]) {
      expect(all).toContain(`${metric}{job=`);
    }
  });
});

describe("inhibition while the dependency is down (real Alertmanager, prod config)", () => {
  const dir = tempDir("failure-modes-inhibition-");
  let am: LocalAlertmanager;
  const labels = (alertname: string, svc: string, severity: string, dependency?: string) => ({
    alertname,
    service: svc,
    team: "core",
    severity,
    ...(dependency ? { dependency } : {}),
  });
  const ALERTS = {
    redisDown: labels("RedisDown", "orders", "critical", "orders-cache"),
    evictions: labels("RedisEvictions", "orders", "warning", "orders-cache"),
    deadlocks: labels("PostgresDeadlocks", "orders", "warning", "orders-db"),
    otherDeadlocks: labels("PostgresDeadlocks", "billing", "warning", "billing-db"),
  };
  let found: Record<keyof typeof ALERTS, ApiAlert>;

  beforeAll(async () => {
    const config = buildAlertmanagerConfig(
      alertingOf("prod"),
      [
        { name: "orders", team: "core", dependencies: ["orders-cache", "orders-db"] },
        { name: "billing", team: "core", dependencies: ["billing-db"] },
      ],
      { secretsDir: `${dir.path}/secrets` },
    );
    am = await LocalAlertmanager.start(dir.write("alertmanager.yaml", renderAlertmanagerYaml(config)), `${dir.path}/data`);
    await am.post(Object.values(ALERTS));
    const same = (a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>) =>
      Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);
    await am.until(async () => {
      const listed = await am.alerts();
      const byKey = Object.fromEntries(Object.entries(ALERTS).map(([k, l]) => [k, listed.find((a) => same(a.labels, l))]));
      if (Object.values(byKey).some((a) => a === undefined || a.status.state === "unprocessed")) return false;
      found = byKey as Record<keyof typeof ALERTS, ApiAlert>;
      return found.evictions.status.state === "suppressed";
    }, "RedisEvictions muted by RedisDown");
  }, 60_000);

  afterAll(async () => {
    await am?.stop();
    dir.remove();
  });

  it("mutes the dependency's failure-mode alerts and the service's others while it is down, not other services'", () => {
    expect(found.evictions.status.inhibitedBy).toEqual([found.redisDown.fingerprint]);
    expect(found.deadlocks.status.state).toBe("suppressed");
    expect(found.otherDeadlocks.status.state).toBe("active");
    expect(found.redisDown.status.state).toBe("active");
  });
});

describe("demo simulation behind the shared exporters", () => {
  it("exports every series the failure modes read, healthy, and follows the redisMemoryUsed, postgresDeadlocks and migrationFailed faults", async () => {
    const fleet = await startDemoFleet([service], { stepMs: 20 });
    try {
      const scrape = async (job: string) => {
        const target = fleet.targets.find((t) => t.job === job)!;
        return (await fetch(`http://${target.address}${target.metricsPath}`)).text();
      };
      const value = (text: string, series: RegExp) => Number(new RegExp(`^${series.source} (\\S+)$`, "m").exec(text)?.[1]);
      const redis = await scrape("orders-cache-exporter");
      const postgres = await scrape("orders-db-exporter");
      for (const metric of [
        "redis_memory_used_bytes",
        "redis_memory_max_bytes",
        "redis_evicted_keys_total",
        "redis_rejected_connections_total",
        "redis_config_maxclients",
      ]) {
        expect(redis).toMatch(new RegExp(`^${metric}(\\{[^}]*\\})? \\d`, "m"));
      }
      for (const metric of [
        "pg_locks_count",
        "pg_stat_database_deadlocks",
        "pg_stat_activity_max_tx_duration",
        "pg_table_bloat_ratio",
        "pg_stat_database_xact_rollback",
      ]) {
        expect(postgres).toMatch(new RegExp(`^${metric}\\{[^}]*datname="app"`, "m"));
      }
      expect(value(redis, /redis_memory_used_bytes/) / value(redis, /redis_memory_max_bytes/)).toBeCloseTo(0.5);
      const deadlocksBefore = value(postgres, /pg_stat_database_deadlocks\{datname="app"\}/);

      fleet.service("orders").injectFaults({ redisMemoryUsed: 1, postgresDeadlocks: true, migrationFailed: true });
      const evictedBefore = value(await scrape("orders-cache-exporter"), /redis_evicted_keys_total/);
      const full = await scrape("orders-cache-exporter");
      expect(value(full, /redis_memory_used_bytes/)).toBe(value(full, /redis_memory_max_bytes/));
      expect(value(full, /redis_evicted_keys_total/)).toBeGreaterThan(evictedBefore);
      await scrape("orders-db-exporter");
      expect(value(await scrape("orders-db-exporter"), /pg_stat_database_deadlocks\{datname="app"\}/)).toBeGreaterThan(deadlocksBefore);
      await new Promise((r) => setTimeout(r, 100));
      expect(value(await scrape("orders"), /db_migration_failed/)).toBe(1);
    } finally {
      await fleet.stop();
    }
  });

  it("offers the faults as preview examples", () => {
    const examples = SIGNAL_KINDS.flatMap((k) => k.faultExamples(service));
    expect(examples.map((e) => Object.keys(e.patch)[0])).toEqual(expect.arrayContaining(["redisMemoryUsed", "postgresDeadlocks", "migrationFailed"]));
  });
});

describe("bench series", () => {
  it("are healthy: none of the failure-mode alerts fires on them (real promtool)", () => {
    const series = SIGNAL_KINDS.flatMap((k) => k.syntheticSeries(service)).map((s) => ({
      series: s.id,
      values: s.kind === "counter" ? steadyCounter(s.value * 60, 30) : gaugeValues([[0, s.value]], 30),
    }));
    const ids = series.map((s) => s.series).join("\n");
    for (const metric of ["pg_locks_count", "pg_table_bloat_ratio", "redis_memory_max_bytes", "redis_config_maxclients", "db_migration_failed"])
      expect(ids).toContain(metric);
    const names = alerts()
      .map((r) => r.alert)
      .filter((n) => /^(Postgres(?!Down|HighLatency)|Redis(?!Down|HighLatency)|Migration)/.test(n));
    expect(names.length).toBeGreaterThan(10);
    const tree = writeRuleTree(buildRuleFiles([service], CTX), [
      {
        fileName: "bench.yaml",
        rule_files: ["../orders.yaml"],
        evaluation_interval: "1m",
        tests: [
          {
            name: "bench series",
            interval: "1m",
            input_series: series,
            alert_rule_test: [...new Set(names)].map((alertname) => ({ eval_time: "25m", alertname, exp_alerts: [] })),
          },
        ],
      },
    ]);
    try {
      const run = promtool(["test", "rules", "tests/bench.yaml"], tree.dir);
      expect(run.output).toContain("SUCCESS");
      expect(run.ok).toBe(true);
    } finally {
      tree.remove();
    }
  });
});
