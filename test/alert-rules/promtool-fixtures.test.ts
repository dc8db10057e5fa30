import { buildPromtoolTestFiles, buildRuleFiles, isAlertingRule, parseServiceSpec } from "../../rules";
import { alertCaseGroup, expandAnnotation } from "../../kit/promtool/alert-case";
import { counterValues, gaugeValues, mergeSeries } from "../../kit/promtool/series";
import { assertCovered } from "../../rules/promtool-test-files";
import type { AlertingRule } from "../../rules";
import { dependencyRuleGroups } from "../../signals/dependency/rules";
import { SERVICE_CATALOG } from "../../services";
import { CTX } from "./context";

describe("fixture series", () => {
  it("writes piecewise counters and stepped gauges in expanding notation", () => {
    expect(counterValues([{ perMinute: 10, minutes: 3 }, { perMinute: 20, minutes: 2 }])).toBe("0+10x3 50+20x1");
    expect(gaugeValues([[0, 100], [10, 20]], 30)).toBe("100+0x9 20+0x20");
  });

  it("fails when one series is given twice with different values", () => {
    expect(() => mergeSeries([{ series: "up", values: "1+0x5" }], [{ series: "up", values: "0+0x5" }])).toThrow(
      /fixture series up is given twice with different values: "1\+0x5" and "0\+0x5"/,
    );
  });
});

describe("annotation expansion", () => {
  it("renders {{ $labels.x }} from the expression's labels", () => {
    expect(expandAnnotation("queue {{ $labels.queue }} is late", { queue: "q_import" }, "X")).toBe("queue q_import is late");
  });

  it("fails when a template names a label the expression does not yield", () => {
    expect(() => expandAnnotation("{{ $labels.service }} is down", { job: "a" }, "RedisDown (critical)")).toThrow(
      /annotation of RedisDown \(critical\) uses \{\{ \$labels.service \}\}, which its expression does not yield \(it yields: job\)/,
    );
  });
});

describe("alert cases", () => {
  const service = parseServiceSpec({ name: "core-api", team: "core", namespace: "core", dependencies: { redis: [{ name: "core-redis", upMetric: "redis_up" }] } });
  const down = dependencyRuleGroups(service, CTX)[0]!.rules.find(isAlertingRule)!;

  it("evaluates just before and just after the rule's `for`, with complete labels and annotations", () => {
    const group = alertCaseGroup({ name: "RedisDown", target: { rule: down, exprLabels: { job: "core-api" }, activeAtMinute: 0 }, series: [] });
    expect(group.alert_rule_test).toEqual([
      { eval_time: "1m", alertname: "RedisDown", exp_alerts: [] },
      {
        eval_time: "2m",
        alertname: "RedisDown",
        exp_alerts: [
          {
            exp_labels: { dependency: "core-redis", job: "core-api", service: "core-api", severity: "critical", team: "core" },
            exp_annotations: {
              summary: "Redis core-redis of core-api is down",
              description:
                "redis_up of job core-api has been 0 for 2m: core-api cannot reach Redis core-redis. Alerts of the services that depend on it are inhibited meanwhile.",
              runbook_url: "https://runbooks.example.com/observability/RedisDown.md",
            },
          },
        ],
      },
    ]);
  });
});

describe("test files of the catalog", () => {
  const ruleFiles = buildRuleFiles(SERVICE_CATALOG, CTX);
  const testFiles = buildPromtoolTestFiles(SERVICE_CATALOG, CTX);

  it("mirror the rule files", () => {
    expect(testFiles.map((f) => [f.fileName, f.rule_files, f.evaluation_interval])).toEqual(
      ruleFiles.map((f) => [f.fileName, [`../${f.fileName}`], "1m"]),
    );
  });

  it("have, for every alerting rule, a case where it fires and a healthy case where it does not", () => {
    for (const ruleFile of ruleFiles) {
      const tests = testFiles.find((f) => f.fileName === ruleFile.fileName)!.tests;
      const checks = tests.flatMap((t) => t.alert_rule_test ?? []);
      for (const rule of ruleFile.groups.flatMap((g) => g.rules.filter(isAlertingRule))) {
        const fires = checks.some(
          (c) => c.alertname === rule.alert && c.exp_alerts.some((a) => Object.entries(rule.labels).every(([k, v]) => a.exp_labels[k] === v)),
        );
        expect([rule.alert, rule.labels, fires]).toEqual([rule.alert, rule.labels, true]);
        if (rule.alert === "Watchdog") continue; // must always fire
        const quiet = checks.some((c) => c.alertname === rule.alert && c.exp_alerts.length === 0);
        expect([rule.alert, quiet]).toEqual([rule.alert, true]);
      }
    }
  });

  it("state the SLO bounds they check in the group names", () => {
    const names = testFiles.find((f) => f.fileName === "edge.yaml")!.tests.map((t) => t.name).filter((n) => n.startsWith("edge/login-availability: "));
    expect(names).toEqual([
      "edge/login-availability: SLIMetricAbsent fires 10m after the SLI metric is gone",
      "edge/login-availability: a full outage fires critical within 8m, warning within 12m (14.4x over 1h: 0.0144 x 1h + 7m slack; 6x over 6h: 0.006 x 6h + 7m slack; 3x over 1d: 0.003 x 1d + 7m slack; 1x over 3d: 0.001 x 3d + 7m slack)",
      "edge/login-availability: the page resolves within 37m of recovery (longest page short window 30m + 7m slack)",
      "edge/login-availability: a steady burn at exactly the budget (1x, error ratio 0.001) never pages in 425m",
    ]);
  });

  it("fails when an alerting rule has no firing fixture", () => {
    const service = parseServiceSpec({ name: "x", team: "core", namespace: "x", dependencies: { redis: [{ name: "r", upMetric: "redis_up" }] } });
    const orphan = dependencyRuleGroups(service, CTX)[0]!.rules[0] as AlertingRule;
    expect(() => assertCovered(service, [orphan], [])).toThrow(/every alert needs a firing fixture; service "x" has none for RedisDown/);
  });
});
