import { rulesFeeding } from "../../kit/promtool/rule-subset";
import { suiteFiles, type PromtoolSuite } from "../../kit/promtool/suite";
import { isAlertingRule, isRecordingRule, type RuleGroup } from "../../kit/rule-types";
import { parseServiceSpec } from "../../signals/service-spec";
import { sliSeries } from "../../signals/slo/promtool";
import { coarseBurnSuite } from "../../signals/slo/promtool-kinds";
import { budgetResetSuite, deadlineSuite, phasesPerStep } from "../../signals/slo/promtool-periods";
import { SLO_SERIES, sloRuleGroups } from "../../signals/slo/rules";
import { SLO_PERIODS, type SloSpec } from "../../signals/slo/spec";
import { CTX } from "../support/context";
import { promtool, writeRuleTree } from "../support/promtool";
import { matrix } from "./slo-kinds-matrix-fixture";

const slo = (name: string): SloSpec => matrix.slos.find((s) => s.name === name)!;
const seriesOf = (s: SloSpec, stepSeconds: number) => (phases: Parameters<typeof sliSeries>[2]) => sliSeries(matrix, s, phases, stepSeconds);
const records = (groups: readonly RuleGroup[]) => groups.flatMap((g) => g.rules.map((r) => (isRecordingRule(r) ? r.record : r.alert)));

/** The SLO spec of the availability fixture with another period. */
const withPeriod = (period: string) =>
  parseServiceSpec({ name: "matrix", team: "data", namespace: "matrix", slos: [{ name: "a", kind: "availability", objective: 0.999, period }] });

describe("what a period changes in an SLO's rules", () => {
  // The period enters the rules only through the budget group and the burn alerts' description:
  // every window, ratio and burn condition is the same, so "fires, quiet at 1x, resolves" is proven
  // once per kind (each kind's SLO on another period, so each description renders in some case)
  // and the period-specific part, the budget and its reset, once per period.
  const byPeriod = SLO_PERIODS.map((period) => {
    const service = withPeriod(period);
    return sloRuleGroups(service, service.slos, CTX);
  });
  const withoutDescriptions = (g: RuleGroup) => g.rules.map((r) => (isAlertingRule(r) ? { ...r, annotations: { ...r.annotations, description: "" } } : r));

  it("keeps every recording rule and burn condition, and changes the description and the budget", () => {
    for (const groups of byPeriod) expect(withoutDescriptions(groups[0]!)).toEqual(withoutDescriptions(byPeriod[0]![0]!));
    const descriptions = byPeriod.map((groups) => groups[0]!.rules.filter(isAlertingRule)[0]!.annotations.description);
    expect(new Set(descriptions).size).toBe(SLO_PERIODS.length);
    const budgets = byPeriod.map((groups) => JSON.stringify(groups[1]!.rules));
    expect(new Set(budgets).size).toBe(SLO_PERIODS.length);
  });
});

describe("rules a long case runs on", () => {
  it("keeps the budget rule and what it reads: the raw 1h rates of a counter SLI, the 5m rates and partitions of a calendar month", () => {
    const rolling = rulesFeeding(sloRuleGroups(matrix, [slo("availability")], CTX), [SLO_SERIES.budgetRemaining]);
    expect(records(rolling)).toEqual(["slo:sli_good:rate1h", "slo:sli_total:rate1h", "slo:sli_error:rate1h", "slo:error_budget:remaining_ratio"]);
    expect(rolling.map((g) => [g.name, g.interval])).toEqual([
      ["matrix.slo.availability", undefined],
      ["matrix.slo.availability.budget", "5m"],
    ]);
    const month = rulesFeeding(sloRuleGroups(matrix, [slo("latency-seconds")], CTX), [SLO_SERIES.budgetRemaining]);
    expect(records(month)).toEqual([
      "slo:sli_good:rate5m",
      "slo:sli_total:rate5m",
      ...Array(3).fill(["slo:sli_good_month_partition:rate5m", "slo:sli_total_month_partition:rate5m"]).flat(),
      "slo:error_budget:remaining_ratio",
    ]);
    // A gauge SLI's 1h rates are tiles of its 5m rates: those come along.
    const gauge = rulesFeeding(sloRuleGroups(matrix, [slo("digest")], CTX), [SLO_SERIES.budgetRemaining]);
    expect(records(gauge)).toEqual([
      "slo:sli_good:rate5m",
      "slo:sli_total:rate5m",
      "slo:sli_error:rate5m",
      "slo:sli_error:rate1h",
      "slo:sli_total:rate1h",
      "slo:error_budget:remaining_ratio",
    ]);
  });

  it("fails when no rule produces a target", () => {
    expect(() => rulesFeeding(sloRuleGroups(matrix, [slo("events")], CTX), ["slo:nothing", SLO_SERIES.objective])).toThrow(
      /^rulesFeeding: no rule produces slo:nothing \(rules produce: slo:sli_good:rate5m, /,
    );
  });

  it("fails when a phase is not a whole number of steps, naming it", () => {
    expect(phasesPerStep([{ minutes: 60, good: 10, bad: 1 }], 5)).toEqual([{ minutes: 12, good: 50, bad: 5 }]);
    expect(() =>
      phasesPerStep(
        [
          { minutes: 60, good: 1, bad: 0 },
          { minutes: 7, good: 1, bad: 0 },
        ],
        5,
      ),
    ).toThrow("phases[1].minutes must be a multiple of the 5m step, got 7");
  });

  it("fails when two suites share a file name", () => {
    const suite: PromtoolSuite = { name: "x", evaluationInterval: "5m", ruleGroups: [], tests: [] };
    expect(() => suiteFiles([suite, suite])).toThrow("promtool suite names must be unique, got x more than once");
  });
});

describe("promtool: every SLI kind and every period", () => {
  const digest = slo("digest");
  if (digest.kind !== "deadline") throw new Error("fixture");
  const kinds = matrix.slos.filter((s) => s.kind !== "deadline");
  // Budget resets: the counter kinds carry the five periods (their fixture's period). The budget
  // reads the SLI only through its 1h (rolling) or 5m (calendar) rates, which the burn cases read too.
  const resets = ["events", "ratio", "availability", "latency-ms", "latency-seconds"].map(slo);
  const calendar = budgetResetSuite(matrix, slo("latency-seconds"), CTX, seriesOf(slo("latency-seconds"), 300), 1000);
  // A reset read one evaluation early must fail: the checks do see January's outage.
  const early: PromtoolSuite = {
    ...calendar,
    name: "matrix.too-early",
    tests: calendar.tests.map((t) => ({ ...t, promql_expr_test: t.promql_expr_test!.map((p) => ({ ...p, eval_time: "44580m" })) })),
  };
  const suites: PromtoolSuite[] = [
    ...kinds.map((s) => coarseBurnSuite(matrix, s, CTX, seriesOf(s, 300))),
    deadlineSuite(matrix, digest, CTX),
    ...resets.map((s) => (s === slo("latency-seconds") ? calendar : budgetResetSuite(matrix, s, CTX, seriesOf(s, 60), 1000))),
    early,
  ];
  const outputs = new Map<string, string>();

  beforeAll(() => {
    // One promtool call for every file: it prints "Unit Testing:  tests/<file>" then SUCCESS or FAILED per file.
    const { ruleFiles, testFiles } = suiteFiles(suites);
    const tree = writeRuleTree(ruleFiles, testFiles);
    try {
      const run = promtool(["test", "rules", ...testFiles.map((f) => `tests/${f.fileName}`)], tree.dir);
      for (const section of run.output.split(/^Unit Testing:\s+/m).slice(1)) outputs.set(section.slice(0, section.indexOf("\n")).trim(), section);
    } finally {
      tree.remove();
    }
  }, 180_000);

  const expectPassed = (suite: string) => {
    const output = outputs.get(`tests/${suite}.yaml`) ?? `no promtool output for tests/${suite}.yaml`;
    if (!output.includes("SUCCESS")) throw new Error(output);
    expect(output).toContain("SUCCESS");
  };

  it.each(kinds.map((s) => [s.kind, s.name, s.period]))("%s (%s, %s): a full outage fires every severity, the page resolves, 1x never pages", (_k, name) =>
    expectPassed(`matrix.${name}.burn`),
  );

  it("deadline: 2% of a batch missing Monday 09:00 UTC fails the SLO and resolves, 0.5% fires nothing", () => {
    expect(suites.find((s) => s.name === "matrix.digest.deadline")!.tests.map((t) => t.name)).toEqual([
      "matrix/digest: 2% of a batch missing monday 09:00 UTC fails the SLO (warning fires at the deadline, budget at -1), then resolves within 370m",
      "matrix/digest: 0.5% of a batch missing monday 09:00 UTC fires nothing and leaves half the budget",
    ]);
    expectPassed("matrix.digest.deadline");
  });

  it.each(resets.map((s) => [s.period, s.name]))("%s (%s): the budget spent by an outage is whole again once the period moves on", (_p, name) =>
    expectPassed(`matrix.${name}.budget-reset`),
  );

  it("fails when the calendar-month budget is read as whole before 1st 00:00 UTC", () => {
    expect(outputs.get("tests/matrix.too-early.yaml")).toMatch(
      /FAILED:[\s\S]*remaining_ratio\{service=\\"matrix\\",slo=\\"latency-seconds\\"\} == bool 1", time: 30d23h/,
    );
  });
});
