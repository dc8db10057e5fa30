import { loadProfiles, parseProfile, PROFILE_INPUTS, type EnvironmentProfile } from "../../environments";
import { buildGrafanaDatasources } from "../../helm-values/grafana-datasources";
import { buildKubePrometheusStackValues } from "../../helm-values/kube-prometheus-stack";
import { buildMimirValues } from "../../helm-values/mimir";
import { PROMETHEUS_SELECTOR_LABELS } from "../../helm-values/selector-labels";

const profiles = loadProfiles();
const valuesFor = (profile: EnvironmentProfile) =>
  buildKubePrometheusStackValues(profile, { alertmanagerConfig: { route: { receiver: "x" } }, datasources: buildGrafanaDatasources(profile) });
const valuesOf = (name: string) => valuesFor(profiles.find((p) => p.name === name)!);
/** A shipped profile's input changed by `change`, validated. */
const variantOf = (name: keyof typeof PROFILE_INPUTS, change: (input: any) => void) => {
  const input: any = structuredClone(PROFILE_INPUTS[name]);
  change(input);
  return parseProfile(input, name);
};

describe("kube-prometheus-stack values", () => {
  it.each([
    ["dev", 1, "90d", 1, false],
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

/** kube-prometheus-stack 88.5.3's switches for the control plane: its scrape configs and the default rule groups about it. */
const CONTROL_PLANE_SCRAPING = ["kubeControllerManager", "kubeScheduler", "kubeEtcd", "kubeProxy"] as const;
const CONTROL_PLANE_RULE_GROUPS = ["kubeControllerManager", "kubeSchedulerAlerting", "kubeSchedulerRecording", "etcd", "kubeProxy"] as const;

describe("kube-prometheus-stack values: the control plane", () => {
  const switches = (values: any) => ({
    scraping: Object.fromEntries(CONTROL_PLANE_SCRAPING.map((key) => [key, values[key]])),
    rules: Object.fromEntries(CONTROL_PLANE_RULE_GROUPS.map((key) => [key, values.defaultRules.rules[key]])),
  });
  const all = (keys: readonly string[], value: unknown) => Object.fromEntries(keys.map((key) => [key, value]));

  it.each(["local", "dev", "staging", "prod"])(
    "%s (managed): no scraping of, and no default rules about, kube-controller-manager, kube-scheduler, etcd, kube-proxy",
    (env) => {
      expect(profiles.find((p) => p.name === env)!.kubernetes.controlPlane).toBe("managed");
      expect(switches(valuesOf(env))).toEqual({ scraping: all(CONTROL_PLANE_SCRAPING, { enabled: false }), rules: all(CONTROL_PLANE_RULE_GROUPS, false) });
    },
  );

  it("self-hosted: scraping and rule groups all on together", () => {
    const values = valuesFor(variantOf("prod", (p) => (p.kubernetes.controlPlane = "self-hosted")));
    expect(switches(values)).toEqual({ scraping: all(CONTROL_PLANE_SCRAPING, { enabled: true }), rules: all(CONTROL_PLANE_RULE_GROUPS, true) });
  });

  it("leaves every other rule group as it was: only the chart's general group is off", () => {
    for (const controlPlane of ["managed", "self-hosted"]) {
      const rules = valuesFor(variantOf("dev", (p) => (p.kubernetes.controlPlane = controlPlane))).defaultRules.rules as Record<string, boolean>;
      expect(Object.keys(rules).sort()).toEqual(["general", ...CONTROL_PLANE_RULE_GROUPS].sort());
      expect(rules.general).toBe(false);
    }
  });
});

describe("kube-prometheus-stack values: Grafana", () => {
  it.each(["staging", "prod"])("%s: two replicas on the shared Postgres, nothing on disk, a headless Service for alerting gossip", (env) => {
    const grafana: any = valuesOf(env).grafana;
    expect(grafana.replicas).toBe(2);
    expect(grafana.persistence).toEqual({ enabled: false });
    expect(grafana.headlessService).toBe(true);
    expect(grafana.deploymentStrategy).toBeUndefined();
    expect(grafana.podDisruptionBudget).toEqual({ maxUnavailable: 1 });
    expect(grafana["grafana.ini"].database).toEqual({
      type: "postgres",
      host: env === "prod" ? "grafana-db.example.com:5432" : "grafana-db.staging.example.com:5432",
      name: "grafana",
      user: "grafana",
      ssl_mode: "require",
    });
    // The chart names the headless Service <fullname>-headless, gossip on 9094; each pod listens and advertises on its own IP.
    expect(grafana["grafana.ini"].unified_alerting).toEqual({
      ha_peers: "grafana-headless.observability.svc:9094",
      ha_listen_address: "$__env{POD_IP}:9094",
      ha_advertise_address: "$__env{POD_IP}:9094",
    });
  });

  it("reads the database password from its Secret as GF_DATABASE_PASSWORD, never as a value", () => {
    const grafana: any = valuesOf("prod").grafana;
    expect(grafana.envValueFrom).toEqual({ GF_DATABASE_PASSWORD: { secretKeyRef: { name: "grafana-database", key: "password" } } });
    expect(grafana["grafana.ini"].database).not.toHaveProperty("password");
    expect(grafana.envFromSecret).toBeUndefined();
  });

  it.each(["local", "dev"])("%s: one replica on SQLite, its ReadWriteOnce volume replaced with Recreate", (env) => {
    const grafana: any = valuesOf(env).grafana;
    expect(grafana.replicas).toBe(1);
    expect(grafana.persistence).toEqual({ enabled: true, type: "pvc", accessModes: ["ReadWriteOnce"], size: "1Gi" });
    expect(grafana.deploymentStrategy).toEqual({ type: "Recreate" });
    expect(grafana.headlessService).toBeUndefined();
    expect(grafana.envValueFrom).toBeUndefined();
    expect(grafana["grafana.ini"]).not.toHaveProperty("database");
    expect(grafana["grafana.ini"]).not.toHaveProperty("unified_alerting");
  });

  it("keeps the storage class of the SQLite volume", () => {
    const grafana: any = valuesFor(variantOf("dev", (p) => (p.grafana.persistence = { size: "3Gi", storageClassName: "fast-ssd" }))).grafana;
    expect(grafana.persistence).toEqual({ enabled: true, type: "pvc", accessModes: ["ReadWriteOnce"], size: "3Gi", storageClassName: "fast-ssd" });
  });

  it("configures MySQL without Postgres' ssl_mode", () => {
    const grafana: any = valuesFor(
      variantOf("dev", (p) => {
        p.grafana.replicas = 3;
        delete p.grafana.persistence;
        p.grafana.database = {
          type: "mysql",
          host: "mysql.db.svc:3306",
          name: "grafana",
          user: "grafana_rw",
          passwordSecret: { name: "grafana-mysql", key: "pw" },
        };
      }),
    ).grafana;
    expect(grafana.replicas).toBe(3);
    expect(grafana["grafana.ini"].database).toEqual({ type: "mysql", host: "mysql.db.svc:3306", name: "grafana", user: "grafana_rw" });
    expect(grafana.envValueFrom.GF_DATABASE_PASSWORD.secretKeyRef).toEqual({ name: "grafana-mysql", key: "pw" });
  });

  it("writes no ${...} into Grafana's values: the helm_release would read it as a Terraform interpolation", () => {
    for (const profile of profiles) expect(JSON.stringify(valuesFor(profile).grafana["grafana.ini"])).not.toContain("${");
  });
});
