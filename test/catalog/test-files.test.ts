/** The promtool test files of the real catalog: one per rule file, a firing and a quiet case per alert. */
import { isAlertingRule } from "../../kit/rule-types";
import { buildPromtoolTestFiles, buildRuleFiles } from "../../rules";
import { isProvenApart } from "../../rules/promtool-test-files";
import { serviceCatalog } from "../../services";
import { SIGNAL_KINDS } from "../../signals";
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
      // SLO cases read the ALERTS series of their own SLO (signals/slo/promtool.ts).
      const exprChecks = tests.flatMap((t) => t.promql_expr_test ?? []);
      const labelText = (labels: Readonly<Record<string, string>>) => Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
      // Alerts a kind proves apart (a deadline's burn alerts, at a 5m step on its own rules).
      const apart = serviceCatalog().flatMap((svc) => SIGNAL_KINDS.flatMap((kind) => kind.provenApart(svc)));
      for (const rule of ruleFile.groups.flatMap((g) => g.rules.filter(isAlertingRule)).filter((r) => !isProvenApart(r, apart))) {
        const wanted = labelText({ alertname: rule.alert, alertstate: "firing", ...rule.labels });
        const fires =
          checks.some((c) => c.alertname === rule.alert && c.exp_alerts.some((a) => Object.entries(rule.labels).every(([k, v]) => a.exp_labels[k] === v))) ||
          exprChecks.some((c) => c.exp_samples.some((sample) => sample.labels.startsWith("ALERTS{") && wanted.every((l) => sample.labels.includes(l))));
        expect([rule.alert, rule.labels, fires]).toEqual([rule.alert, rule.labels, true]);
        if (rule.alert === "Watchdog") continue; // must always fire
        const quiet =
          checks.some((c) => c.alertname === rule.alert && c.exp_alerts.length === 0) ||
          exprChecks.some((c) => c.expr.startsWith("ALERTS{") && c.exp_samples.length === 0 && wanted.every((l) => c.expr.includes(l.replace(", ", ","))));
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
      "edge/login-availability: a full outage after 65m of healthy traffic (1h window full, longer ones partly) fires critical within 3m (14.4x over 1h: 0.0144 x 1h + 2m slack) and warning within 8m; critical resolves within 32m of recovery",
      "edge/login-availability: a steady burn at exactly the budget (1x, error ratio 0.001) never pages in 95m",
    ]);
  });
});
