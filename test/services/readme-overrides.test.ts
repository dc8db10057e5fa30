/** The README's "Alert overrides and threshold tiers" example: it validates and raises what the README says. */
import * as fs from "node:fs";
import * as path from "node:path";
import { isAlertingRule } from "../../kit/rule-types";
import { buildServiceRuleGroups } from "../../rules";
import { parseServiceSpec, type ServiceSpecInput } from "../../signals/service-spec";
import { CTX } from "../support/context";

const ROOT = path.resolve(__dirname, "../..");
const README = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
const SECTION = README.slice(README.indexOf("## Alert overrides and threshold tiers"), README.indexOf("## Reviewing a change"));

function loadExample(): ServiceSpecInput {
  const code = /```ts\n([\s\S]*?)```/.exec(SECTION)![1]!;
  const file = path.join(ROOT, "services", `readme-overrides-${process.pid}.ts`);
  fs.writeFileSync(file, code);
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return Object.values(require(file) as Record<string, ServiceSpecInput>)[0]!;
  } finally {
    fs.rmSync(file, { force: true });
  }
}

describe("the README's overrides and tiers example", () => {
  const alerts = buildServiceRuleGroups(parseServiceSpec(loadExample()), CTX).flatMap((g) => g.rules.filter(isAlertingRule));

  it("pages on the imports backlog", () => {
    expect(alerts.filter((a) => a.alert === "QueueBacklogHigh").map((a) => [a.labels.queue, a.labels.severity])).toEqual([["imports", "critical"]]);
  });

  it("raises one tier alert per level, labelled with its tier", () => {
    const tiers = alerts.filter((a) => a.labels.threshold !== undefined).map((a) => [a.alert, a.labels.threshold, a.labels.severity, a.for ?? "0s"]);
    expect(tiers).toEqual([
      ["HttpLatencyThresholdExceeded", "api-v1-p95", "warning", "0s"],
      ["HttpErrorRateThresholdExceeded", "errors", "warning", "5m"],
      ["HttpErrorRateThresholdExceeded", "errors", "critical", "10m"],
    ]);
  });

  it("shows the error line synth prints for a dependency-down alert lowered below critical", () => {
    const line = /```\n {2}- (alertOverrides\[0\]\.severity must stay critical[^\n]*)\n```/.exec(SECTION)![1]!;
    const workers = {
      name: "workers",
      team: "data",
      namespace: "workers",
      red: { enabled: false },
      dependencies: [{ kind: "redis", name: "core-redis", upMetric: "redis_up" }],
      alertOverrides: [{ alert: "RedisDown", severity: "warning" }],
    };
    expect(() => parseServiceSpec(workers)).toThrow(line);
  });
});
