import { comparisonThresholds, diffRuleSets, lineDiff } from "../../rules/rules-diff";
import type { AlertingRule, RuleGroup } from "../../kit/rule-types";
import { parseDuration } from "../../model/duration";

/** Fixture rules written by hand, in the shape generated rule files have. */
const alert = (name: string, service: string, expr: string, severity: string, forDuration: string, team = "social", extra = {}): AlertingRule => ({
  alert: name,
  expr,
  for: parseDuration(forDuration),
  labels: { severity, service, team, ...extra },
  annotations: { summary: `${name} on ${service}`, runbook_url: `https://runbooks.example.com/${name}.md` },
});

const base: RuleGroup[] = [
  {
    name: "divan-api.red",
    rules: [
      {
        record: "service:http_requests:rate5m",
        expr: 'sum by (service) (rate(divan_http_requests_total{service="divan-api"}[5m]))',
        labels: { service: "divan-api" },
      },
      alert("ServiceHighErrorRate", "divan-api", 'service:http_errors:ratio_rate5m{service="divan-api"} > 0.05', "warning", "10m"),
      alert("ServiceHighLatencyP95", "divan-api", 'service:http_latency:p95{service="divan-api"} > 0.4', "warning", "15m"),
      alert("RedisDown", "divan-api", 'divan_redis_up{service="divan-api"} == 0', "warning", "2m"),
      alert("SocketClientsDrop", "divan-api", 'socket:clients:drop_ratio{service="divan-api"} > 0.5', "warning", "5m"),
    ],
  },
];

const head: RuleGroup[] = [
  {
    name: "divan-api.red",
    rules: [
      {
        record: "service:http_requests:rate5m",
        expr: 'sum by (service) (rate(divan_http_requests_total{service="divan-api"}[5m]))',
        labels: { service: "divan-api" },
      },
      // threshold 5% -> 2%
      alert("ServiceHighErrorRate", "divan-api", 'service:http_errors:ratio_rate5m{service="divan-api"} > 0.02', "warning", "10m"),
      // for 15m -> 5m
      alert("ServiceHighLatencyP95", "divan-api", 'service:http_latency:p95{service="divan-api"} > 0.4', "warning", "5m"),
      // severity warning -> critical, and moved to another team
      alert("RedisDown", "divan-api", 'divan_redis_up{service="divan-api"} == 0', "critical", "2m", "platform"),
      // SocketClientsDrop removed; PostgresDown added
      alert("PostgresDown", "divan-api", 'divan_postgres_up{service="divan-api"} == 0', "critical", "2m"),
      { record: "service:http_errors:ratio_rate5m", expr: "vector(0)", labels: { service: "divan-api" } },
    ],
  },
];

describe("rules diff", () => {
  const diff = diffRuleSets(base, head);

  it("finds added and removed alerts and recording rules", () => {
    expect(diff.alerts.added.map((r) => (r.rule as AlertingRule).alert)).toEqual(["PostgresDown"]);
    expect(diff.alerts.removed.map((r) => (r.rule as AlertingRule).alert)).toEqual(["SocketClientsDrop"]);
    expect(diff.recordingRules.added.map((r) => ("record" in r.rule ? r.rule.record : ""))).toEqual(["service:http_errors:ratio_rate5m"]);
    expect(diff.recordingRules.removed).toEqual([]);
    expect(diff.recordingRules.changed).toEqual([]);
  });

  it("names the facets that moved on each changed alert, before and after", () => {
    const facets = Object.fromEntries(diff.alerts.changed.map((c) => [(c.after.rule as AlertingRule).alert, [c.facets, c.labels, c.annotations]]));
    expect(facets).toEqual({
      ServiceHighErrorRate: [
        {
          threshold: ["0.05", "0.02"],
          expr: ['service:http_errors:ratio_rate5m{service="divan-api"} > 0.05', 'service:http_errors:ratio_rate5m{service="divan-api"} > 0.02'],
        },
        {},
        {},
      ],
      ServiceHighLatencyP95: [{ for: ["15m", "5m"] }, {}, {}],
      RedisDown: [{ severity: ["warning", "critical"], routing: ["social", "platform"] }, {}, {}],
    });
  });

  it("names each annotation that moved, and none that did not", () => {
    const moved = {
      ...alert("RedisDown", "divan-api", "up == 0", "warning", "2m"),
      annotations: { summary: "RedisDown on divan-api", runbook_url: "https://wiki/RedisDown" },
    };
    const change = diffRuleSets([{ name: "g", rules: [alert("RedisDown", "divan-api", "up == 0", "warning", "2m")] }], [{ name: "g", rules: [moved] }]).alerts
      .changed;
    expect(change.map((c) => [c.facets, c.annotations])).toEqual([
      [{}, { runbook_url: ["https://runbooks.example.com/RedisDown.md", "https://wiki/RedisDown"] }],
    ]);
  });

  it("pairs the page and the ticket of one SLO by severity, whatever their order", () => {
    const slo = { slo: "availability" };
    const page = (expr: string) => alert("SLOErrorBudgetBurn", "edge", expr, "critical", "2m", "core", slo);
    const ticket = (expr: string) => alert("SLOErrorBudgetBurn", "edge", expr, "warning", "1h", "core", slo);
    const before = [{ name: "edge.slo", rules: [page("fast > (14.4 * 0.001)"), ticket("slow > (3 * 0.001)")] }];
    const after = [{ name: "edge.slo", rules: [ticket("slow > (2 * 0.001)"), page("fast > (14.4 * 0.001)")] }];
    const changed = diffRuleSets(before, after).alerts;
    expect(changed.added).toEqual([]);
    expect(changed.removed).toEqual([]);
    expect(changed.changed.map((c) => [c.before.rule.labels?.severity, c.after.rule.labels?.severity, c.facets])).toEqual([
      ["warning", "warning", { threshold: ["3 * 0.001", "2 * 0.001"], expr: ["slow > (3 * 0.001)", "slow > (2 * 0.001)"] }],
    ]);
  });

  it("reads thresholds from comparisons only, not from selectors or ranges", () => {
    expect(comparisonThresholds('rate(x{le="0.5"}[5m]) > 0.05 and y >= 2 and z < bool 1e-3')).toEqual(["0.05", "2", "1e-3"]);
    expect(comparisonThresholds("histogram_quantile(0.95, x)")).toEqual([]);
    expect(comparisonThresholds("x > (14.4 * 0.001) and avg_over_time(y[1h]) >= 0.1")).toEqual(["14.4 * 0.001", "0.1"]);
  });

  it("gives the changed lines of an expression only, with where they start", () => {
    expect(lineDiff("a\nb\nc\nd\ne", "a\nB\nc\nd\ne\nf")).toEqual([
      { beforeLine: 2, afterLine: 2, removed: ["b"], added: ["B"] },
      { beforeLine: 6, afterLine: 6, removed: [], added: ["f"] },
    ]);
    expect(lineDiff("x > 1", "x > 1")).toEqual([]);
  });
});
