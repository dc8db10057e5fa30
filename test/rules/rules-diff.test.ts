import { comparisonThresholds, diffRuleSets } from "../../rules/rules-diff";
import { NO_RULE_CHANGES, renderRulesDiffMarkdown } from "../../rules/rules-diff-markdown";
import type { AlertingRule, RuleGroup } from "../../kit/rule-types";
import { parseDuration } from "../../model/duration";

/** Fixture rules written by hand, in the shape generated rule files have. */
const alert = (name: string, service: string, expr: string, severity: string, forDuration: string, team = "social"): AlertingRule => ({
  alert: name,
  expr,
  for: parseDuration(forDuration),
  labels: { severity, service, team },
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
    const facets = Object.fromEntries(diff.alerts.changed.map((c) => [(c.after.rule as AlertingRule).alert, c.facets]));
    expect(facets).toEqual({
      ServiceHighErrorRate: {
        threshold: ["0.05", "0.02"],
        expr: ['service:http_errors:ratio_rate5m{service="divan-api"} > 0.05', 'service:http_errors:ratio_rate5m{service="divan-api"} > 0.02'],
      },
      ServiceHighLatencyP95: { for: ["15m", "5m"] },
      RedisDown: { severity: ["warning", "critical"], routing: ["social", "platform"] },
    });
  });

  it("reads thresholds from comparisons only, not from selectors or ranges", () => {
    expect(comparisonThresholds('rate(x{le="0.5"}[5m]) > 0.05 and y >= 2 and z < bool 1e-3')).toEqual(["0.05", "2", "1e-3"]);
    expect(comparisonThresholds("histogram_quantile(0.95, x)")).toEqual([]);
    expect(comparisonThresholds("x > (14.4 * 0.001) and avg_over_time(y[1h]) >= 0.1")).toEqual(["14.4 * 0.001", "0.1"]);
  });

  it("renders markdown for a pull-request comment", () => {
    const markdown = renderRulesDiffMarkdown(
      "origin/main",
      new Map([
        ["prod", diff],
        ["dev", diffRuleSets(base, base)],
      ]),
    );
    expect(markdown).toBe(
      [
        "## Rule changes against `origin/main`",
        "",
        "### prod: alerts +1 −1 ~3, recording rules +1 −0 ~0",
        "",
        "**Alerts added (1)**",
        "",
        '- `PostgresDown` `{service="divan-api"}` in `divan-api.red`: severity `critical`, team `social`, for `2m`',
        "",
        "**Alerts removed (1)**",
        "",
        '- `SocketClientsDrop` `{service="divan-api"}` in `divan-api.red`: severity `warning`, team `social`, for `5m`',
        "",
        "**Alerts changed (3)**",
        "",
        '- `ServiceHighErrorRate` `{service="divan-api"}` in `divan-api.red`',
        "  - threshold: `0.05` → `0.02`",
        "  - expr:",
        "    ```diff",
        '    - service:http_errors:ratio_rate5m{service="divan-api"} > 0.05',
        '    + service:http_errors:ratio_rate5m{service="divan-api"} > 0.02',
        "    ```",
        '- `ServiceHighLatencyP95` `{service="divan-api"}` in `divan-api.red`',
        "  - for: `15m` → `5m`",
        '- `RedisDown` `{service="divan-api"}` in `divan-api.red`',
        "  - severity: `warning` → `critical`",
        "  - routing (team): `social` → `platform`",
        "",
        "**Recording rules added (1)**",
        "",
        '- `service:http_errors:ratio_rate5m` `{service="divan-api"}` in `divan-api.red`',
        "",
        "Unchanged: dev.",
        "",
      ].join("\n"),
    );
  });

  it('says "no rule changes" when no environment differs', () => {
    expect(renderRulesDiffMarkdown("main", new Map([["prod", diffRuleSets(head, head)]]))).toBe(NO_RULE_CHANGES);
    expect(NO_RULE_CHANGES).toBe("no rule changes");
  });
});
