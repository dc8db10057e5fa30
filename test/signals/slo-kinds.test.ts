import { retentionProblems } from "../../artifacts/timing-problems";
import { loadProfiles, type EnvironmentProfile } from "../../environments";
import type { Duration } from "../../model/duration";
import { parseServiceSpec, type ServiceSpecInput } from "../../signals/service-spec";
import { deadlineFullMissGroup, deadlineSuite, firstDeadlineMinute } from "../../signals/slo/promtool-periods";
import { suiteFiles } from "../../kit/promtool/suite";
import { budgetRemainingRule, burnRateAlertRule, calendarMonthRules, sloRuleGroups } from "../../signals/slo/rules";
import { afterDeadlineCondition, sliQueries } from "../../signals/slo/sli";
import { sliSeries, sloBurnTestGroups } from "../../signals/slo/promtool";
import type { SloSpec } from "../../signals/slo/spec";
import type { PromtoolTestFile } from "../../kit/promtool/types";
import { CTX } from "../support/context";
import { expectPromtoolTestPasses } from "../support/promtool";
import { ledger } from "./slo-kinds-fixture";

const slo = (name: string): SloSpec => ledger.slos.find((s) => s.name === name)!;

describe("SLI kinds", () => {
  it("reads any histogram in milliseconds at the threshold's bucket, with its matchers", () => {
    expect(sliQueries(ledger, slo("import-duration"))).toEqual({
      goodRate: 'sum(rate(job_duration_ms_bucket{job="ledger",job_type="import",le=~"60000|60000\\\\.0"}[5m])) or vector(0)',
      totalRate: 'sum(rate(job_duration_ms_count{job="ledger",job_type="import"}[5m])) or vector(0)',
      presence: 'job_duration_ms_bucket{job="ledger",le=~"60000|60000\\\\.0"}',
    });
  });

  it("counts good events of a ratio as total minus bad when the numerator counts bad ones, from another metric", () => {
    expect(sliQueries(ledger, slo("ai-errors"))).toEqual({
      goodRate:
        'clamp_min((sum(rate(ai_request_total{job="ledger"}[5m])) or vector(0)) - (sum(rate(ai_request_errors_total{job="ledger"}[5m])) or vector(0)), 0)',
      totalRate: 'sum(rate(ai_request_total{job="ledger"}[5m])) or vector(0)',
      presence: 'ai_request_total{job="ledger"}',
    });
    expect(sliQueries(ledger, slo("ai-success")).goodRate).toBe('sum(rate(ai_request_ok_total{job="ledger",endpoint="reflect"}[5m])) or vector(0)');
  });

  it("makes freshness one event per second, good while the freshest gauge is within the bound", () => {
    expect(sliQueries(ledger, slo("sync-freshness"))).toEqual({
      goodRate: '((time() - max(sync_last_success_timestamp_seconds{job="ledger",table="favorites"})) <= bool 120) or vector(0)',
      totalRate: '(count(sync_last_success_timestamp_seconds{job="ledger",table="favorites"}) > bool 0) or vector(0)',
      presence: 'sync_last_success_timestamp_seconds{job="ledger"}',
    });
    expect(sliQueries(ledger, slo("sync-age")).goodRate).toBe('(min(sync_lag_seconds{job="ledger"}) <= bool 120) or vector(0)');
  });

  it("reads a deadline's batch during the 5m after Monday 09:00 UTC, as events per second over those 5m", () => {
    const digest = slo("digest");
    if (digest.kind !== "deadline") throw new Error("fixture");
    // Monday 09:00 is 3d 15h before the Thursday-based epoch week wraps: (t + 226800) % 604800 = 0 then.
    expect(afterDeadlineCondition(digest.deadline)).toBe("vector((time() + 226800) % 604800) < 300");
    expect(sliQueries(ledger, digest).totalRate).toBe(
      '(sum(digest_batch_users{job="ledger"}) / 300 and on () (vector((time() + 226800) % 604800) < 300)) or vector(0)',
    );
    // 1970-01-05 was the first Monday: 4 days and 9 hours after the epoch.
    expect(firstDeadlineMinute(digest.deadline)).toBe(4 * 1440 + 540);
    expect(firstDeadlineMinute({ every: "day", timeUtc: "00:30" })).toBe(1440 + 30);
  });
});

describe("SLO periods", () => {
  it("reads the rolling period in the budget and keeps periodDays for existing specs", () => {
    expect(budgetRemainingRule(ledger, slo("import-duration")).expr).toContain("[90d:1h]");
    expect(budgetRemainingRule(ledger, slo("ai-errors")).expr).toContain("[7d:1h]");
    const legacy = parseServiceSpec({
      name: "old",
      team: "core",
      namespace: "old",
      slos: [{ name: "a", kind: "availability", objective: 0.99, periodDays: 28 }],
    });
    expect(legacy.slos[0]).toMatchObject({ period: "28d", periodDays: 28 });
    expect(calendarMonthRules(legacy, legacy.slos[0]!)).toEqual([]);
  });

  it("says the period in the burn alert's description: the calendar month, or the rolling days", () => {
    expect(burnRateAlertRule(ledger, slo("sync-freshness"), "critical", CTX).annotations.description).toContain("over the calendar month)");
    expect(burnRateAlertRule(ledger, slo("import-duration"), "critical", CTX).annotations.description).toContain("over 90d)");
  });

  it("partitions a calendar month's rates by month modulo 3 and reads the current partition over 31d", () => {
    const month = slo("sync-freshness");
    const partitions = calendarMonthRules(ledger, month);
    expect(partitions.map((r) => [r.record, r.labels?.month_mod3])).toEqual([
      ["slo:sli_good_month_partition:rate5m", "0"],
      ["slo:sli_total_month_partition:rate5m", "0"],
      ["slo:sli_good_month_partition:rate5m", "1"],
      ["slo:sli_total_month_partition:rate5m", "1"],
      ["slo:sli_good_month_partition:rate5m", "2"],
      ["slo:sli_total_month_partition:rate5m", "2"],
    ]);
    expect(partitions[2]!.expr).toBe('slo:sli_good:rate5m{service="ledger",slo="sync-freshness"} and on () (month() % 3 == 1)');
    const budget = budgetRemainingRule(ledger, month);
    expect(budget.labels).toEqual({ service: "ledger", slo: "sync-freshness" });
    expect(budget.expr).toMatch(/^1 - \(max without \(month_mod3\) \(/);
    expect(budget.expr).toContain('sum_over_time(slo:sli_total_month_partition:rate5m{service="ledger",slo="sync-freshness",month_mod3="2"}[31d])');
    const budgetGroup = sloRuleGroups(ledger, [month], CTX)[1]!;
    expect(budgetGroup.rules.map((r) => ("record" in r ? r.record : r.alert)).slice(-1)).toEqual(["slo:error_budget:remaining_ratio"]);
    expect(budgetGroup.rules).toHaveLength(7);
  });

  const [dev] = loadProfiles(["dev"]);
  const withRetention = (retention: Duration): EnvironmentProfile => ({ ...dev!, prometheus: { ...dev!.prometheus, retention } });
  const files = [{ fileName: "ledger.yaml", groups: sloRuleGroups(ledger, ledger.slos, CTX) }];

  it("fails when a 90d SLO runs on a Prometheus keeping 30d, naming the service and the SLO", () => {
    const [problem] = retentionProblems(withRetention("30d"), files);
    expect(problem).toEqual({
      path: ["prometheus", "retention"],
      message:
        'must be at least 90d, the period of SLO "import-duration" of service "ledger" (and 1 more SLO longer than the retention): ' +
        "its error budget is computed on this Prometheus over the whole period",
      received: "30d",
    });
  });

  it("asks 31d of retention for a calendar month", () => {
    const month = [{ fileName: "m.yaml", groups: sloRuleGroups(ledger, [slo("sync-freshness")], CTX) }];
    expect(retentionProblems(withRetention("30d"), month).map((p) => p.message)[0]).toMatch(/^must be at least 31d, the period of SLO "sync-freshness"/);
    expect(retentionProblems(withRetention("31d"), month)).toEqual([]);
  });
});

describe("bad SLO input", () => {
  const base = { name: "ledger", team: "data", namespace: "ledger" } as const;
  const problems = (slos: unknown[]): string => {
    try {
      parseServiceSpec({ ...base, slos } as unknown as ServiceSpecInput);
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error("expected the spec to be refused");
  };
  const histogram = { metric: "job_duration_ms", unit: "milliseconds", buckets: [1000, 60000] };

  it("fails when a latency threshold is off the histogram's buckets, in the histogram's unit", () => {
    expect(problems([{ name: "d", kind: "latency", objective: 0.95, histogram, latencyThresholdSeconds: 30 }])).toContain(
      `slos[0].latencyThresholdSeconds must be one of the histogram's bucket boundaries (1000, 60000) in milliseconds (30000 milliseconds), got 30 (service "ledger", slo "d")`,
    );
  });

  it("fails on an unknown unit", () => {
    expect(
      problems([{ name: "d", kind: "latency", objective: 0.95, histogram: { ...histogram, unit: "minutes" }, latencyThresholdMilliseconds: 60000 }]),
    ).toContain('slos[0].histogram.unit must be one of seconds, milliseconds, got "minutes" (service "ledger", slo "d")');
  });

  it("fails on a period not among the allowed ones", () => {
    expect(problems([{ name: "a", kind: "availability", objective: 0.99, period: "45d" }])).toContain(
      'slos[0].period must be one of 7d, 28d, 30d, 90d, calendar-month, got "45d" (service "ledger", slo "a")',
    );
    expect(problems([{ name: "a", kind: "availability", objective: 0.99, periodDays: 45 }])).toContain(
      'slos[0].periodDays must be one of 7, 28, 30, 90 (or set period), got 45 (service "ledger", slo "a")',
    );
  });

  it("fails on a freshness bound that is not positive", () => {
    const gauge = { metric: "sync_lag_seconds", holds: "age" };
    expect(problems([{ name: "f", kind: "freshness", objective: 0.99, gauge, maxAgeSeconds: 0 }])).toContain(
      'slos[0].maxAgeSeconds must be > 0, got 0 (service "ledger", slo "f")',
    );
  });

  it("fails on a deadline with an invalid weekday or time", () => {
    const batch = { batchSize: { metric: "digest_batch_users" }, deliveredOnTime: { metric: "digest_delivered_on_time_users" } };
    const text = problems([
      { name: "w", kind: "deadline", objective: 0.99, deadline: { every: "week", weekday: "munday", timeUtc: "09:00" }, ...batch },
      { name: "t", kind: "deadline", objective: 0.99, deadline: { every: "day", timeUtc: "24:30" }, ...batch },
    ]);
    expect(text).toContain('slos[0].deadline.weekday must be one of monday, tuesday, wednesday, thursday, friday, saturday, sunday, got "munday"');
    expect(text).toContain('slos[1].deadline.timeUtc must be HH:MM in UTC, 00:00 to 23:59, got "24:30" (service "ledger", slo "t")');
  });
});

describe("promtool: freshness and a deadline on their own rules", () => {
  // Each SLO on its own rule file: promtool evaluates every rule of the file at every minute.
  const daily = parseServiceSpec({
    name: "digest",
    team: "data",
    namespace: "digest",
    red: { enabled: false },
    slos: [
      {
        name: "daily",
        kind: "deadline",
        objective: 0.99,
        deadline: { every: "day", timeUtc: "01:00" },
        batchSize: { metric: "digest_batch_users" },
        deliveredOnTime: { metric: "digest_delivered_on_time_users" },
      },
    ],
  });
  const deadline = daily.slos[0]!;

  it("fails a deadline SLO when 2% of a batch misses, fires nothing at 0.5%, pages when the whole batch misses, and resolves (5m step)", () => {
    if (deadline.kind !== "deadline") throw new Error("fixture");
    const suite = deadlineSuite(daily, deadline, CTX);
    expect(suite.tests.map((g) => [g.name, g.interval])).toEqual([
      ["digest/daily: 2% of a batch missing daily 01:00 UTC fails the SLO (warning fires at the deadline, budget at -1), then resolves within 370m", "5m"],
      ["digest/daily: 0.5% of a batch missing daily 01:00 UTC fires nothing and leaves half the budget", "5m"],
    ]);
    const full = deadlineFullMissGroup(daily, deadline, CTX);
    expect(full.name).toBe("digest/daily: a whole batch missed fires critical, warning at the deadline, and the page resolves within 40m");
    const { ruleFiles, testFiles } = suiteFiles([{ ...suite, tests: [...suite.tests, full] }]);
    expectPromtoolTestPasses(ruleFiles, testFiles, testFiles[0]!.fileName);
  });

  it("pages on stale data, resolves once fresh again and stays quiet when stale for 1% of the time", () => {
    const fresh = parseServiceSpec({ name: "sync", team: "data", namespace: "sync", red: { enabled: false }, slos: [{ ...slo("sync-age") }] });
    const groups = sloBurnTestGroups(fresh, fresh.slos[0]!, CTX);
    expect(groups).toHaveLength(3);
    const test: PromtoolTestFile = { fileName: "sync.yaml", rule_files: ["../sync.yaml"], evaluation_interval: "1m", tests: groups };
    expectPromtoolTestPasses([{ fileName: "sync.yaml", groups: sloRuleGroups(fresh, fresh.slos, CTX) }], [test], "sync.yaml");
  });

  it("shapes freshness fixtures as the share of stale minutes", () => {
    const age = slo("sync-age");
    const [series] = sliSeries(ledger, age, [
      { minutes: 3, good: 1, bad: 0 },
      { minutes: 4, good: 1, bad: 1 },
    ]);
    // Fresh minutes read 0; every other minute of the second phase is stale (2 x 120 + 60 s).
    expect(series).toEqual({ series: 'sync_lag_seconds{job="ledger"}', values: expect.stringMatching(/^0\+0x3 /) });
  });
});
