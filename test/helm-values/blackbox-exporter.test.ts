import { loadProfiles } from "../../environments";
import { BLACKBOX_MODULES, buildBlackboxExporterValues } from "../../helm-values/blackbox-exporter";
import { clusterEndpoints } from "../../helm-values/cluster-endpoints";
import { PROMETHEUS_SELECTOR_LABELS } from "../../helm-values/selector-labels";

const profiles = loadProfiles();
const profileOf = (name: string) => profiles.find((p) => p.name === name)!;

describe("blackbox exporter values", () => {
  it.each([
    ["dev", 1, {}],
    ["staging", 1, {}],
    ["prod", 2, { maxUnavailable: 1 }],
  ] as const)("%s: %d replica(s), PDB %j", (env, replicas, pdb) => {
    const values = buildBlackboxExporterValues(profileOf(env), []);
    expect(values.replicas).toBe(replicas);
    expect(values.podDisruptionBudget).toEqual(pdb);
  });

  it("sets requests and limits from the profile", () => {
    const values = buildBlackboxExporterValues(profileOf("prod"), []);
    expect(values.resources).toEqual({ requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "200m", memory: "128Mi" } });
  });

  it("is reachable in-cluster only, at the address Probe objects use", () => {
    const profile = profileOf("prod");
    const values = buildBlackboxExporterValues(profile, []);
    expect(values.service.type).toBe("ClusterIP");
    expect(values.ingress.enabled).toBe(false);
    expect(clusterEndpoints(profile).blackboxExporterUrl).toBe(`http://${values.fullnameOverride}.${profile.namespace}.svc:${values.service.port}`);
  });

  it("offers the modules probes name, and monitors itself under Prometheus' selector", () => {
    const values = buildBlackboxExporterValues(profileOf("dev"), []);
    expect(Object.keys(values.config.modules).sort()).toEqual(["http_2xx", "http_2xx_json", "tcp_connect"]);
    expect(values.config.modules).toEqual(BLACKBOX_MODULES);
    expect(values.serviceMonitor.selfMonitor).toMatchObject({ enabled: true, labels: PROMETHEUS_SELECTOR_LABELS });
  });
});
