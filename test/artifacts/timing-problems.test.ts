import { retentionProblems, timingProblems } from "../../artifacts/timing-problems";
import { loadProfiles, type EnvironmentProfile } from "../../environments";
import type { Duration } from "../../model/duration";
import type { RuleFile } from "../../kit/rule-types";
import { SLO_SERIES } from "../../signals/slo/rules";
import { placeRuleFiles } from "../../rules/placement";
import { profileProblemsError } from "../../environments/profile-validation-error";

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

describe("retention of the groups Mimir's ruler evaluates", () => {
  const [prod] = loadProfiles(["prod"]);
  const withMimirRetention = (retention: Duration): EnvironmentProfile => ({ ...prod!, mimir: { ...prod!.mimir!, retention } });
  const ninetyDays: RuleFile[] = [
    { fileName: "ledger.yaml", groups: [{ name: "ledger.slo.settlement.budget", rules: [budgetRule("ledger", "settlement", "90d")] }] },
  ];

  it("prod: a 90d SLO goes to the ruler and passes against Mimir's 180d, while Prometheus keeps 30d", () => {
    const placed = placeRuleFiles(ninetyDays, prod!);
    expect(placed.mimirRuler.flatMap((f) => f.groups.map((g) => g.name))).toEqual(["ledger.slo.settlement.budget"]);
    expect([prod!.prometheus.retention, prod!.mimir!.retention]).toEqual(["30d", "180d"]);
    expect(timingProblems(prod!, placed.prometheus, placed.mimirRuler)).toEqual([]);
  });

  it("fails with Mimir keeping 60d, naming Mimir's retention, the service, the SLO and Prometheus' retention", () => {
    const profile = withMimirRetention("60d");
    const placed = placeRuleFiles(ninetyDays, profile);
    expect(retentionProblems(profile, placed.prometheus, placed.mimirRuler)).toEqual([
      {
        path: ["mimir", "retention"],
        message:
          'must be at least 90d, the period of SLO "settlement" of service "ledger": its error budget is computed by Mimir\'s ruler from ' +
          "Mimir's blocks (prometheus.retention is 30d, shorter than the period) over the whole period",
        received: "60d",
      },
    ]);
  });

  it("names the environment through the profile's error", () => {
    const profile = withMimirRetention("60d");
    const placed = placeRuleFiles(ninetyDays, profile);
    const error = profileProblemsError("prod", { mimir: { retention: "60d" } }, timingProblems(profile, placed.prometheus, placed.mimirRuler));
    expect(error.message).toMatch(/mimir\.retention must be at least 90d, the period of SLO "settlement" of service "ledger".*got "60d".*environment "prod"/);
  });

  it("without Mimir, fails against Prometheus' 30d as before: the group stays on Prometheus", () => {
    const placed = placeRuleFiles(ninetyDays, withRetention("30d"));
    expect(placed.mimirRuler).toEqual([]);
    expect(retentionProblems(withRetention("30d"), placed.prometheus, placed.mimirRuler).map((p) => [p.path.join("."), p.message])).toEqual([
      [
        "prometheus.retention",
        'must be at least 90d, the period of SLO "settlement" of service "ledger": its error budget is computed on this Prometheus over the whole period',
      ],
    ]);
  });
});
