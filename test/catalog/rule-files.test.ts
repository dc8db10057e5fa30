import { ALL_ALERT_NAMES } from "../../signals";
import { buildRuleFiles, PROMETHEUS_RULE_LABELS } from "../../rules";
import { isAlertingRule, type AlertingRule } from "../../kit/rule-types";
import { parseServiceSpec } from "../../signals/service-spec";
import { renderYaml } from "../../kit/render-yaml";
import { SEVERITIES } from "../../model/severity";
import { serviceCatalog } from "../../services";
import { CTX } from "../support/context";

const files = buildRuleFiles(serviceCatalog(), CTX);
const alerts: { file: string; rule: AlertingRule }[] = files.flatMap((f) =>
  f.groups.flatMap((g) => g.rules.filter(isAlertingRule).map((rule) => ({ file: f.fileName, rule }))),
);

describe("rule files", () => {
  it("has one file per service and platform.yaml, sorted", () => {
    expect(files.map((f) => f.fileName)).toEqual([...serviceCatalog().map((s) => `${s.name}.yaml`), "platform.yaml"].sort());
  });

  it("renders deterministically, never folding long PromQL", () => {
    const again = buildRuleFiles(serviceCatalog(), CTX);
    expect(again.map((f) => renderYaml(f))).toEqual(files.map((f) => renderYaml(f)));
    const expr = "x".repeat(150) + " > 0";
    expect(renderYaml({ expr })).toBe(`expr: ${expr}\n`);
  });

  it("labels PrometheusRule objects for the ruleSelector", () => {
    expect(PROMETHEUS_RULE_LABELS).toEqual({ "observability.stack/rules": "true" });
  });

  it("uses every alert name of the catalogue", () => {
    // Only where a Postgres dependency declares a replica, which no service of the catalogue does.
    const unused = ["PostgresReplicationLag"];
    expect([...new Set(alerts.map((a) => a.rule.alert))].sort()).toEqual(ALL_ALERT_NAMES.filter((n) => !unused.includes(n)));
  });

  it("gives every alert severity, service, team, summary, description and its runbook_url", () => {
    for (const { rule } of alerts) {
      expect(Object.keys(rule.labels)).toEqual(expect.arrayContaining(["severity", "service", "team"]));
      expect(Object.keys(rule.annotations)).toEqual(["summary", "description", "runbook_url"]);
      expect(rule.annotations.runbook_url).toBe(`${CTX.runbookBaseUrl}/${rule.alert}.md`);
      const meta = rule.alert === "Watchdog" || rule.alert === "InfoInhibitor";
      expect(meta ? ["none"] : SEVERITIES).toContain(rule.labels.severity);
    }
  });

  it("adds slo to SLO alerts, dependency to dependency-down alerts, and the platform owner to meta alerts", () => {
    const named = (...names: string[]) => alerts.filter(({ rule }) => names.includes(rule.alert)).map(({ rule }) => rule);
    for (const rule of named("SLOErrorBudgetBurn", "SLIMetricAbsent")) expect(rule.labels.slo).toMatch(/^[a-z0-9-]+$/);
    for (const rule of named("RedisDown", "PostgresDown")) expect(rule.labels.dependency).toMatch(/^[a-z0-9-]+$/);
    const owner = ({ file, rule }: (typeof alerts)[number]) =>
      file === "platform.yaml" ? ["observability-stack", "platform"] : [file.replace(/\.yaml$/, ""), rule.labels.team];
    expect(alerts.map(({ rule }) => [rule.labels.service, rule.labels.team])).toEqual(alerts.map(owner));
  });

  it("names groups after their service and concept, uniquely", () => {
    const names = files.flatMap((f) => f.groups.map((g) => g.name));
    expect(new Set(names).size).toBe(names.length);
    expect(files.find((f) => f.fileName === "divan-api.yaml")!.groups.map((g) => g.name)).toEqual([
      "divan-api.red",
      "divan-api.slo.api-availability",
      "divan-api.slo.api-availability.budget",
      "divan-api.dependencies",
      "divan-api.sockets",
      "divan-api.jobs",
      "divan-api.health",
    ]);
  });

  it("fails when two services share a name, or one is called platform", () => {
    const edge = parseServiceSpec({ name: "edge", team: "web", namespace: "edge" });
    expect(() => buildRuleFiles([edge, edge], CTX)).toThrow(/services must have unique names, got "edge" twice/);
    expect(() => buildRuleFiles([{ ...edge, name: "platform" }], CTX)).toThrow(/service name "platform" is reserved for platform.yaml/);
  });
});
