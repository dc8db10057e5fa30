/** The promtool test files of the real catalog: one per rule file, a firing and a quiet case per alert. */
import { isAlertingRule } from "../../kit/rule-types";
import { buildPromtoolTestFiles, buildRuleFiles } from "../../rules";
import { serviceCatalog } from "../../services";
import { CTX } from "../support/context";

describe("test files of the catalog", () => {
  const ruleFiles = buildRuleFiles(serviceCatalog(), CTX);
  const testFiles = buildPromtoolTestFiles(serviceCatalog(), CTX);

  it("mirror the rule files", () => {
    expect(testFiles.map((f) => [f.fileName, f.rule_files, f.evaluation_interval])).toEqual(ruleFiles.map((f) => [f.fileName, [`../${f.fileName}`], "1m"]));
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
    const names = testFiles
      .find((f) => f.fileName === "edge.yaml")!
      .tests.map((t) => t.name)
      .filter((n) => n.startsWith("edge/login-availability: "));
    expect(names).toEqual([
      "edge/login-availability: SLIMetricAbsent fires 10m after the SLI metric is gone",
      "edge/login-availability: a full outage fires critical within 3m, warning within 7m (14.4x over 1h: 0.0144 x 1h + 2m slack; 6x over 6h: 0.006 x 6h + 2m slack; 3x over 1d: 0.003 x 1d + 2m slack; 1x over 3d: 0.001 x 3d + 2m slack)",
      "edge/login-availability: the page resolves within 32m of recovery (longest page short window 30m + 2m slack)",
      "edge/login-availability: a steady burn at exactly the budget (1x, error ratio 0.001) never pages in 425m",
    ]);
  });
});
