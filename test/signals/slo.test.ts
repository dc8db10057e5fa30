import { isAlertingRule } from "../../kit/rule-types";
import { parseServiceSpec } from "../../signals/service-spec";
import { SLO_SERIES } from "../../signals/slo/rules";
import { SLO_WINDOWS } from "../../signals/slo/burn-rate";
import { sliQueries } from "../../signals/slo/sli";
import { budgetRemainingRule, burnRateAlertRule, sliOverRange, sloRecordingRules, sloRuleGroups } from "../../signals/slo/rules";
import { CTX } from "../support/context";

const service = parseServiceSpec({
  name: "edge",
  team: "web",
  namespace: "edge",
  slos: [
    { name: "login-availability", kind: "availability", objective: 0.999, routes: ["/auth/login"] },
    { name: "login-latency", kind: "latency", objective: 0.95, latencyThresholdSeconds: 0.25, routes: ["/auth/login"] },
    { name: "push", kind: "events", objective: 0.98, metric: "push_deliveries_total", goodOutcomes: ["delivered"], minEventsPerSecond: 0 },
  ],
});
const [availability, latency, events] = service.slos as [(typeof service.slos)[0], (typeof service.slos)[0], (typeof service.slos)[0]];
const sel = (name: string, slo = "login-availability") => `${name}{service="edge",slo="${slo}"}`;

describe("SLI queries", () => {
  it("counts non-5xx answers of the SLO's routes as good", () => {
    expect(sliQueries(service, availability)).toEqual({
      goodRate: 'sum(rate(http_requests_total{job="edge",route=~"/auth/login",code!~"5.."}[5m])) or vector(0)',
      totalRate: 'sum(rate(http_requests_total{job="edge",route=~"/auth/login"}[5m])) or vector(0)',
      presence: 'http_requests_total{job="edge"}',
    });
  });

  it("counts requests in the threshold's bucket as good, in any spelling of le", () => {
    expect(sliQueries(service, latency)).toEqual({
      goodRate: 'sum(rate(http_request_duration_seconds_bucket{job="edge",route=~"/auth/login",le=~"0\\\\.25"}[5m])) or vector(0)',
      totalRate: 'sum(rate(http_request_duration_seconds_count{job="edge",route=~"/auth/login"}[5m])) or vector(0)',
      presence: 'http_request_duration_seconds_bucket{job="edge",le=~"0\\\\.25"}',
    });
  });

  it("counts good outcomes of an event counter as good", () => {
    expect(sliQueries(service, events).goodRate).toBe('sum(rate(push_deliveries_total{job="edge",result=~"delivered"}[5m])) or vector(0)');
  });
});

describe("SLO recording rules", () => {
  const rules = sloRecordingRules(service, availability);
  const byName = new Map([...rules, budgetRemainingRule(service, availability)].map((r) => [r.record, r.expr]));

  it("records bad and all events per second and their ratio for every window, then the objective", () => {
    expect(rules.map((r) => r.record)).toEqual([
      "slo:sli_good:rate5m",
      "slo:sli_total:rate5m",
      "slo:sli_error:rate5m",
      "slo:sli_error:ratio_rate5m",
      "slo:sli_error:rate30m",
      "slo:sli_total:rate30m",
      "slo:sli_error:ratio_rate30m",
      "slo:sli_good:rate1h",
      "slo:sli_total:rate1h",
      "slo:sli_error:rate1h",
      "slo:sli_error:ratio_rate1h",
      ...["2h", "6h", "1d", "3d"].flatMap((w) => [`slo:sli_error:rate${w}`, `slo:sli_total:rate${w}`, `slo:sli_error:ratio_rate${w}`]),
      "slo:objective:ratio",
    ]);
    expect(rules.map((r) => r.record)).toEqual(expect.arrayContaining(SLO_WINDOWS.map((w) => `slo:sli_error:ratio_rate${w}`)));
    expect(new Set(rules.map((r) => JSON.stringify(r.labels)))).toEqual(new Set(['{"service":"edge","slo":"login-availability"}']));
  });

  it("reads the raw counters over 5m and 1h, and one recorded bad series per window ratio", () => {
    expect(byName.get("slo:sli_good:rate1h")).toBe('sum(rate(http_requests_total{job="edge",route=~"/auth/login",code!~"5.."}[1h])) or vector(0)');
    expect(byName.get("slo:sli_total:rate1h")).toBe('sum(rate(http_requests_total{job="edge",route=~"/auth/login"}[1h])) or vector(0)');
    expect(byName.get("slo:sli_error:rate5m")).toBe(`${sel(SLO_SERIES.totalRate)} - ${sel(SLO_SERIES.goodRate)}`);
    expect(byName.get("slo:sli_error:ratio_rate1h")).toBe(`(${sel("slo:sli_error:rate1h")}) / clamp_min(${sel("slo:sli_total:rate1h")}, 1e-12)`);
  });

  it("adds up back-to-back tiles at offsets, a missing tile counting as no events", () => {
    const e = sel("slo:sli_error:rate1d");
    expect(byName.get("slo:sli_error:rate3d")).toBe(`(${e} + (${e} offset 1d or ${e} * 0) + (${e} offset 2d or ${e} * 0)) / 3`);
    const t = sel("slo:sli_total:rate5m");
    expect(byName.get("slo:sli_total:rate30m")).toBe(`(${t} + ${[5, 10, 15, 20, 25].map((m) => `(${t} offset ${m}m or ${t} * 0)`).join(" + ")}) / 6`);
    expect(byName.get("slo:sli_error:rate6h")).toContain(`(${sel("slo:sli_error:rate1h")} offset 5h or ${sel("slo:sli_error:rate1h")} * 0)`);
  });

  it("computes the budget over the period from hourly samples of the 1h rates", () => {
    expect(byName.get("slo:objective:ratio")).toBe("vector(0.999)");
    expect(byName.get("slo:error_budget:remaining_ratio")).toBe(
      `1 - ((sum_over_time(${sel("slo:sli_error:rate1h")}[30d:1h])) / clamp_min(sum_over_time(${sel("slo:sli_total:rate1h")}[30d:1h]), 1e-12)) / 0.001`,
    );
  });

  it("re-reads an SLI query over another range, and fails on one that has no 5m range", () => {
    expect(sliOverRange('sum(rate(a{x="[5m]"}[5m])) / sum(rate(b[5m] offset 5m))', "1h")).toBe('sum(rate(a{x="[5m]"}[1h])) / sum(rate(b[1h] offset 5m))');
    expect(() => sliOverRange("sum(up)", "1h")).toThrow(/must read its counters over \[5m\] to be read over 1h, got "sum\(up\)"/);
  });
});

describe("SLO alerts", () => {
  it("pages on 14.4x over 1h and 5m or 6x over 6h and 30m, with a traffic guard", () => {
    const rule = burnRateAlertRule(service, availability, "critical", CTX);
    const ratio = (w: string) => `${sel(`slo:sli_error:ratio_rate${w}`)}`;
    const guard = (w: string) => `${sel(`slo:sli_total:rate${w}`)} >= 0.1`;
    expect(rule).toEqual({
      alert: "SLOErrorBudgetBurn",
      expr:
        `(\n  ${ratio("1h")} > (14.4 * 0.001)\n  and\n  ${ratio("5m")} > (14.4 * 0.001)\n  and\n  ${guard("1h")}\n)\nor\n` +
        `(\n  ${ratio("6h")} > (6 * 0.001)\n  and\n  ${ratio("30m")} > (6 * 0.001)\n  and\n  ${guard("6h")}\n)`,
      labels: { service: "edge", severity: "critical", slo: "login-availability", team: "web" },
      annotations: {
        summary: "{{ $labels.service }} is burning its {{ $labels.slo }} error budget fast",
        description:
          "The {{ $labels.slo }} SLO of {{ $labels.service }} (objective 99.9% over 30d) burns its error budget at " +
          "14.4x over 1h and 5m (budget gone in 2.1 days), or 6x over 6h and 30m (budget gone in 5 days). " +
          "Error-ratio thresholds: 0.0144 (1h), 0.006 (6h).",
        runbook_url: "https://runbooks.example.com/observability/SLOErrorBudgetBurn.md",
      },
    });
  });

  it("opens a ticket on 3x over 1d and 2h or 1x over 3d and 6h", () => {
    const rule = burnRateAlertRule(service, latency, "warning", CTX);
    expect(rule.labels).toEqual({ service: "edge", severity: "warning", slo: "login-latency", team: "web" });
    expect(rule.expr).toContain(`${sel("slo:sli_error:ratio_rate1d", "login-latency")} > (3 * 0.05)`);
    expect(rule.expr).toContain(`${sel("slo:sli_error:ratio_rate2h", "login-latency")} > (3 * 0.05)`);
    expect(rule.expr).toContain(`${sel("slo:sli_error:ratio_rate3d", "login-latency")} > (1 * 0.05)`);
    expect(rule.expr).toContain(`${sel("slo:sli_error:ratio_rate6h", "login-latency")} > (1 * 0.05)`);
  });

  it("leaves the traffic guard out when the SLO sets no minimum", () => {
    expect(burnRateAlertRule(service, events, "critical", CTX).expr).not.toContain("slo:sli_total");
  });

  it("makes two groups per SLO: 24 recording rules, 2 burn-rate alerts and SLIMetricAbsent; the budget every 5m", () => {
    const all = sloRuleGroups(service, service.slos, CTX);
    expect(all.map((g) => [g.name, g.interval])).toEqual(
      ["login-availability", "login-latency", "push"].flatMap((slo) => [
        [`edge.slo.${slo}`, undefined],
        [`edge.slo.${slo}.budget`, "5m"],
      ]),
    );
    const budgets = all.filter((g) => g.name.endsWith(".budget"));
    for (const group of budgets) expect(group.rules.map((r) => ("record" in r ? r.record : r.alert))).toEqual(["slo:error_budget:remaining_ratio"]);
    const groups = all.filter((g) => !g.name.endsWith(".budget"));
    for (const group of groups) {
      expect(group.rules.filter((r) => !isAlertingRule(r))).toHaveLength(24);
      expect(group.rules.filter(isAlertingRule).map((r) => [r.alert, r.labels.severity, r.for])).toEqual([
        ["SLOErrorBudgetBurn", "critical", undefined],
        ["SLOErrorBudgetBurn", "warning", undefined],
        ["SLIMetricAbsent", "warning", "10m"],
      ]);
    }
  });

  it("alerts when the SLI metric is absent", () => {
    const absent = sloRuleGroups(service, service.slos, CTX)[2]!.rules.find((r) => isAlertingRule(r) && r.alert === "SLIMetricAbsent");
    expect(absent).toMatchObject({
      expr: 'absent(http_request_duration_seconds_bucket{job="edge",le=~"0\\\\.25"})',
      labels: { service: "edge", severity: "warning", slo: "login-latency", team: "web" },
    });
  });
});
