/**
 * The README's Canaries section: its example loads as a service file would, becomes a runner
 * flow with its alerts, and the bad-flow errors it shows are the ones synth prints.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { buildAllArtifacts } from "../../app";
import { isAlertingRule } from "../../kit/rule-types";
import { serviceCatalog } from "../../services";
import { parseServiceSpec, ServiceSpecError, type ServiceSpecInput } from "../../signals/service-spec";

const ROOT = path.resolve(__dirname, "../..");
const section = () => {
  const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
  const start = readme.indexOf("## Canaries");
  return readme.slice(start, readme.indexOf("\n## ", start + 1));
};

/** The section's ts example, loaded as services/<file> would be. */
let loaded = 0;
function loadExample(source: string): ServiceSpecInput {
  // A new name each time: require caches a module by its path.
  const file = path.join(ROOT, "services", `readme-canary-${process.pid}-${loaded++}.ts`);
  fs.writeFileSync(file, source);
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return Object.values(require(file) as Record<string, ServiceSpecInput>)[0]!;
  } finally {
    fs.rmSync(file, { force: true });
  }
}

const example = () => /```ts\n([\s\S]*?)```/.exec(section())![1]!;

describe("README, Canaries", () => {
  it("its example is a runner flow with its Secret reference and three alerts, in every environment", () => {
    const spec = parseServiceSpec(loadExample(example()));
    const environments = buildAllArtifacts(undefined, [...serviceCatalog(), spec]);
    for (const env of environments) {
      const flow = env.canaryRunner.config.flows.find((f) => f.service === "checkout");
      expect({ env: env.profile.name, every: flow?.everySeconds, credentials: flow?.credentials, steps: flow?.steps.map((s) => s.name) }).toEqual({
        env: env.profile.name,
        every: 300,
        credentials: { password: { secret: "canary-checkout", key: "password" } },
        steps: ["login", "cart"],
      });
      const alerts = env.ruleFiles
        .find((f) => f.fileName === "checkout.yaml")!
        .groups.flatMap((g) => g.rules.filter(isAlertingRule))
        .filter((r) => r.labels.canary === "login")
        .map((r) => r.alert);
      expect(alerts.sort()).toEqual(["CanaryFailing", "CanaryNotRunning", "CanarySlow"]);
    }
  });

  it("shows the errors synth gives for a placeholder nothing fills, a budget of 0 and an inline credential", () => {
    const shown = /```\n(invalid service spec[\s\S]*?)```/.exec(section())![1]!.trimEnd().split("\n");
    const bad = example()
      .replace("Bearer {{token}}", "Bearer {{tokn}}")
      .replace('budget: "250ms"', 'budget: "0s"')
      .replace('password: { secret: "canary-checkout", key: "password" }', 'password: "hunter2"');
    let error: unknown;
    try {
      parseServiceSpec(loadExample(bad));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ServiceSpecError);
    const message = (error as Error).message;
    expect(message).not.toContain("hunter2");
    expect(message.split("\n").sort()).toEqual([...shown].sort());
  });
});
