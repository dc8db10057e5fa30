import { loadProfiles } from "../../environments";
import { buildGrafanaDatasources } from "../../helm-values/grafana-datasources";
import { buildKubePrometheusStackValues } from "../../helm-values/kube-prometheus-stack";
import { PROMETHEUS_SELECTOR_LABELS } from "../../helm-values/selector-labels";

const profiles = loadProfiles();
const valuesOf = (name: string) => {
  const profile = profiles.find((p) => p.name === name)!;
  return buildKubePrometheusStackValues(profile, { alertmanagerConfig: { route: { receiver: "x" } }, datasources: buildGrafanaDatasources(profile) });
};

describe("kube-prometheus-stack values", () => {
  it.each([
    ["dev", 1, "2d", 1, false],
    ["staging", 2, "7d", 2, true],
    ["prod", 2, "15d", 3, true],
  ] as const)("%s: Prometheus x%d keeping %s, Alertmanager x%d, PDBs %s", (env, promReplicas, retention, amReplicas, pdb) => {
    const values = valuesOf(env);
    expect(values.prometheus.prometheusSpec).toMatchObject({ replicas: promReplicas, retention });
    expect(values.alertmanager.alertmanagerSpec.replicas).toBe(amReplicas);
    expect(values.prometheus.podDisruptionBudget.enabled).toBe(pdb);
    expect(values.alertmanager.podDisruptionBudget.enabled).toBe(pdb);
    expect(values.prometheus.prometheusSpec.podAntiAffinity).toBe(pdb ? "hard" : "soft");
  });

  it("prod: persistent volumes, external labels and requests/limits on every component", () => {
    const values = valuesOf("prod");
    const spec = values.prometheus.prometheusSpec;
    expect(spec.storageSpec.volumeClaimTemplate.spec).toEqual({
      storageClassName: "gp3",
      accessModes: ["ReadWriteOnce"],
      resources: { requests: { storage: "200Gi" } },
    });
    expect(spec.externalLabels).toEqual({ cluster: "prod-eu1", environment: "prod" });
    expect(spec.retentionSize).toBe("180GB");
    for (const resources of [
      spec.resources,
      values.alertmanager.alertmanagerSpec.resources,
      values.grafana.resources,
      values.grafana.sidecar.resources,
      values.prometheusOperator.resources,
      values.prometheusOperator.admissionWebhooks.patch.resources,
      values.prometheusOperator.prometheusConfigReloader.resources,
      values["kube-state-metrics"].resources,
      values["prometheus-node-exporter"].resources,
    ]) {
      expect(resources).toEqual({
        requests: { cpu: expect.any(String), memory: expect.any(String) },
        limits: { cpu: expect.any(String), memory: expect.any(String) },
      });
    }
  });

  it("selects rules, monitors and probes explicitly by the labels the product puts on them", () => {
    const spec = valuesOf("dev").prometheus.prometheusSpec;
    for (const kind of ["rule", "serviceMonitor", "podMonitor", "probe"] as const) {
      expect(spec[`${kind}SelectorNilUsesHelmValues`]).toBe(false);
      expect(spec[`${kind}Selector`]).toEqual({ matchLabels: PROMETHEUS_SELECTOR_LABELS });
      expect(spec[`${kind}NamespaceSelector`]).toEqual({});
    }
    // The chart's own default rules must carry the same labels, or they are not loaded either.
    expect(valuesOf("dev").defaultRules.labels).toEqual(PROMETHEUS_SELECTOR_LABELS);
  });

  it("takes Grafana's admin credentials from an existing Secret and keeps anonymous access off", () => {
    const grafana = valuesOf("prod").grafana;
    expect(grafana.admin).toEqual({ existingSecret: "grafana-admin", userKey: "admin-user", passwordKey: "admin-password" });
    expect(grafana["grafana.ini"]["auth.anonymous"]).toEqual({ enabled: false });
    expect(JSON.stringify(grafana)).not.toMatch(/adminPassword/);
  });

  it("mounts the receivers' Secret into Alertmanager instead of holding any credential", () => {
    expect(valuesOf("prod").alertmanager.alertmanagerSpec.secrets).toEqual(["alertmanager-receivers"]);
  });

  it("receives OTLP metrics and remote writes (collector and Tempo's metrics generator)", () => {
    const spec = valuesOf("staging").prometheus.prometheusSpec;
    expect(spec.enableOTLPReceiver).toBe(true);
    expect(spec.enableRemoteWriteReceiver).toBe(true);
    expect(spec.enableFeatures).toContain("exemplar-storage");
  });
});
