/**
 * A promtool suite: test groups that need a test file of their own, because they run at another
 * evaluation interval than the per-service files (1m) or on a subset of rules, with the rules they
 * run on. Several suites become one rule file and one test file each, and run in one `promtool
 * test rules` call.
 */
import type { Duration } from "../../model/duration";
import type { RuleFile, RuleGroup } from "../rule-types";
import type { PromtoolTestFile, PromtoolTestGroup } from "./types";

export interface PromtoolSuite {
  /** File stem: `<name>.yaml` holds the rules, `tests/<name>.yaml` the tests. Unique among the suites run together. */
  readonly name: string;
  /** The test file's `evaluation_interval`: every group of the rules is evaluated at this step (see promtool-periods.ts). */
  readonly evaluationInterval: Duration;
  readonly ruleGroups: readonly RuleGroup[];
  readonly tests: readonly PromtoolTestGroup[];
}

/** The rule files and test files of suites, as `writeRuleTree` lays them out; throws on a name given twice. */
export function suiteFiles(suites: readonly PromtoolSuite[]): { ruleFiles: RuleFile[]; testFiles: PromtoolTestFile[] } {
  const names = suites.map((s) => s.name);
  const twice = names.filter((n, i) => names.indexOf(n) !== i);
  if (twice.length > 0) throw new Error(`promtool suite names must be unique, got ${[...new Set(twice)].join(", ")} more than once`);
  return {
    ruleFiles: suites.map((s) => ({ fileName: `${s.name}.yaml`, groups: s.ruleGroups })),
    testFiles: suites.map((s) => ({
      fileName: `${s.name}.yaml`,
      rule_files: [`../${s.name}.yaml`],
      evaluation_interval: s.evaluationInterval,
      // A group reads the groups above it at the same step, as the rule files list them.
      group_eval_order: s.ruleGroups.map((g) => g.name),
      tests: s.tests,
    })),
  };
}
