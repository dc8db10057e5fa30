import { loadProfiles } from "../../environments";
import { buildGrafanaDatasources } from "../../helm-values/grafana-datasources";
import { buildKubePrometheusStackValues } from "../../helm-values/kube-prometheus-stack";
import { buildMimirValues } from "../../helm-values/mimir";
import { PROMETHEUS_SELECTOR_LABELS } from "../../helm-values/selector-labels";

const profiles = loadProfiles();
const valuesOf = (name: string) => {
  const profile = profiles.find((p) => p.name === name)!;
  return buildKubePrometheusStackValues(profile, { alertmanagerConfig: { route: { receiver: "x" } }, datasources: buildGrafanaDatasources(profile) });
};

describe("kube-prometheus-stack values", () => {
  it.each([
    ["dev", 1, "30d", 1, false],
    ["staging", 2, "30d", 2, true],
    ["prod", 2, "30d", 3, true],
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
      resources: { requests: { storage: "400Gi" } },
    });
    expect(spec.externalLabels).toEqual({ cluster: "prod-eu1", environment: "prod" });
    expect(spec.retentionSize).toBe("360GB");
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

  it("dev: Prometheus is the metrics store, receiving OTLP metrics and remote writes (collector and Tempo's metrics generator)", () => {
    const spec = valuesOf("dev").prometheus.prometheusSpec;
    expect(spec.enableOTLPReceiver).toBe(true);
    expect(spec.enableRemoteWriteReceiver).toBe(true);
    expect(spec.remoteWrite).toEqual([]);
    expect(spec.enableFeatures).toContain("exemplar-storage");
  });

  it.each(["staging", "prod"])("%s: both replicas remote-write to Mimir's gateway as the tenant, and nothing pushes to them", (env) => {
    const profile = profiles.find((p) => p.name === env)!;
    const spec = valuesOf(env).prometheus.prometheusSpec;
    expect(spec.remoteWrite).toEqual([
      { url: "http://mimir-gateway.observability.svc:80/api/v1/push", headers: { "X-Scope-OrgID": profile.mimir!.tenant }, sendExemplars: true },
    ]);
    expect([spec.enableOTLPReceiver, spec.enableRemoteWriteReceiver]).toEqual([false, false]);
    expect(spec.enableFeatures).toContain("exemplar-storage");
  });

  it.each(["staging", "prod"])("%s: the replicas' external labels are the ones Mimir's HA tracker deduplicates on", (env) => {
    const profile = profiles.find((p) => p.name === env)!;
    const spec = valuesOf(env).prometheus.prometheusSpec;
    const limits = buildMimirValues(profile).mimir.structuredConfig.limits;
    expect(spec.prometheusExternalLabelName).toBe(limits.ha_cluster_label);
    expect(spec.replicaExternalLabelName).toBe(limits.ha_replica_label);
    expect([spec.prometheusExternalLabelName, spec.replicaExternalLabelName]).toEqual(["prometheus", "prometheus_replica"]);
    // The profile's own external labels must not take either name, or the operator's would be overwritten.
    expect(Object.keys(spec.externalLabels)).not.toContain("prometheus");
    expect(Object.keys(spec.externalLabels)).not.toContain("prometheus_replica");
  });

  it("keeps the profile's extra remote-write targets after Mimir's, with basic auth from their Secret", () => {
    const prod: any = profiles.find((p) => p.name === "prod")!;
    const extra = {
      ...prod,
      prometheus: { ...prod.prometheus, remoteWrite: [{ url: "https://metrics.corp.internal/api/v1/push", basicAuthSecretName: "corp-rw" }] },
    };
    const values = buildKubePrometheusStackValues(extra, { alertmanagerConfig: {}, datasources: [] });
    expect(values.prometheus.prometheusSpec.remoteWrite.map((w: any) => w.url)).toEqual([
      "http://mimir-gateway.observability.svc:80/api/v1/push",
      "https://metrics.corp.internal/api/v1/push",
    ]);
    expect(values.prometheus.prometheusSpec.remoteWrite[1]).toEqual({
      url: "https://metrics.corp.internal/api/v1/push",
      basicAuth: { username: { name: "corp-rw", key: "username" }, password: { name: "corp-rw", key: "password" } },
    });
  });
});
