import { retentionProblems, timingProblems } from "../../artifacts/timing-problems";
import { loadProfiles, type EnvironmentProfile } from "../../environments";
import type { Duration } from "../../model/duration";
import type { RuleFile } from "../../kit/rule-types";
import { SLO_SERIES } from "../../signals/slo/rules";

const [dev] = loadProfiles(["dev"]);
const withRetention = (retention: Duration): EnvironmentProfile => ({ ...dev!, prometheus: { ...dev!.prometheus, retention } });

/** One SLO's budget rule over `period`, as signals/slo records it: the error ratio over the whole period. */
function budgetRule(service: string, slo: string, period: Duration) {
  const total = `sum_over_time(slo:sli_total:rate5m{service="${service}",slo="${slo}"}[${period}])`;
  const good = `sum_over_time(slo:sli_good:rate5m{service="${service}",slo="${slo}"}[${period}])`;
  return { record: SLO_SERIES.budgetRemaining, expr: `1 - ((${total} - ${good}) / ${total}) / 0.001`, labels: { service, slo } };
}

const files: RuleFile[] = [
  {
    fileName: "checkout.yaml",
    groups: [
      {
        name: "checkout.slo",
        rules: [
          { record: "slo:sli_total:rate5m", expr: 'sum(rate(http_requests_total{job="checkout"}[5m]))', labels: { service: "checkout", slo: "availability" } },
          { record: "slo:sli_error:ratio_rate3d", expr: 'sum_over_time(slo:sli_total:rate5m{service="checkout"}[3d])' },
          { alert: "QueueSLABreachForecast", expr: "max_over_time(deriv(queue_depth[10m])[2d:5m]) > 0", labels: {}, annotations: {} },
        ],
      },
      { name: "checkout.slo.availability.budget", rules: [budgetRule("checkout", "availability", "28d")] },
      { name: "ledger.slo.settlement.budget", rules: [budgetRule("ledger", "settlement", "90d"), budgetRule("ledger", "latency", "30d")] },
    ],
  },
];

describe("retention against the ranges the rules read", () => {
  it("passes when the retention covers the longest SLO period", () => {
    expect(retentionProblems(withRetention("90d"), files)).toEqual([]);
  });

  it("fails on an SLO period longer than the retention, naming the longest one's service and SLO and counting the others", () => {
    expect(retentionProblems(withRetention("29d"), files)).toEqual([
      {
        path: ["prometheus", "retention"],
        message:
          'must be at least 90d, the period of SLO "settlement" of service "ledger" (and 1 more SLO longer than the retention): ' +
          "its error budget is computed on this Prometheus over the whole period",
        received: "29d",
      },
    ]);
  });

  it("fails on any other rule's range beyond the retention, subqueries included, naming the rule and the range", () => {
    const problems = retentionProblems(withRetention("1d"), files);
    expect(problems.map((p) => p.message)).toEqual([
      'must be at least 90d, the period of SLO "settlement" of service "ledger" (and 2 more SLOs longer than the retention): its error budget is computed on this Prometheus over the whole period',
      "must be at least 3d, the furthest back the rules read (3d, in slo:sli_error:ratio_rate3d)",
    ]);
    // A 2d subquery over a 10m range alone (the 3d recording gone) is reported as the alert that reads it, 2d10m back.
    const subqueryOnly: RuleFile[] = [{ fileName: "q.yaml", groups: [{ name: "q", rules: [files[0]!.groups[0]!.rules[2]!] }] }];
    expect(retentionProblems(withRetention("1d"), subqueryOnly).map((p) => p.message)).toEqual([
      "must be at least 2d10m, the furthest back the rules read (2d10m, in QueueSLABreachForecast)",
    ]);
  });

  it("is part of the environment's timing problems", () => {
    expect(timingProblems(withRetention("29d"), files).map((p) => p.path.join("."))).toEqual(["prometheus.retention"]);
  });
});
