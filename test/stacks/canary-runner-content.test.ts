/**
 * The canary runner as the stacks deploy it, read from the synthesized Terraform JSON: its objects
 * in the content stack where a runner flow runs, exactly what generated/<env>/canaries/runner.yaml
 * shows, and the Secrets its flows and the blackbox flows read checked by the platform stack.
 */
import { Testing } from "cdktf";
import { parseAllDocuments } from "yaml";
import { addEnvironmentStacks, buildAllArtifacts, stackNames } from "../../app";
import { generatedFiles } from "../../artifacts/generated-files";
import { PROFILE_INPUTS } from "../../environments";
import { SERVICES } from "../../services";
import { checkoutFlow, searchFlow, shopService } from "../monitors/canary-fixtures";
import { releasesOf, secretChecksOf, type StackJson } from "./synthesized";

const artifacts = buildAllArtifacts(PROFILE_INPUTS, [...SERVICES, shopService([searchFlow, checkoutFlow])]);
const app = addEnvironmentStacks(Testing.app(), artifacts);
const files = generatedFiles(artifacts);
const synthesized = new Map<string, StackJson>();
/** One stack's Terraform JSON, synthesized once. */
function stack(name: string): StackJson {
  if (!synthesized.has(name)) synthesized.set(name, JSON.parse(Testing.synth(app.node.findChild(name) as any)) as StackJson);
  return synthesized.get(name)!;
}
const manifestsOf = (env: string): any[] => Object.values<any>(stack(stackNames(env).content).resource.kubernetes_manifest ?? {}).map((r) => r.manifest);
const runnerObjectsOf = (env: string) => manifestsOf(env).filter((m) => m.metadata.name === "canary-runner");

describe("content stack: the canary runner", () => {
  it("dev (writing flows allowed): applies the runner's ConfigMap, Deployment, Service and ServiceMonitor", () => {
    expect(runnerObjectsOf("dev").map((m) => m.kind)).toEqual(["ConfigMap", "Deployment", "Service", "ServiceMonitor"]);
    const flows = JSON.parse(runnerObjectsOf("dev").find((m) => m.kind === "ConfigMap").data["flows.json"]).flows;
    expect(flows.filter((f: any) => f.service === "shop").map((f: any) => [f.canary, f.everySeconds])).toEqual([["checkout", 300]]);
  });

  it("dev: deploys exactly the objects written to generated/dev/canaries/runner.yaml", () => {
    const written = parseAllDocuments(files.get("dev/canaries/runner.yaml")!).map((d) => d.toJSON());
    expect(runnerObjectsOf("dev")).toEqual(written);
  });

  it("prod (no writing flows): the writing flow is not in the runner's config", () => {
    const configMap = runnerObjectsOf("prod").find((m) => m.kind === "ConfigMap");
    const flows = configMap === undefined ? [] : JSON.parse(configMap.data["flows.json"]).flows;
    expect(flows.filter((f: any) => f.service === "shop")).toEqual([]);
  });

  it.each(["dev", "prod"])("%s: applies the blackbox flow's Probe with its own module", (env) => {
    const probe = manifestsOf(env).find((m) => m.kind === "Probe" && m.metadata.name === "shop-canary-search");
    expect(probe.spec).toMatchObject({ jobName: "canary", module: "canary_shop_search", interval: "1m" });
  });
});

describe("platform stack: the Secrets canary flows read", () => {
  it("dev: checks the runner's Secret and the blackbox exporter's token Secret, and the blackbox release waits for its check", () => {
    const platform = stack(stackNames("dev").platform);
    const checks = secretChecksOf(platform);
    expect(checks.get("shop-canary-login")!.check.lifecycle.postcondition.map((p: any) => p.error_message)).toEqual([
      expect.stringContaining('Secret "shop-canary-login" not found in namespace "observability": canary-runner reads it. Create it with keys password, user'),
      expect.stringContaining('has no key "password"'),
      expect.stringContaining('has no key "user"'),
    ]);
    const token = checks.get("shop-canary-token")!;
    expect(token.check.lifecycle.postcondition[0].error_message).toContain("blackbox-exporter reads it. Create it with key token");
    const blackbox = Object.values<any>(platform.resource.helm_release!).find((r) => r.name === "blackbox-exporter");
    expect(blackbox.depends_on).toContain(token.address);
    expect(releasesOf(platform).get("blackbox-exporter")!.values.extraSecretMounts).toEqual([
      expect.objectContaining({ secretName: "shop-canary-token", readOnly: true }),
    ]);
  });

  it("prod: no check of the writing flow's Secret, which does not run there", () => {
    const checks = secretChecksOf(stack(stackNames("prod").platform));
    expect(checks.has("shop-canary-token")).toBe(true);
    expect(checks.has("shop-canary-login")).toBe(false);
  });
});
