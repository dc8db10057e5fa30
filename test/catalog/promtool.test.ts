import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildPromtoolTestFiles, buildRuleFiles } from "../../rules";
import { parseServiceSpec } from "../../signals/service-spec";
import { type PromtoolTestFile } from "../../kit/promtool/types";
import { type RuleFile } from "../../kit/rule-types";
import { serviceCatalog } from "../../services";
import { CTX } from "../support/context";
import { limited, promtool, promtoolAsync, writeRuleTree } from "../support/promtool";

const ruleFiles: RuleFile[] = buildRuleFiles(serviceCatalog(), CTX);
const testFiles: PromtoolTestFile[] = buildPromtoolTestFiles(serviceCatalog(), CTX);
const tree = writeRuleTree(ruleFiles, testFiles);
afterAll(() => tree.remove());

describe("promtool check rules", () => {
  it.each(ruleFiles.map((f) => f.fileName))("accepts %s", (fileName) => {
    const run = promtool(["check", "rules", fileName], tree.dir);
    expect(run.output).toContain("SUCCESS");
    expect(run.ok).toBe(true);
  });
});

describe("promtool test rules", () => {
  it("has one test file per rule file, reading it by its relative path", () => {
    expect(testFiles.map((f) => [f.fileName, f.rule_files])).toEqual(ruleFiles.map((f) => [f.fileName, [`../${f.fileName}`]]));
  });

  // The files run two at a time, the longest first, started when this file loads: promtool is
  // single-threaded most of the time, and the machine has two cores.
  const longestFirst = [...testFiles].sort((a, b) => JSON.stringify(b).length - JSON.stringify(a).length).map((f) => f.fileName);
  const started = limited(
    longestFirst.map((fileName) => () => promtoolAsync(["test", "rules", `tests/${fileName}`], tree.dir)),
    2,
  );
  // Each is awaited by its test; a failure to start is reported there, not as an unhandled rejection.
  for (const run of started) run.catch(() => undefined);
  const runs = new Map(longestFirst.map((fileName, i) => [fileName, started[i]!]));

  it.each(testFiles.map((f) => f.fileName))(
    "passes tests/%s",
    async (fileName) => {
      const run = await runs.get(fileName)!;
      if (!run.ok) throw new Error(run.output);
      expect(run.output).toContain("SUCCESS");
    },
    180_000,
  );

  it("fails when an alert expression can never fire (the firing case catches it)", () => {
    const tiny = parseServiceSpec({ name: "tiny", team: "core", namespace: "tiny" });
    const broken = writeRuleTree(buildRuleFiles([tiny], CTX), buildPromtoolTestFiles([tiny], CTX));
    try {
      const file = join(broken.dir, "tiny.yaml");
      // An error ratio is never above 1: the rule still parses and checks, but can never fire.
      writeFileSync(file, readFileSync(file, "utf8").replace('ratio_rate5m{service="tiny"} > 0.05', 'ratio_rate5m{service="tiny"} > 1'));
      expect(promtool(["check", "rules", "tiny.yaml"], broken.dir).ok).toBe(true);
      const run = promtool(["test", "rules", "tests/tiny.yaml"], broken.dir);
      expect(run.ok).toBe(false);
      expect(run.output).toMatch(/alertname: ServiceHighErrorRate, time: 11m/);
    } finally {
      broken.remove();
    }
  });
});

describe("latency SLI bucket matching", () => {
  // Go clients write le="1", Python clients le="1.0": one SLI must count both as the same bucket.
  const service = parseServiceSpec({
    name: "mixed",
    team: "core",
    namespace: "mixed",
    slos: [{ name: "latency", kind: "latency", objective: 0.99, latencyThresholdSeconds: 1 }],
  });
  const rules = buildRuleFiles([service], CTX).filter((f) => f.fileName === "mixed.yaml");
  const bucket = (route: string, le: string, perMinute: number) => ({
    series: `http_request_duration_seconds_bucket{job="mixed",route="${route}",le="${le}"}`,
    values: `0+${perMinute}x10`,
  });
  const test: PromtoolTestFile = {
    fileName: "mixed.yaml",
    rule_files: ["../mixed.yaml"],
    evaluation_interval: "1m",
    tests: [
      {
        name: 'le="1" and le="1.0" are the same bucket',
        interval: "1m",
        input_series: [
          bucket("/go", "1", 60),
          bucket("/python", "1.0", 120),
          bucket("/decoy", "100", 6000),
          { series: 'http_request_duration_seconds_count{job="mixed",route="/go"}', values: "0+60x10" },
        ],
        promql_expr_test: [
          // 60 + 120 requests a minute in the 1s bucket = 3/s; the le="100" bucket must not match.
          {
            expr: 'slo:sli_good:rate5m{service="mixed"}',
            eval_time: "5m",
            exp_samples: [{ labels: 'slo:sli_good:rate5m{service="mixed",slo="latency"}', value: 3 }],
          },
        ],
      },
    ],
  };

  it("counts both spellings and nothing else", () => {
    const mixed = writeRuleTree(rules, [test]);
    try {
      const run = promtool(["test", "rules", "tests/mixed.yaml"], mixed.dir);
      if (!run.ok) throw new Error(run.output);
      expect(run.ok).toBe(true);
    } finally {
      mixed.remove();
    }
  });
});
