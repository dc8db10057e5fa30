import { buildServiceRuleGroups } from "../../rules";
import { isAlertingRule } from "../../kit/rule-types";
import { parseServiceSpec } from "../../signals/service-spec";
import { alertCaseGroup, expandAnnotation } from "../../kit/promtool/alert-case";
import { counterValues, gaugeValues, mergeSeries } from "../../kit/promtool/series";
import { assertCovered } from "../../rules/promtool-test-files";
import { type AlertingRule } from "../../kit/rule-types";
import { CTX } from "../support/context";

describe("fixture series", () => {
  it("writes piecewise counters and stepped gauges in expanding notation", () => {
    expect(
      counterValues([
        { perMinute: 10, minutes: 3 },
        { perMinute: 20, minutes: 2 },
      ]),
    ).toBe("0+10x3 50+20x1");
    expect(
      gaugeValues(
        [
          [0, 100],
          [10, 20],
        ],
        30,
      ),
    ).toBe("100+0x9 20+0x20");
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
  const service = parseServiceSpec({
    name: "core-api",
    team: "core",
    namespace: "core",
    dependencies: [{ kind: "redis", name: "core-redis", upMetric: "redis_up" }],
  });
  const down = buildServiceRuleGroups(service, CTX)
    .find((g) => g.name.endsWith(".dependencies"))!
    .rules.find(isAlertingRule)!;

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

describe("coverage", () => {
  it("fails when an alerting rule has no firing fixture", () => {
    const service = parseServiceSpec({ name: "x", team: "core", namespace: "x", dependencies: [{ kind: "redis", name: "r", upMetric: "redis_up" }] });
    const orphan = buildServiceRuleGroups(service, CTX).find((g) => g.name.endsWith(".dependencies"))!.rules[0] as AlertingRule;
    expect(() => assertCovered(service, [orphan], [])).toThrow(/every alert needs a firing fixture; service "x" has none for RedisDown/);
  });
});
