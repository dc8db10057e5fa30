import { parse } from "yaml";
import { generatedFiles } from "../../artifacts/generated-files";
import { stackNames } from "../../app";
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
        .filter(([path]) => path.startsWith(`${env}/rules/`) && !path.includes("/tests/") && !path.includes("/mimir-ruler/"))
        .map(([path, content]) => [
          `obs-rules-${path
            .split("/")
            .pop()!
            .replace(/\.yaml$/, "")}`,
          parse(content).groups,
        ]),
    );
    expect(deployed).toEqual(written);
  });

  it.each(artifacts.map((a) => [a.profile.name, a.profile.mimir !== undefined] as const))(
    "%s: holds the Mimir ruler's rules ConfigMap exactly where there is Mimir (%s)",
    (env, withMimir) => {
      const configMaps = Object.values<any>(stacks.get(stackNames(env).content)!.resource.kubernetes_config_map_v1 ?? {});
      expect(configMaps.filter((c) => c.metadata.name === "obs-mimir-ruler-rules").length).toBe(withMimir ? 1 : 0);
    },
  );
});

describe("content stack: dashboards", () => {
  const contentOf = (env: string) => stacks.get(stackNames(env).content)!;
  const generatedDashboard = (env: string, uid: string) => files.get(`${env}/dashboards/${uid}.json`)!;

  it("prod (terraform delivery): one Grafana folder per team and the platform, one dashboard per generated file", () => {
    const stack = contentOf("prod") as any;
    const a = artifacts.find((x) => x.profile.name === "prod")!;
    const folders = Object.values<any>(stack.resource.grafana_folder).map((f) => [f.uid, f.title]);
    const teams = [...new Set(a.services.map((s) => s.team))].sort();
    expect(folders.map(([uid]) => uid).sort()).toEqual(["obs-platform", ...teams.map((t) => `obs-${t}`)].sort());
    const deployed = Object.values<any>(stack.resource.grafana_dashboard);
    expect(deployed).toHaveLength(a.dashboards.length);
    for (const d of deployed) {
      const model = JSON.parse(d.config_json);
      expect(model).toEqual(JSON.parse(generatedDashboard("prod", model.uid)));
      expect(d.folder).toMatch(/^\$\{grafana_folder\.[\w-]+\.uid\}$/);
      expect(d.overwrite).toBe(true);
    }
    // No dashboard ConfigMaps: the only one is the Mimir ruler's rules.
    expect(Object.values<any>(stack.resource.kubernetes_config_map_v1).map((c) => c.metadata.name)).toEqual(["obs-mimir-ruler-rules"]);
  });

  it.each([
    ["prod", "grafana_dashboard", "dashboard"],
    ["dev", "kubernetes_config_map_v1", "configmap"],
  ] as const)("%s: keeps the construct ids the dashboards' %s resources were created under, <kind>-<uid>", (env, type, kind) => {
    // Construct ids are API: a changed id replaces the Grafana dashboard or the ConfigMap.
    const a = artifacts.find((x) => x.profile.name === env)!;
    const ids = Object.keys(contentOf(env).resource[type]!).map((id) => id.replace(/^dashboards_(.+)_[0-9A-F]{8}$/, "$1"));
    expect(ids.sort()).toEqual(a.dashboards.map((d) => `${kind}-${d.uid}`).sort());
  });

  it("prod: the Grafana provider's URL comes from the profile and its auth from a sensitive variable, never a literal", () => {
    const stack = contentOf("prod") as any;
    expect(stack.provider.grafana).toEqual([{ url: "https://grafana.example.com", auth: "${var.grafana_auth}" }]);
    expect(stack.variable.grafana_auth).toMatchObject({ type: "string", sensitive: true });
    expect(stack.variable.grafana_auth).not.toHaveProperty("default");
    expect(stack.terraform.required_providers.grafana).toEqual({ source: "grafana/grafana", version: "~> 4.0" });
  });

  it("dev (sidecar delivery): ConfigMaps labelled for the Grafana sidecar instead of Grafana resources", () => {
    const stack = contentOf("dev") as any;
    expect(stack.resource.grafana_dashboard).toBeUndefined();
    expect(stack.resource.grafana_folder).toBeUndefined();
    expect(stack.provider.grafana).toBeUndefined();
    const kps = releasesOf(stacks.get(stackNames("dev").platform)!).get("kube-prometheus-stack")!.values;
    const sidecar = kps.grafana.sidecar.dashboards;
    const maps = Object.values<any>(stack.resource.kubernetes_config_map_v1);
    const a = artifacts.find((x) => x.profile.name === "dev")!;
    expect(maps).toHaveLength(a.dashboards.length);
    for (const map of maps) {
      // The label and value the sidecar of the same environment's Grafana watches for.
      expect(map.metadata.labels[sidecar.label]).toBe(sidecar.labelValue);
      expect(Object.keys(map.metadata.annotations)).toEqual([sidecar.folderAnnotation]);
      const [key, json] = Object.entries<string>(map.data)[0]!;
      const uid = key.replace(/\.json$/, "");
      expect(JSON.parse(json)).toEqual(JSON.parse(generatedDashboard("dev", uid)));
    }
  });
});
