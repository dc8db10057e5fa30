/**
 * Per-alert overrides: applied to the rules and to what their promtool tests expect, proven by
 * promtool; and every override that cannot apply, or would break inhibition, rejected naming its
 * path and value.
 */
import { buildPromtoolTestFiles, buildRuleFiles } from "../../rules";
import { isAlertingRule } from "../../kit/rule-types";
import { parseServiceSpec } from "../../signals/service-spec";
import { CTX } from "../support/context";
import { expectPromtoolTestPasses } from "../support/promtool";
import { specProblems } from "../support/spec-problems";

const queue = (name: string) => ({ name, depthMetric: "depth", ageMetric: "age", slaSeconds: 300, maxDepth: 100 });

/** A worker with two queues and a Redis, no HTTP. */
const worker = {
  name: "worker",
  team: "data",
  namespace: "jobs",
  red: { enabled: false },
  queues: [queue("q_a"), queue("q_b")],
  dependencies: [{ kind: "redis" as const, name: "cache", upMetric: "redis_up" }],
};

const alertsOf = (input: unknown) =>
  buildRuleFiles([parseServiceSpec(input)], CTX)
    .flatMap((f) => f.groups)
    .flatMap((g) => g.rules.filter(isAlertingRule));

describe("applying alertOverrides", () => {
  const overridden = {
    ...worker,
    alertOverrides: [
      { alert: "QueueBacklogHigh", where: { queue: "q_a" }, severity: "critical" as const },
      { alert: "QueueOldestMessageAgeHigh", team: "core" as const },
    ],
  };

  it("changes the severity of the matching rules only, and the team where asked", () => {
    const labels = alertsOf(overridden)
      .filter((a) => a.alert.startsWith("Queue") && a.alert !== "QueueSLABreachForecast")
      .map((a) => [a.alert, a.labels.queue, a.labels.severity, a.labels.team]);
    expect(labels).toEqual([
      ["QueueBacklogHigh", "q_a", "critical", "data"],
      ["QueueOldestMessageAgeHigh", "q_a", "critical", "core"],
      ["QueueBacklogHigh", "q_b", "warning", "data"],
      ["QueueOldestMessageAgeHigh", "q_b", "critical", "core"],
    ]);
  });

  it("leaves the rules as the kinds build them without overrides", () => {
    const plain = alertsOf(worker).find((a) => a.alert === "QueueBacklogHigh" && a.labels.queue === "q_a");
    expect(plain?.labels.severity).toBe("warning");
  });

  it("gives promtool cases that expect the overridden labels, and promtool passes them", () => {
    const spec = parseServiceSpec(overridden);
    const testFiles = buildPromtoolTestFiles([spec], CTX);
    const expected = testFiles
      .flatMap((f) => f.tests)
      .flatMap((g) => g.alert_rule_test ?? [])
      .filter((t) => t.alertname === "QueueBacklogHigh")
      .flatMap((t) => t.exp_alerts.map((a) => `${a.exp_labels.queue}/${a.exp_labels.severity}`));
    expect(expected).toContain("q_a/critical");
    expect(expected).not.toContain("q_a/warning");
    expectPromtoolTestPasses(buildRuleFiles([spec], CTX), testFiles, "worker.yaml");
  });
});

describe("bad alertOverrides", () => {
  const problems = (...alertOverrides: unknown[]) => specProblems({ ...worker, alertOverrides });

  it("fails when the alert is not one the service raises", () => {
    expect(problems({ alert: "QueueBacklogHgh", severity: "critical" })).toEqual([
      'alertOverrides[0].alert must name an alert the service raises (PodRestartingFrequently, QueueBacklogHigh, QueueOldestMessageAgeHigh, QueueSLABreachForecast, RedisDown, RedisEvictions, RedisMemoryNearLimit, RedisRejectedConnections, RedisTooManyClients, TargetScrapeMissing), got "QueueBacklogHgh" (service "worker")',
    ]);
  });

  it("fails when an alert of another kind is named for a service without it", () => {
    expect(problems({ alert: "ServiceHighErrorRate", severity: "critical" })[0]).toMatch(
      /^alertOverrides\[0\]\.alert must name an alert the service raises \(.*\), got "ServiceHighErrorRate" \(service "worker"\)$/,
    );
  });

  it("fails when where names a label the alert's rules do not carry, or matches none of them", () => {
    expect(problems({ alert: "QueueBacklogHigh", where: { route: "/x" }, severity: "critical" })).toEqual([
      'alertOverrides[0].where.route must be a label of the service\'s QueueBacklogHigh rules (queue, service, severity, team), got "/x" (service "worker")',
    ]);
    expect(problems({ alert: "QueueBacklogHigh", where: { queue: "q_c" }, severity: "critical" })).toEqual([
      'alertOverrides[0].where must match a QueueBacklogHigh rule of the service ({queue="q_a", severity="warning"}, {queue="q_b", severity="warning"}), got {"queue":"q_c"} (service "worker")',
    ]);
  });

  it("fails on a severity that is not one of critical, warning, info, and on an override that changes nothing", () => {
    expect(problems({ alert: "QueueBacklogHigh", severity: "page" })).toEqual([
      'alertOverrides[0].severity must be one of critical, warning, info, got "page" (service "worker")',
    ]);
    expect(problems({ alert: "QueueBacklogHigh" })).toEqual([
      'alertOverrides[0] must set severity, team or both, got {"alert":"QueueBacklogHigh"} (service "worker")',
    ]);
  });

  it("fails when a dependency-down alert would be lowered below critical while it mutes its dependents", () => {
    expect(problems({ alert: "RedisDown", severity: "warning" })).toEqual([
      'alertOverrides[0].severity must stay critical for RedisDown: while it fires, every alert of the services depending on the dependency is muted, pages included, so an outage would page nobody, got "warning" (service "worker")',
    ]);
  });

  it("fails when the severity is a tier keyed in the kind's part (the critical mutes the warning)", () => {
    const api = { name: "api", team: "web", namespace: "api", alertOverrides: [{ alert: "ServiceHighErrorRate", severity: "critical" }] };
    expect(specProblems(api)).toEqual([
      'alertOverrides[0].severity cannot be overridden for ServiceHighErrorRate: its severities are the keys of red.errorRatio, tiers of one alert in which the critical mutes the warning; set the severity there, got "critical" (service "api")',
    ]);
  });

  it("accepts a team override of a tiered alert: routing changes, the tiers do not", () => {
    const api = { name: "api", team: "web", namespace: "api", alertOverrides: [{ alert: "ServiceHighErrorRate", team: "core" }] };
    expect(
      alertsOf(api)
        .filter((a) => a.alert === "ServiceHighErrorRate")
        .map((a) => [a.labels.severity, a.labels.team]),
    ).toEqual([["warning", "core"]]);
  });

  it("fails when two overrides set the same field of one rule", () => {
    expect(problems({ alert: "QueueBacklogHigh", severity: "critical" }, { alert: "QueueBacklogHigh", where: { queue: "q_b" }, severity: "info" })).toEqual([
      'alertOverrides[1] must not set the severity alertOverrides[0] sets for QueueBacklogHigh {queue="q_b", severity="warning"}, got {"alert":"QueueBacklogHigh","where":{"queue":"q_b"},"severity":"info"} (service "worker")',
    ]);
  });
});
