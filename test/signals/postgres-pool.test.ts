/**
 * The postgres-pool kind on a small local fixture: its recorded ratio and alerts by severity, the
 * spec checks, its promtool cases run by the real promtool, its dashboard row and its demo
 * simulation behind a shared exporter.
 */
import { startDemoFleet } from "../../demo-service";
import { buildDashboards } from "../../dashboards";
import { isAlertingRule, isRecordingRule } from "../../kit/rule-types";
import { buildPromtoolTestFiles, buildRuleFiles, buildServiceRuleGroups } from "../../rules";
import { parseServiceSpec, type ServiceSpecInput } from "../../signals/service-spec";
import { specProblems } from "../support/spec-problems";
import { CTX } from "../support/context";
import { promtool, writeRuleTree } from "../support/promtool";

const input: ServiceSpecInput = {
  name: "orders",
  team: "core",
  namespace: "shop",
  red: { enabled: false },
  dependencies: [{ kind: "postgres", name: "orders-db", upMetric: "pg_up", job: "orders-db-exporter", labels: { instance: "pg-0:9187" } }],
  postgresPools: [{ dependency: "orders-db" }],
};
const service = parseServiceSpec(input);
const group = () => buildServiceRuleGroups(service, CTX).find((g) => g.name === "orders.dependencies")!;

const problems = specProblems;

describe("postgres-pool rules", () => {
  it("records the share of max_connections in use per server, selected like its dependency", () => {
    expect(group().rules.filter(isRecordingRule)).toEqual([
      {
        record: "service_dependency:postgres_connections_used:ratio",
        expr: '(sum by (instance) (pg_stat_activity_count{job="orders-db-exporter",instance="pg-0:9187"})) / clamp_min(max by (instance) (pg_settings_max_connections{job="orders-db-exporter",instance="pg-0:9187"}), 1e-12)',
        labels: { dependency: "orders-db", service: "orders" },
      },
    ]);
  });

  it("warns at 80% for 10m (postgres_mixin) and pages at 95% for 2m by default, labelled with the dependency", () => {
    const alerts = group()
      .rules.filter(isAlertingRule)
      .filter((r) => r.alert === "PostgresConnectionsNearLimit");
    expect(alerts.map((a) => [a.labels.severity, a.for, a.expr, a.labels.dependency])).toEqual([
      ["warning", "10m", 'service_dependency:postgres_connections_used:ratio{service="orders",dependency="orders-db"} > 0.8', "orders-db"],
      ["critical", "2m", 'service_dependency:postgres_connections_used:ratio{service="orders",dependency="orders-db"} > 0.95', "orders-db"],
    ]);
    expect(alerts[1]!.annotations.runbook_url).toBe("https://runbooks.example.com/observability/PostgresConnectionsNearLimit.md");
  });

  it("takes thresholds by severity from the spec", () => {
    const custom = parseServiceSpec({ ...input, postgresPools: [{ dependency: "orders-db", thresholds: { critical: { maxUsedRatio: 0.9, for: "1m" } } }] });
    const alerts = buildServiceRuleGroups(custom, CTX)
      .flatMap((g) => g.rules.filter(isAlertingRule))
      .filter((r) => r.alert === "PostgresConnectionsNearLimit");
    expect(alerts.map((a) => [a.labels.severity, a.for, a.expr.endsWith("> 0.9")])).toEqual([["critical", "1m", true]]);
  });
});

describe("postgres-pool spec", () => {
  it("fails when a pool names no postgres dependency of the service, or one twice", () => {
    const spec = { ...input, postgresPools: [{ dependency: "orders-db" }, { dependency: "orders-db" }, { dependency: "cache" }] };
    expect(problems(spec)).toEqual([
      'postgresPools[1].dependency must be unique among the service\'s postgres pools, got "orders-db" (service "orders")',
      'postgresPools[2].dependency must name a postgres dependency of the service (orders-db), got "cache" (service "orders")',
    ]);
  });

  it("fails when a threshold is not a ratio", () => {
    expect(problems({ ...input, postgresPools: [{ dependency: "orders-db", thresholds: { warning: { maxUsedRatio: 80 } } }] })).toEqual([
      'postgresPools[0].thresholds.warning.maxUsedRatio must be in (0, 1), got 80 (service "orders")',
    ]);
  });
});

describe("postgres-pool promtool cases", () => {
  it("fire each severity just after its `for` and stay quiet when healthy (real promtool)", () => {
    const tree = writeRuleTree(buildRuleFiles([service], CTX), buildPromtoolTestFiles([service], CTX));
    try {
      const run = promtool(["test", "rules", "tests/orders.yaml"], tree.dir);
      expect(run.output).toContain("SUCCESS");
      expect(run.ok).toBe(true);
    } finally {
      tree.remove();
    }
    const tests = buildPromtoolTestFiles([service], CTX).find((f) => f.fileName === "orders.yaml")!.tests;
    const critical = tests.find((t) => t.name.startsWith("PostgresConnectionsNearLimit orders-db (critical)"))!;
    // The page (for 2m) fires before the warning (for 10m) of the same saturation: one minute before, none.
    expect(critical.alert_rule_test!.map((t) => [t.eval_time, t.exp_alerts.map((a) => a.exp_labels.severity)])).toEqual([
      ["1m", []],
      ["2m", ["critical"]],
    ]);
  });
});

describe("postgres-pool dashboard row", () => {
  it("charts the recorded share against the thresholds, with the runbook", () => {
    const dashboard = buildDashboards([service], { runbookBaseUrl: CTX.runbookBaseUrl, namespace: "observability" }).find(
      (d) => d.uid === "obs-service-orders",
    )!;
    const panels = dashboard.model.panels as {
      title: string;
      targets?: { expr: string }[];
      links?: { url: string }[];
      fieldConfig?: { defaults: { thresholds?: { steps: { value: number | null }[] } } };
    }[];
    const share = panels.find((p) => p.title === "Share of max_connections in use")!;
    expect(share.targets!.map((t) => t.expr)).toEqual(['service_dependency:postgres_connections_used:ratio{service="orders",dependency="orders-db"}']);
    expect(share.fieldConfig!.defaults.thresholds!.steps.map((s) => s.value)).toEqual([null, 0.8, 0.95]);
    expect(share.links!.map((l) => l.url)).toEqual(["https://runbooks.example.com/observability/PostgresConnectionsNearLimit.md"]);
    expect(panels.map((p) => p.title)).toContain("Postgres orders-db connections (used by orders)");
  });
});

describe("postgres-pool demo simulation", () => {
  it("exports the exporter's connection series and follows the postgresConnectionsUsed fault", async () => {
    const fleet = await startDemoFleet([service], { stepMs: 20 });
    try {
      const exporter = fleet.targets.find((t) => t.job === "orders-db-exporter")!;
      const scrape = async () => (await fetch(`http://${exporter.address}${exporter.metricsPath}`)).text();
      const used = (text: string) =>
        [...text.matchAll(/^pg_stat_activity_count\{[^}]*\} (\d+)$/gm)].reduce((sum, m) => sum + Number(m[1]), 0) /
        Number(/^pg_settings_max_connections\{[^}]*\} (\d+)$/m.exec(text)![1]);
      expect(used(await scrape())).toBeCloseTo(0.2);
      fleet.service("orders").injectFaults({ postgresConnectionsUsed: 0.97 });
      const text = await scrape();
      expect(used(text)).toBeCloseTo(0.97);
      expect(text).toMatch(/^pg_stat_activity_count\{instance="pg-0:9187",datname="app",state="idle"\} \d+$/m);
    } finally {
      await fleet.stop();
    }
  });
});
