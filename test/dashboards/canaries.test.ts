import { buildDashboards, dashboardUid, PLATFORM_FOLDER, type DashboardArtifact } from "../../dashboards";
import { buildCanariesDashboard } from "../../dashboards/canaries";
import { buildServiceDashboard } from "../../dashboards/service-dashboard";
import { metricsRead } from "../../kit/promtool/rule-subset";
import { panelTargets } from "../../kit/dashboards/query-syntax";
import { sharedValue } from "../../signals/canary/dashboard";
import { BLACKBOX_METRICS, RUNNER_METRICS } from "../../signals/canary/metrics";
import { parseServiceSpec } from "../../signals/service-spec";
import { CTX } from "../support/context";

const BASE = "http://shop.shop.svc:8080";
const input = { runbookBaseUrl: CTX.runbookBaseUrl, namespace: "observability" };
const CONTRACT = new Set<string>([...Object.values(RUNNER_METRICS), ...Object.values(BLACKBOX_METRICS)]);

const runnerFlow = {
  name: "checkout",
  description: "a shopper logs in and sees their cart",
  baseUrl: BASE,
  every: "1m",
  steps: [
    { name: "login", request: { method: "POST", url: "/login", body: { user: "canary" } }, extract: { token: "$.token" }, budget: "1s" },
    { name: "cart", request: { url: "/cart", headers: { Authorization: "Bearer {{token}}" } }, budget: "250ms" },
  ],
} as const;
const blackboxFlow = {
  name: "home",
  description: "the home page renders",
  baseUrl: BASE,
  every: "10m",
  budget: "500ms",
  steps: [{ name: "home", request: { url: "/" } }],
};

const service = (name: string, canaries: readonly object[]) => parseServiceSpec({ name, team: "core", namespace: name, canaries });

type Panel = {
  type: string;
  title: string;
  targets?: { expr: string }[];
  links?: { url: string }[];
  fieldConfig?: { defaults?: { thresholds?: { steps: unknown[] } } };
};
const panelsOf = (d: DashboardArtifact) => d.model.panels as Panel[];

/** The panels under the row titled `title`, up to the next row. */
function rowPanels(d: DashboardArtifact, title: string): Panel[] {
  const panels = panelsOf(d);
  const start = panels.findIndex((p) => p.type === "row" && p.title === title);
  if (start < 0) return [];
  const end = panels.findIndex((p, i) => i > start && p.type === "row");
  return panels.slice(start + 1, end < 0 ? undefined : end);
}

describe("the Canaries dashboard", () => {
  const d = buildCanariesDashboard(input);

  it("is a platform dashboard keyed canaries, registered with the others", () => {
    expect([d.key, d.uid, d.title, d.folder]).toEqual(["canaries", dashboardUid("canaries"), "Canaries", PLATFORM_FOLDER]);
    expect(d.uid).toBe("obs-canaries");
    expect(buildDashboards([], input).map((b) => b.uid)).toContain("obs-canaries");
  });

  it("filters by team and service, with values from both engines' series", () => {
    const variables = (d.model.templating as { list: { name: string; definition: string }[] }).list;
    expect(variables.map((v) => v.name)).toEqual(["team", "service"]);
    for (const v of variables) expect(v.definition).toContain('{__name__=~"canary_flow_runs_total|probe_success", job=~"canary-runner|canary"}');
  });

  it("shows every flow's last run, success age, duration against budget, failures by step and reason, runs per hour", () => {
    expect(panelsOf(d).map((p) => p.title)).toEqual([
      "Flows",
      "Last run",
      "Run duration vs budget",
      "Consecutive failures",
      "Step durations",
      "Step failures by reason (per hour)",
      "Probe success",
      "Probe duration",
      "Runs",
      "Last success age",
      "Runs per hour",
      "Failed runs per hour",
    ]);
    const byTitle = (title: string) =>
      panelsOf(d)
        .find((p) => p.title === title)!
        .targets!.map((t) => t.expr);
    expect(byTitle("Step failures by reason (per hour)")).toEqual([
      'sum by (service, canary, step, reason) (increase(canary_step_failures_total{job="canary-runner", team=~"$team", service=~"$service"}[1h]))',
    ]);
    expect(byTitle("Failed runs per hour")[0]).toContain('canary_flow_runs_total{job="canary-runner", result="failure", team=~"$team", service=~"$service"}');
  });

  it("reads only the canary metrics, each query filtered by the team and service variables", () => {
    const targets = panelTargets(panelsOf(d));
    expect(targets.length).toBeGreaterThan(10);
    for (const t of targets) {
      for (const metric of metricsRead(t.expr)) expect({ metric, inContract: CONTRACT.has(metric) }).toEqual({ metric, inContract: true });
      expect(t.expr).toContain('team=~"$team", service=~"$service"');
    }
  });

  it("links the runbooks of the three canary alerts", () => {
    const urls = new Set(panelsOf(d).flatMap((p) => (p.links ?? []).map((l) => l.url)));
    for (const alert of ["CanaryFailing", "CanarySlow", "CanaryNotRunning"]) expect(urls).toContain(`${CTX.runbookBaseUrl}/${alert}.md`);
  });
});

describe("the Canaries row of a service's dashboard", () => {
  it("shows both engines' panels, selected by the service, by canary", () => {
    const d = buildServiceDashboard(service("shop", [runnerFlow, blackboxFlow]), input);
    const panels = rowPanels(d, "Canaries of shop");
    expect(panels.map((p) => p.title)).toEqual([
      "Last run",
      "Run duration vs budget",
      "Consecutive failures",
      "Step durations",
      "Step failures by reason (per hour)",
      "Probe success",
      "Probe duration",
    ]);
    expect(panels[0]!.targets!.map((t) => t.expr)).toEqual([
      'min by (canary) (canary_flow_success{job="canary-runner", service="shop"})',
      // Twice the longest blackbox schedule (10m): a probe once per run is still found.
      'min by (canary) (last_over_time(probe_success{job="canary", service="shop"}[20m]))',
    ]);
    expect(panels.find((p) => p.title === "Step durations")!.targets![0]!.expr).toBe(
      'max by (canary, step) (canary_step_duration_seconds{job="canary-runner", service="shop"})',
    );
  });

  it("draws the budget and failAfterRuns when the flows share them, and no line when they differ", () => {
    const one = rowPanels(buildServiceDashboard(service("one", [blackboxFlow]), input), "Canaries of one");
    expect(one.find((p) => p.title === "Run duration vs budget")!.fieldConfig!.defaults!.thresholds!.steps).toEqual([
      { value: null, color: "green" },
      { value: 0.5, color: "red" },
    ]);
    // A runner flow's steps' budgets are not its run's: only the blackbox flow's 500ms is drawn.
    const stepBudgets = rowPanels(buildServiceDashboard(service("steps", [runnerFlow, blackboxFlow]), input), "Canaries of steps");
    expect(stepBudgets.find((p) => p.title === "Run duration vs budget")!.fieldConfig!.defaults!.thresholds!.steps).toEqual([
      { value: null, color: "green" },
      { value: 0.5, color: "red" },
    ]);
    const two = rowPanels(buildServiceDashboard(service("two", [{ ...runnerFlow, budget: "2s" }, blackboxFlow]), input), "Canaries of two");
    // The runner flow's run budget is 2s, the blackbox flow's 500ms: no one line fits both.
    expect(two.find((p) => p.title === "Run duration vs budget")!.fieldConfig!.defaults!.thresholds!.steps).toEqual([{ value: null, color: "green" }]);
    expect(two.find((p) => p.title === "Consecutive failures")!.fieldConfig!.defaults!.thresholds!.steps).toEqual([
      { value: null, color: "green" },
      { value: 2, color: "red" },
    ]);
  });

  it("leaves out the runner's panels for a service with blackbox flows only, and the row for one without flows", () => {
    const blackboxOnly = rowPanels(buildServiceDashboard(service("probe", [blackboxFlow]), input), "Canaries of probe");
    expect(blackboxOnly.map((p) => p.title)).toEqual(["Last run", "Run duration vs budget", "Probe success", "Probe duration"]);
    const none = buildServiceDashboard(parseServiceSpec({ name: "plain", team: "core", namespace: "plain" }), input);
    expect(panelsOf(none).filter((p) => p.title.startsWith("Canaries"))).toEqual([]);
  });

  it("takes a limit only when every flow has the same one", () => {
    expect(sharedValue([2, 2])).toBe(2);
    expect(sharedValue([0.25, 0.5])).toBeUndefined();
    expect(sharedValue([])).toBeUndefined();
  });
});
