import { Testing } from "cdktf";
import { parse } from "yaml";
import { buildEnvironmentArtifacts } from "../../artifacts/environment-artifacts";
import { generatedFiles } from "../../artifacts/generated-files";
import { MimirRulerRules } from "../../constructs/mimir-ruler-rules";
import { loadProfiles } from "../../environments";
import type { RuleFile } from "../../kit/rule-types";
import { ledger } from "../signals/slo-kinds-fixture";

const [prod] = loadProfiles(["prod"]);

function synthConfigMaps(ruleFiles: readonly RuleFile[]): any[] {
  const json = JSON.parse(
    Testing.synthScope((scope) => {
      new MimirRulerRules(scope, "mimir-ruler-rules", { namespace: "observability", tenant: "platform", ruleFiles });
    }),
  );
  return Object.values(json.resource.kubernetes_config_map_v1 ?? {});
}

describe("MimirRulerRules", () => {
  it("holds one key per ruler rule file, exactly the groups generated/<env>/rules/mimir-ruler/<tenant>/ shows", () => {
    const artifacts = buildEnvironmentArtifacts(prod!, [ledger]);
    const [configMap] = synthConfigMaps(artifacts.rulerRuleFiles);
    expect(configMap.metadata).toEqual({
      name: "obs-mimir-ruler-rules",
      namespace: "observability",
      labels: { "app.kubernetes.io/managed-by": "observability-stack", "observability.stack/mimir-tenant": "platform" },
    });
    expect(Object.keys(configMap.data)).toEqual(["ledger.yaml"]);
    const written = generatedFiles([artifacts]).get("prod/rules/mimir-ruler/platform/ledger.yaml")!;
    expect(parse(configMap.data["ledger.yaml"])).toEqual(parse(written));
    expect(parse(written).groups.map((g: any) => g.name)).toEqual(["ledger.slo.import-duration.budget", "ledger.slo.sync-freshness.budget"]);
  });

  it("is created empty when no group needs the ruler, so the ruler's mount has its source", () => {
    const [configMap] = synthConfigMaps([]);
    expect(configMap.metadata.name).toBe("obs-mimir-ruler-rules");
    expect(configMap.data ?? {}).toEqual({});
  });

  it("fails when the files outgrow one ConfigMap, naming the size, the ConfigMap and the tenant", () => {
    const huge: RuleFile = { fileName: "big.yaml", groups: [{ name: "big", rules: [{ record: "x", expr: `vector(1) + ${"0 + ".repeat(300_000)}0` }] }] };
    expect(() => synthConfigMaps([huge])).toThrow(
      /^ruleFiles must fit one ConfigMap \(1048576 bytes\), got \d+ bytes in 1 files \(ConfigMap "obs-mimir-ruler-rules", tenant "platform"\)$/,
    );
  });
});
