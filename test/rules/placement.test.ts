import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { buildEnvironmentArtifacts } from "../../artifacts/environment-artifacts";
import { generatedFiles } from "../../artifacts/generated-files";
import { timingProblems } from "../../artifacts/timing-problems";
import { loadProfiles, type EnvironmentProfile } from "../../environments";
import { renderYaml } from "../../kit/render-yaml";
import type { RuleGroup } from "../../kit/rule-types";
import type { Duration } from "../../model/duration";
import { groupLookbackSeconds, placeRuleFiles, ruleGroupEvaluator } from "../../rules/placement";
import { promtool } from "../support/promtool";
import { ledger } from "../signals/slo-kinds-fixture";

const profiles = new Map(loadProfiles().map((p) => [p.name, p]));
const profileOf = (name: string): EnvironmentProfile => profiles.get(name)!;
const withPrometheusRetention = (profile: EnvironmentProfile, retention: Duration): EnvironmentProfile => ({
  ...profile,
  prometheus: { ...profile.prometheus, retention },
});

const budget = (name: string, period: Duration): RuleGroup => ({
  name,
  interval: "5m",
  rules: [{ record: "slo:error_budget:remaining_ratio", expr: `1 - sum_over_time(slo:sli_error:ratio_rate1h{service="s"}[${period}:1h]) / 0.001` }],
});

describe("rule group placement", () => {
  const prod = withPrometheusRetention(profileOf("prod"), "30d");

  it("measures a group by the furthest back any of its rules reads, subquery and offset included", () => {
    const group: RuleGroup = {
      name: "g",
      rules: [
        { record: "a", expr: "x" },
        { record: "b", expr: "sum_over_time(y[1h] offset 2d)" },
        { record: "c", expr: "max_over_time(z[1d:5m])" },
      ],
    };
    expect(groupLookbackSeconds(group)).toBe(2 * 86400 + 3600);
    expect(groupLookbackSeconds({ name: "empty", rules: [] })).toBe(0);
  });

  it("sends a recording-only group reading beyond Prometheus' retention to Mimir's ruler where there is Mimir", () => {
    expect(ruleGroupEvaluator(budget("s.slo.a.budget", "90d"), prod)).toBe("mimir-ruler");
    // Exactly the retention still fits Prometheus.
    expect(ruleGroupEvaluator(budget("s.slo.b.budget", "29d"), prod)).toBe("prometheus");
    expect(ruleGroupEvaluator(budget("s.slo.b.budget", "30d"), withPrometheusRetention(prod, "31d"))).toBe("prometheus");
  });

  it("keeps a group with an alert on Prometheus whatever it reads, and everything on Prometheus without Mimir", () => {
    const alerting: RuleGroup = { name: "q", rules: [{ alert: "Q", expr: "max_over_time(x[40d]) > 0", labels: {}, annotations: {} }] };
    expect(ruleGroupEvaluator(alerting, prod)).toBe("prometheus");
    expect(ruleGroupEvaluator(budget("s.slo.a.budget", "90d"), profileOf("dev"))).toBe("prometheus");
  });

  it("splits every file, each group in exactly one side, file names kept", () => {
    const placed = placeRuleFiles([{ fileName: "s.yaml", groups: [budget("s.slo.a.budget", "90d"), budget("s.slo.b.budget", "7d")] }], prod);
    expect(placed.prometheus).toEqual([{ fileName: "s.yaml", groups: [budget("s.slo.b.budget", "7d")] }]);
    expect(placed.mimirRuler).toEqual([{ fileName: "s.yaml", groups: [budget("s.slo.a.budget", "90d")] }]);
    expect(placeRuleFiles([{ fileName: "t.yaml", groups: [budget("t", "1d")] }], prod).mimirRuler).toEqual([]);
  });
});

describe("an environment with a 90d and a calendar-month SLO", () => {
  const groupNames = (files: readonly { groups: readonly RuleGroup[] }[]) => files.flatMap((f) => f.groups.map((g) => g.name));

  it("prod: the 90d and calendar-month budgets go to Mimir's ruler, written under rules/mimir-ruler/<tenant>/, the alerts stay", () => {
    const prod = buildEnvironmentArtifacts(profileOf("prod"), [ledger]);
    expect(groupNames(prod.rulerRuleFiles)).toEqual(["ledger.slo.import-duration.budget", "ledger.slo.sync-freshness.budget"]);
    const onPrometheus = groupNames(prod.ruleFiles);
    expect(onPrometheus).toContain("ledger.slo.import-duration");
    expect(onPrometheus).toContain("ledger.slo.ai-errors.budget");
    expect(onPrometheus).not.toContain("ledger.slo.import-duration.budget");
    expect(onPrometheus).not.toContain("ledger.slo.sync-freshness.budget");
    const files = generatedFiles([prod]);
    expect([...files.keys()].filter((p) => p.startsWith("prod/rules/") && !p.startsWith("prod/rules/tests/")).sort()).toEqual([
      "prod/rules/ledger.yaml",
      "prod/rules/mimir-ruler/platform/ledger.yaml",
      "prod/rules/platform.yaml",
    ]);
    expect(prod.ruleTestFiles.find((t) => t.fileName === "ledger.yaml")!.rule_files).toEqual(["../ledger.yaml", "../mimir-ruler/platform/ledger.yaml"]);
    expect(prod.ruleTestFiles.find((t) => t.fileName === "platform.yaml")!.rule_files).toEqual(["../platform.yaml"]);
    expect(timingProblems(prod.profile, prod.ruleFiles, prod.rulerRuleFiles)).toEqual([]);
  });

  it("dev (no Mimir, Prometheus keeping 90d): every group on Prometheus, no ruler file", () => {
    const dev = buildEnvironmentArtifacts(profileOf("dev"), [ledger]);
    expect(dev.rulerRuleFiles).toEqual([]);
    expect(groupNames(dev.ruleFiles)).toContain("ledger.slo.import-duration.budget");
    expect([...generatedFiles([dev]).keys()].some((p) => p.includes("mimir-ruler"))).toBe(false);
    expect(timingProblems(dev.profile, dev.ruleFiles, dev.rulerRuleFiles)).toEqual([]);
  });

  it("prod: promtool evaluates the union from generated/'s layout, and the budget needs the ruler's file", () => {
    const prod = buildEnvironmentArtifacts(profileOf("prod"), [ledger]);
    const dir = mkdtempSync(join(tmpdir(), "ruler-placement-"));
    try {
      for (const [path, content] of generatedFiles([prod])) {
        if (!path.startsWith("prod/rules/") || path.startsWith("prod/rules/tests/")) continue;
        const file = join(dir, path);
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, content);
      }
      const rules = join(dir, "prod", "rules");
      // 1% of imports over a minute (the SLO's threshold) for 3h, against a 5% budget: 80% remains.
      const test = (ruleFiles: readonly string[]) =>
        renderYaml({
          rule_files: ruleFiles,
          evaluation_interval: "1m",
          tests: [
            {
              interval: "1m",
              input_series: [
                { series: 'job_duration_ms_count{job="ledger",job_type="import"}', values: "0+100x180" },
                { series: 'job_duration_ms_bucket{job="ledger",job_type="import",le="60000"}', values: "0+99x180" },
              ],
              promql_expr_test: [
                {
                  expr: 'round(100 * slo:error_budget:remaining_ratio{slo="import-duration"})',
                  eval_time: "3h",
                  exp_samples: [{ labels: '{service="ledger",slo="import-duration"}', value: 80 }],
                },
              ],
            },
          ],
        });
      mkdirSync(join(rules, "tests"), { recursive: true });
      writeFileSync(join(rules, "tests", "union.yaml"), test(prod.ruleTestFiles.find((t) => t.fileName === "ledger.yaml")!.rule_files));
      const run = promtool(["test", "rules", "tests/union.yaml"], rules);
      expect(run.output).toContain("SUCCESS");
      expect(run.ok).toBe(true);
      // The Prometheus file alone no longer records the 90d budget: it moved.
      writeFileSync(join(rules, "tests", "alone.yaml"), test(["../ledger.yaml"]));
      const alone = promtool(["test", "rules", "tests/alone.yaml"], rules);
      expect(alone.ok).toBe(false);
      expect(alone.output).toMatch(/remaining_ratio/);
      expect(promtool(["check", "rules", join("mimir-ruler", "platform", "ledger.yaml")], rules).ok).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
