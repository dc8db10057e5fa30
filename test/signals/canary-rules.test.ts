import { buildServiceRuleGroups, serviceRuleFileName } from "../../rules/rule-files";
import { buildServiceTestFile } from "../../rules/promtool-test-files";
import { metricsRead } from "../../kit/promtool/rule-subset";
import type { AlertRuleTest, PromtoolTestGroup } from "../../kit/promtool/types";
import { isAlertingRule, type AlertingRule, type Labels } from "../../kit/rule-types";
import { canaryKind } from "../../signals/canary";
import { BLACKBOX_METRICS, RUNNER_METRICS } from "../../signals/canary/metrics";
import { canaryAlertCases, minuteValues } from "../../signals/canary/promtool";
import { canaryRuleGroups } from "../../signals/canary/rules";
import { parseServiceSpec, type ServiceSpec } from "../../signals/service-spec";
import type { CanarySpec } from "../../signals/canary/spec";
import { CTX } from "../support/context";
import { promtool, writeRuleTree } from "../support/promtool";

const BASE = "http://shop.shop.svc:8080";

/** A runner flow (two steps, a value carried between them) and a blackbox flow (one GET). */
const shop: ServiceSpec = parseServiceSpec({
  name: "shop",
  team: "core",
  namespace: "shop",
  canaries: [
    {
      name: "checkout",
      description: "a shopper logs in and sees their cart",
      baseUrl: BASE,
      every: "1m",
      budget: "2s",
      steps: [
        { name: "login", request: { method: "POST", url: "/login", body: { user: "canary" } }, extract: { token: "$.token" } },
        { name: "cart", request: { url: "/cart", headers: { Authorization: "Bearer {{token}}" } }, budget: "250ms" },
      ],
    },
    {
      name: "home",
      description: "the home page renders",
      baseUrl: BASE,
      every: "2m",
      budget: "1s",
      slowAfterRuns: 2,
      steps: [{ name: "home", request: { url: "/" }, budget: "500ms" }],
    },
  ],
});

const groups = buildServiceRuleGroups(shop, CTX);
const canaryGroup = groups.find((g) => g.name === "shop.canaries")!;
const alerts = canaryGroup.rules.filter(isAlertingRule);
const ruleOf = (alert: string, canary: string): AlertingRule => alerts.find((r) => r.alert === alert && r.labels.canary === canary)!;

const RUNNER_SERIES = (metric: string, extra = "") => `${metric}{job="canary-runner",service="shop",canary="checkout"${extra}}`;
const PROBE_SERIES = (metric: string) => `${metric}{job="canary",service="shop",team="core",canary="home"}`;

/** The other flow running well for 30 minutes, so that only the flow under test can be missing. */
const CHECKOUT_RUNNING = { [RUNNER_SERIES(RUNNER_METRICS.runs, ',result="success"')]: "0+1x30" };
const HOME_RUNNING = { [PROBE_SERIES(BLACKBOX_METRICS.success)]: "1 _ 1 _ 1 _ 1 _ 1 _ 1 _ 1 _ 1 _ 1 _ 1 _ 1 _ 1 _ 1 _ 1 _ 1 _ 1" };

/** The alert of `rule` as promtool reports it: the rule's labels over those its expression yields. */
function firing(rule: AlertingRule, exprLabels: Labels = {}) {
  return { exp_labels: { ...exprLabels, ...rule.labels }, exp_annotations: rule.annotations };
}

/** Checks of one alert: at each minute, the alerts expected to fire (none when empty). */
function checks(alertname: string, byMinute: Record<number, ReturnType<typeof firing>[]>): AlertRuleTest[] {
  return Object.entries(byMinute).map(([minute, exp]) => ({ eval_time: `${minute}m`, alertname, exp_alerts: exp }));
}

function group(name: string, series: Record<string, string>, tests: AlertRuleTest[]): PromtoolTestGroup {
  return { name, interval: "1m", input_series: Object.entries(series).map(([s, values]) => ({ series: s, values })), alert_rule_test: tests };
}

/** Runs promtool on the service's rule file with these test groups; returns its output on failure. */
function runPromtool(tests: readonly PromtoolTestGroup[]): { ok: boolean; output: string } {
  const tree = writeRuleTree(
    [{ fileName: serviceRuleFileName(shop), groups }],
    [{ fileName: "behaviour.yaml", rule_files: [`../${serviceRuleFileName(shop)}`], evaluation_interval: "1m", tests }],
  );
  try {
    return promtool(["test", "rules", "tests/behaviour.yaml"], tree.dir);
  } finally {
    tree.remove();
  }
}

function expectPasses(tests: readonly PromtoolTestGroup[]): void {
  const run = runPromtool(tests);
  if (!run.ok) throw new Error(run.output);
  expect(run.output).toContain("SUCCESS");
}

describe("canary rules", () => {
  it("builds one group, <service>.canaries, with every alert of each flow; CanarySlow only where a budget is", () => {
    expect(groups.filter((g) => g.name === "shop.canaries")).toHaveLength(1);
    expect(alerts.map((r) => [r.alert, r.labels.canary])).toEqual([
      ["CanaryFailing", "checkout"],
      ["CanarySlow", "checkout"],
      ["CanaryNotRunning", "checkout"],
      ["CanaryFailing", "home"],
      ["CanarySlow", "home"],
      ["CanaryNotRunning", "home"],
    ]);
    const noBudget = parseServiceSpec({
      name: "plain",
      team: "core",
      namespace: "plain",
      canaries: [{ name: "home", description: "renders", baseUrl: BASE, every: "1m", steps: [{ name: "home", request: { url: "/" } }] }],
    });
    expect(canaryRuleGroups(noBudget, noBudget.canaries as CanarySpec[], CTX)[0]!.rules.map((r) => (isAlertingRule(r) ? r.alert : r.record))).toEqual([
      "CanaryFailing",
      "CanaryNotRunning",
    ]);
  });

  it("has no group for a service without canaries", () => {
    const none = parseServiceSpec({ name: "plain", team: "core", namespace: "plain" });
    expect(canaryKind.ruleGroups(none, CTX)).toEqual([]);
    expect(buildServiceRuleGroups(none, CTX).map((g) => g.name)).not.toContain("plain.canaries");
  });

  it("labels each alert with service, team, canary and severity, and says what the flow proves", () => {
    expect(ruleOf("CanaryFailing", "checkout").labels).toEqual({ canary: "checkout", service: "shop", severity: "critical", team: "core" });
    expect(ruleOf("CanarySlow", "home").labels).toEqual({ canary: "home", service: "shop", severity: "warning", team: "core" });
    expect(ruleOf("CanaryNotRunning", "home").labels).toEqual({ canary: "home", service: "shop", severity: "warning", team: "core" });
    expect(ruleOf("CanaryFailing", "checkout").annotations.description).toContain("a shopper logs in and sees their cart");
    expect(ruleOf("CanaryNotRunning", "home").annotations.description).toContain("the home page renders");
    expect(ruleOf("CanarySlow", "checkout").annotations.runbook_url).toBe("https://runbooks.example.com/observability/CanarySlow.md");
    for (const rule of alerts) expect(rule).not.toHaveProperty("for");
  });

  it("keeps a flow's description from being read as a template", () => {
    const templated = parseServiceSpec({
      name: "tpl",
      team: "core",
      namespace: "tpl",
      canaries: [{ name: "home", description: "GET / with {{token}}", baseUrl: BASE, every: "1m", steps: [{ name: "home", request: { url: "/" } }] }],
    });
    const [rule] = canaryRuleGroups(templated, templated.canaries as CanarySpec[], CTX)[0]!.rules.filter(isAlertingRule);
    expect(rule!.annotations.description).toContain("GET / with { {token} }");
  });

  it("reads only the series of the metrics contract, by the flow's job, service and canary, and never the wall clock", () => {
    const contract = new Set<string>([...Object.values(RUNNER_METRICS), ...Object.values(BLACKBOX_METRICS)]);
    for (const rule of alerts) {
      for (const metric of metricsRead(rule.expr))
        expect({ rule: rule.alert, metric, inContract: contract.has(metric) }).toEqual({ rule: rule.alert, metric, inContract: true });
      expect(rule.expr).not.toMatch(/\btime\(\)|@/);
    }
    expect(ruleOf("CanaryFailing", "checkout").expr).toContain('canary_flow_consecutive_failures{job="canary-runner",service="shop",canary="checkout"}');
    expect(ruleOf("CanaryFailing", "home").expr).toContain('probe_success{job="canary",service="shop",canary="home"}[4m]');
    // The smaller of the flow's budget (1s) and its step's (500ms).
    expect(ruleOf("CanarySlow", "home").expr).toContain("> 0.5");
    expect(ruleOf("CanaryNotRunning", "checkout").expr).toContain('canary_flow_runs_total{job="canary-runner",service="shop",canary="checkout"}[2m]');
  });

  it("writes fixture values in promtool's expanding notation", () => {
    expect(minuteValues((m) => [1, 1, 1, undefined, 2, 3, 4][m], 6)).toBe("1+0x2 _ 2+1x2");
    expect(minuteValues((m) => (m % 5 === 0 ? 1 : undefined), 10)).toBe("1 _x4 1 _x4 1");
    expect(minuteValues((m) => 5 - m, 3)).toBe("5-1x3");
  });

  it("fails when a flow's schedule is not whole minutes, naming the flow", () => {
    const fast = parseServiceSpec({
      name: "fast",
      team: "core",
      namespace: "fast",
      canaries: [{ name: "ping", description: "answers", baseUrl: BASE, every: "30s", steps: [{ name: "ping", request: { url: "/" } }] }],
    });
    expect(() => canaryAlertCases(fast, fast.canaries as CanarySpec[], CTX, 60)).toThrow(
      /^canary fixtures need a schedule of whole minutes, got every 30s \(service "fast", canary "ping"\)$/,
    );
  });
});

describe("canary rules under promtool", () => {
  /** Longer schedules and thresholds: a 10m blackbox flow failing after 3 runs, a 5m runner flow. */
  const slowSchedules = parseServiceSpec({
    name: "feed",
    team: "social",
    namespace: "feed",
    canaries: [
      {
        name: "front",
        description: "the front page renders",
        baseUrl: BASE,
        every: "10m",
        failAfterRuns: 3,
        budget: "3s",
        steps: [{ name: "front", request: { url: "/" } }],
      },
      {
        name: "post",
        description: "a post is created and shows in the feed",
        baseUrl: BASE,
        every: "5m",
        writes: true,
        slowAfterRuns: 4,
        steps: [
          { name: "create", request: { method: "POST", url: "/posts", body: { text: "canary" } }, extract: { id: "$.id" } },
          { name: "shows", request: { url: "/feed" }, poll: { within: "1m", until: [{ path: "$.items[0].id", equals: "{{id}}" }] }, budget: "30s" },
        ],
      },
    ],
  });

  it.each([
    ["shop", shop, 6],
    ["feed", slowSchedules, 6],
  ])("passes %s's generated test file: a firing case for every alert of every flow, and a healthy group", (_name, service, cases) => {
    const testFile = buildServiceTestFile(service, CTX);
    expect(testFile.tests.map((t) => t.name).filter((n) => n.startsWith("Canary"))).toHaveLength(cases);
    const tree = writeRuleTree([{ fileName: serviceRuleFileName(service), groups: buildServiceRuleGroups(service, CTX) }], [testFile]);
    try {
      const run = promtool(["test", "rules", `tests/${testFile.fileName}`], tree.dir);
      if (!run.ok) throw new Error(run.output);
      expect(run.output).toContain("SUCCESS");
    } finally {
      tree.remove();
    }
  });

  describe("a runner flow (every 1m, failAfterRuns 2, slowAfterRuns 3)", () => {
    const failing = firing(ruleOf("CanaryFailing", "checkout"), { service: "shop", canary: "checkout" });
    const slow = firing(ruleOf("CanarySlow", "checkout"), { service: "shop", canary: "checkout" });
    const notRunning = firing(ruleOf("CanaryNotRunning", "checkout"), { service: "shop", canary: "checkout" });

    it("fires CanaryFailing on the second failed run in a row, not the first, and resolves on a passing run", () => {
      expectPasses([
        group(
          "one failed run, then two, then a pass",
          { [RUNNER_SERIES(RUNNER_METRICS.consecutiveFailures)]: "0 0 1 0 1 2 2 0 0" },
          checks("CanaryFailing", { 1: [], 2: [], 3: [], 4: [], 5: [failing], 6: [failing], 7: [], 8: [] }),
        ),
      ]);
    });

    it("fires CanarySlow on the third slow run in a row, not the second, and resolves on a run within budget", () => {
      expectPasses([
        group(
          "two slow runs, a fast one, three slow runs, a fast one",
          { [RUNNER_SERIES(RUNNER_METRICS.consecutiveSlowRuns)]: "0 1 2 0 1 2 3 0" },
          checks("CanarySlow", { 2: [], 3: [], 5: [], 6: [slow], 7: [] }),
        ),
      ]);
    });

    it("fires CanaryNotRunning once the stopped runner's series have been gone for twice the schedule, not before", () => {
      expectPasses([
        group(
          "a run a minute until minute 5, then no series",
          { ...HOME_RUNNING, [RUNNER_SERIES(RUNNER_METRICS.runs, ',result="success"')]: "0+1x5" },
          checks("CanaryNotRunning", { 5: [], 6: [], 7: [], 8: [notRunning], 12: [notRunning] }),
        ),
      ]);
    });

    it("fires CanaryNotRunning when no run finishes for twice the schedule while the runner is scraped, and resolves when runs resume", () => {
      expectPasses([
        group(
          "runs until minute 3, none until minute 7, then one a minute",
          { ...HOME_RUNNING, [RUNNER_SERIES(RUNNER_METRICS.runs, ',result="success"')]: "0 1 2 3 3 3 3 4 5 6" },
          checks("CanaryNotRunning", { 3: [], 4: [], 5: [notRunning], 6: [notRunning], 7: [], 9: [] }),
        ),
      ]);
    });

    it("does not fire CanaryNotRunning while a run finishes every minute", () => {
      expectPasses([
        group(
          "a run a minute",
          {
            ...HOME_RUNNING,
            [RUNNER_SERIES(RUNNER_METRICS.runs, ',result="success"')]: "0+1x30",
            [RUNNER_SERIES(RUNNER_METRICS.runs, ',result="failure"')]: "0+0x30",
          },
          checks("CanaryNotRunning", { 2: [], 10: [], 30: [] }),
        ),
      ]);
    });
  });

  describe("a blackbox flow (every 2m, one sample per run, failAfterRuns 2, slowAfterRuns 2, budget 500ms)", () => {
    const failing = firing(ruleOf("CanaryFailing", "home"), { service: "shop", canary: "home" });
    const slow = firing(ruleOf("CanarySlow", "home"), { service: "shop", canary: "home" });
    const notRunning = firing(ruleOf("CanaryNotRunning", "home"), { job: "canary", service: "shop", canary: "home" });

    it("does not fire CanaryFailing on one failed probe", () => {
      expectPasses([
        group(
          "probes at even minutes, the one of minute 4 fails",
          { [PROBE_SERIES(BLACKBOX_METRICS.success)]: "1 _ 1 _ 0 _ 1 _ 1 _ 1" },
          checks("CanaryFailing", { 4: [], 5: [], 6: [], 7: [], 8: [], 10: [] }),
        ),
      ]);
    });

    it("fires CanaryFailing once two probes in a row failed, and resolves with the next passing probe", () => {
      expectPasses([
        group(
          "the probes of minutes 4 and 6 fail, the one of minute 8 passes",
          { [PROBE_SERIES(BLACKBOX_METRICS.success)]: "1 _ 1 _ 0 _ 0 _ 1 _ 1" },
          // At minute 6 the window of two runs (4m) still holds the passing probe of minute 2 on its
          // closed left edge; one evaluation later only the two failed ones.
          checks("CanaryFailing", { 5: [], 6: [], 7: [failing], 8: [], 10: [] }),
        ),
      ]);
    });

    it("does not fire CanaryFailing on failed probes fewer than failAfterRuns, as when the probe has just started", () => {
      expectPasses([
        group("the first probe fails, at minute 0", { [PROBE_SERIES(BLACKBOX_METRICS.success)]: "0 _ 1" }, checks("CanaryFailing", { 0: [], 1: [] })),
      ]);
    });

    it("fires CanarySlow once two probes in a row exceed the smaller budget (500ms, not the flow's 1s), not on one, and resolves", () => {
      expectPasses([
        group(
          "0.7s probes at minutes 2, 6 and 8, 0.2s otherwise",
          { [PROBE_SERIES(BLACKBOX_METRICS.duration)]: "0.2 _ 0.7 _ 0.2 _ 0.7 _ 0.7 _ 0.2 _ 0.2" },
          checks("CanarySlow", { 2: [], 3: [], 4: [], 8: [], 9: [slow], 10: [], 12: [] }),
        ),
      ]);
    });

    it("fires CanaryNotRunning once no probe was recorded for twice the schedule, not before, and resolves when probes resume", () => {
      expectPasses([
        group(
          "probes until minute 4, none until minute 12",
          { ...CHECKOUT_RUNNING, [PROBE_SERIES(BLACKBOX_METRICS.success)]: "1 _ 1 _ 1 _x7 1 _ 1" },
          checks("CanaryNotRunning", { 4: [], 7: [], 8: [], 9: [notRunning], 11: [notRunning], 12: [], 14: [] }),
        ),
      ]);
    });
  });

  it("fails when the expected alert does not fire (promtool reports the difference)", () => {
    const failing = firing(ruleOf("CanaryFailing", "checkout"), { service: "shop", canary: "checkout" });
    const run = runPromtool([
      group("one failed run", { [RUNNER_SERIES(RUNNER_METRICS.consecutiveFailures)]: "0 1 1" }, checks("CanaryFailing", { 2: [failing] })),
    ]);
    expect(run.ok).toBe(false);
    expect(run.output).toContain("CanaryFailing");
  });
});
