import { parse } from "yaml";
import { generatedFiles } from "../../artifacts/generated-files";
import { stackNames } from "../../main";
import { releasesOf, synthesizeAll } from "./synthesized";

const { artifacts, stacks } = synthesizeAll();
const files = generatedFiles(artifacts);

const prometheusRulesOf = (env: string) =>
  Object.values(stacks.get(stackNames(env).content)!.resource.kubernetes_manifest ?? {})
    .map((r: any) => r.manifest)
    .filter((m: any) => m.kind === "PrometheusRule");

describe("content stack", () => {
  it.each(artifacts.map((a) => [a.profile.name] as const))(
    "%s: every PrometheusRule carries the labels Prometheus' ruleSelector asks for (read from both stacks)",
    (env) => {
      const kps = releasesOf(stacks.get(stackNames(env).platform)!).get("kube-prometheus-stack")!.values;
      const spec = kps.prometheus.prometheusSpec;
      expect(spec.ruleSelectorNilUsesHelmValues).toBe(false);
      // An empty namespace selector selects every namespace, the product's included.
      expect(spec.ruleNamespaceSelector).toEqual({});
      const wanted: Record<string, string> = spec.ruleSelector.matchLabels;
      expect(Object.keys(wanted).length).toBeGreaterThan(0);
      const rules = prometheusRulesOf(env);
      expect(rules.length).toBeGreaterThan(0);
      for (const rule of rules) {
        expect(rule.metadata.labels).toMatchObject(wanted);
      }
    },
  );

  it.each(artifacts.map((a) => [a.profile.name] as const))("%s: deploys exactly the groups written to generated/<env>/rules", (env) => {
    const deployed = Object.fromEntries(prometheusRulesOf(env).map((m: any) => [m.metadata.name, m.spec.groups]));
    const written = Object.fromEntries(
      [...files]
        .filter(([path]) => path.startsWith(`${env}/rules/`) && !path.includes("/tests/"))
        .map(([path, content]) => [`obs-rules-${path.split("/").pop()!.replace(/\.yaml$/, "")}`, parse(content).groups]),
    );
    expect(deployed).toEqual(written);
  });
});
