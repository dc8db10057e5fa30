/**
 * Threshold tiers of the http kind on a small fixture: the rules they build, promtool proving each
 * level fires above its threshold and each tier stays quiet below, and bad tiers rejected with
 * path and value.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildPromtoolTestFiles, buildRuleFiles } from "../../rules";
import { isAlertingRule } from "../../kit/rule-types";
import { parseServiceSpec } from "../../signals/service-spec";
import { CTX } from "../support/context";
import { expectPromtoolTestPasses, promtool, writeRuleTree } from "../support/promtool";
import { specProblems } from "../support/spec-problems";

const api = {
  name: "api",
  team: "web",
  namespace: "api",
  metrics: { buckets: [0.05, 0.1, 0.2, 0.4, 0.45, 0.8, 1.6] },
  red: {
    thresholds: [
      {
        name: "api-v1-p95",
        kind: "latency" as const,
        routes: ["/api/v1/*"],
        levels: { warning: { maxSeconds: 0.45 }, critical: { maxSeconds: 0.8, for: "5m" } },
      },
      { name: "errors-2pct", kind: "errors" as const, window: "5m", levels: { warning: { maxRatio: 0.02, for: "5m" } } },
    ],
  },
};

const tierRules = (input: unknown) =>
  buildRuleFiles([parseServiceSpec(input)], CTX)
    .flatMap((f) => f.groups)
    .flatMap((g) => g.rules.filter(isAlertingRule))
    .filter((r) => r.labels.threshold !== undefined);

describe("threshold tiers", () => {
  it("builds one rule per level, reading the tier's routes over its window, labelled with the tier", () => {
    expect(tierRules(api).map((r) => [r.alert, r.labels.threshold, r.labels.severity, r.for ?? "0s", r.expr])).toEqual([
      [
        "HttpLatencyThresholdExceeded",
        "api-v1-p95",
        "warning",
        "0s",
        '(histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{job="api",route=~"/api/v1/.*"}[5m]))) > 0.45)\nand on ()\nsum(rate(http_requests_total{job="api",route=~"/api/v1/.*"}[5m])) >= 0.1',
      ],
      [
        "HttpLatencyThresholdExceeded",
        "api-v1-p95",
        "critical",
        "5m",
        '(histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{job="api",route=~"/api/v1/.*"}[5m]))) > 0.8)\nand on ()\nsum(rate(http_requests_total{job="api",route=~"/api/v1/.*"}[5m])) >= 0.1',
      ],
      [
        "HttpErrorRateThresholdExceeded",
        "errors-2pct",
        "warning",
        "5m",
        '(sum(rate(http_requests_total{job="api",code=~"5.."}[5m]))\n/\nsum(rate(http_requests_total{job="api"}[5m])) > 0.02)\nand on ()\nsum(rate(http_requests_total{job="api"}[5m])) >= 0.1',
      ],
    ]);
  });

  it("escapes exact routes and ORs them with prefixes", () => {
    const one = { ...api, red: { thresholds: [{ name: "t", kind: "errors", routes: ["/v1/items/{id}", "/v2/*"], levels: { warning: { maxRatio: 0.1 } } }] } };
    expect(tierRules(one)[0]!.expr).toContain('route=~"/v1/items/\\\\{id\\\\}|/v2/.*"');
  });

  describe("promtool", () => {
    const spec = parseServiceSpec(api);
    const ruleFiles = buildRuleFiles([spec], CTX);
    const testFiles = buildPromtoolTestFiles([spec], CTX);
    const tests = testFiles.flatMap((f) => f.tests).map((t) => t.name);

    it("has a firing case per level and a quiet group per tier", () => {
      expect(tests.filter((n) => n.includes("api-v1-p95") || n.includes("errors-2pct"))).toEqual([
        "HttpLatencyThresholdExceeded (api-v1-p95, warning) fires 0s after its value (1.56) crosses 0.45 on /api/v1/fixture",
        "HttpLatencyThresholdExceeded (api-v1-p95, critical) fires 5m after its value (1.6) crosses 0.8 on /api/v1/fixture",
        "HttpErrorRateThresholdExceeded (errors-2pct, warning) fires 5m after its value (0.51) crosses 0.02 on /fixture",
        "HttpLatencyThresholdExceeded (api-v1-p95) stays quiet for 60m at 0.4475, below its lowest threshold 0.45, on /api/v1/fixture",
        "HttpErrorRateThresholdExceeded (errors-2pct) stays quiet for 60m at 0.01, below its lowest threshold 0.02, on /fixture",
      ]);
    });

    it("passes: every level fires above its threshold, every tier stays quiet below", () => {
      expectPromtoolTestPasses(ruleFiles, testFiles, "api.yaml");
    });

    it("fails when a tier's threshold is lower than declared (the quiet group catches it)", () => {
      const tree = writeRuleTree(ruleFiles, testFiles);
      try {
        const file = join(tree.dir, "api.yaml");
        writeFileSync(file, readFileSync(file, "utf8").replace("> 0.45", "> 0.3"));
        const run = promtool(["test", "rules", "tests/api.yaml"], tree.dir);
        expect(run.ok).toBe(false);
        expect(run.output).toContain('count_over_time(ALERTS{alertname=\\"HttpLatencyThresholdExceeded\\",service=\\"api\\",threshold=\\"api-v1-p95\\"}[60m])');
      } finally {
        tree.remove();
      }
    });
  });

  describe("bad tiers", () => {
    const problems = (thresholds: unknown[]) => specProblems({ ...api, red: { thresholds } });

    it("fails when a latency threshold is outside the histogram's buckets", () => {
      expect(problems([{ name: "t", kind: "latency", levels: { warning: { maxSeconds: 2 } } }])).toEqual([
        'red.thresholds[0].levels.warning.maxSeconds must be within the histogram\'s buckets [0.05, 1.6), or the quantile can never cross it, got 2 (service "api")',
      ]);
    });

    it("fails on a duplicate name, a * inside a route and a tier without levels", () => {
      const level = { warning: { maxRatio: 0.1 } };
      expect(
        problems([
          { name: "t", kind: "errors", levels: level },
          { name: "t", kind: "errors", routes: ["/a/*/b"], levels: level },
          { name: "u", kind: "errors", levels: {} },
        ]),
      ).toEqual([
        'red.thresholds[1].routes[0] must be a route, or a route prefix ending in a single * such as /api/v1/*, got "/a/*/b" (service "api")',
        'red.thresholds[2].levels must give at least one severity, got {} (service "api")',
        'red.thresholds[1].name must be unique among the service\'s threshold tiers, got "t" (service "api")',
      ]);
      expect(
        problems([
          { name: "t", kind: "errors", levels: level },
          { name: "t", kind: "errors", levels: level },
        ]),
      ).toEqual(['red.thresholds[1].name must be unique among the service\'s threshold tiers, got "t" (service "api")']);
    });

    it("fails on an unknown kind", () => {
      expect(problems([{ name: "t", kind: "saturation", levels: {} }])[0]).toMatch(/^red\.thresholds\[0\]\.kind .*got "saturation" \(service "api"\)$/);
    });
  });
});
