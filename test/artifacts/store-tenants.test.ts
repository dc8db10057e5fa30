import { crossObjectProblems } from "../../artifacts/cross-object-invariants";
import { buildEnvironmentArtifacts, type EnvironmentArtifacts, type ReleaseArtifact } from "../../artifacts/environment-artifacts";
import { TOPOLOGY_INVARIANTS } from "../../artifacts/topology";
import { rulerTenantProblems, storeTenantProblems } from "../../artifacts/topology/store-tenants";
import { loadProfiles } from "../../environments";

const profiles = loadProfiles();
const MIMIR = "http://mimir-gateway.observability.svc:80";
const LOKI = "http://loki-gateway.observability.svc:80";

/**
 * Collector releases in tiers, as fixtures: a node agent writing logs to Loki and a gateway writing
 * metrics to Mimir and logs to Loki, under exporter names of their own. The check must find them in
 * any release of the collector chart, whatever the release and the exporter are called.
 */
function collectorTiers(mimirTenant: string, lokiTenant: string): ReleaseArtifact[] {
  return [
    {
      chartKey: "openTelemetryCollector",
      releaseName: "otel-agent",
      values: { config: { exporters: { "otlp_http/loki": { endpoint: `${LOKI}/otlp`, headers: { "X-Scope-OrgID": lokiTenant } } } } },
    },
    {
      chartKey: "openTelemetryCollector",
      releaseName: "otel-gateway",
      values: {
        config: {
          exporters: {
            "otlp_http/metrics_store": { endpoint: `${MIMIR}/otlp`, headers: { "x-scope-orgid": mimirTenant } },
            "otlp_http/logs": { endpoint: `${LOKI}/otlp`, headers: { "X-Scope-OrgID": lokiTenant } },
            "otlp_grpc/tempo": { endpoint: "tempo-distributor.observability.svc:4317" },
          },
        },
      },
    },
  ];
}

/** An environment's artifacts with its collector replaced by tiers sending `tenants` (the profile's by default). */
function artifactsOf(env: string, tenants?: { mimir: string; loki: string }): EnvironmentArtifacts {
  const profile = profiles.find((p) => p.name === env)!;
  const artifacts = structuredClone(buildEnvironmentArtifacts(profile, []));
  const others = artifacts.releases.filter((r) => r.chartKey !== "openTelemetryCollector");
  const sent = tenants ?? { mimir: profile.mimir?.tenant ?? "", loki: profile.loki.tenant };
  return { ...artifacts, releases: [...others, ...collectorTiers(sent.mimir, sent.loki)] };
}

const valuesOf = (artifacts: EnvironmentArtifacts, releaseName: string): any => artifacts.releases.find((r) => r.releaseName === releaseName)!.values;

describe("every writer and reader of a multi-tenant store uses its tenant", () => {
  it.each(["staging", "prod"])("%s: holds when Prometheus, Tempo, the collector tiers and Grafana all send the profile's tenants", (env) => {
    expect(storeTenantProblems(artifactsOf(env))).toEqual([]);
  });

  it("dev: holds for Loki as built (dev has no Mimir, and Prometheus needs no tenant)", () => {
    expect(
      storeTenantProblems(
        buildEnvironmentArtifacts(
          profiles.find((p) => p.name === "dev")!,
          [],
        ),
      ),
    ).toEqual([]);
  });

  it("fails on a Prometheus remote write to Mimir as another tenant, naming the environment, release, path and tenants", () => {
    const artifacts = artifactsOf("prod");
    valuesOf(artifacts, "kube-prometheus-stack").prometheus.prometheusSpec.remoteWrite[0].headers["X-Scope-OrgID"] = "team-a";
    expect(storeTenantProblems(artifacts)).toEqual([
      `prod: release kube-prometheus-stack prometheus.prometheusSpec.remoteWrite[0] (${MIMIR}/api/v1/push) uses Mimir tenant "team-a"; every writer and reader of Mimir must use "platform"`,
    ]);
  });

  it("fails on Tempo's remote write to Mimir without the header, which Mimir files under anonymous", () => {
    const artifacts = artifactsOf("staging");
    delete valuesOf(artifacts, "tempo").metricsGenerator.config.storage.remote_write[0].headers;
    expect(storeTenantProblems(artifacts)).toEqual([
      `staging: release tempo metricsGenerator.config.storage.remote_write[0] (${MIMIR}/api/v1/push) sends no X-Scope-OrgID to Mimir, which files it under tenant "anonymous"; every writer and reader of Mimir must use "platform"`,
    ]);
  });

  it("fails on Grafana reading Mimir as another tenant", () => {
    const artifacts = artifactsOf("prod");
    const datasource = valuesOf(artifacts, "kube-prometheus-stack").grafana.additionalDataSources.find((d: any) => d.uid === "prometheus");
    datasource.secureJsonData.httpHeaderValue1 = "anonymous";
    expect(storeTenantProblems(artifacts)).toEqual([
      `prod: release kube-prometheus-stack grafana.additionalDataSources[0] (${MIMIR}/prometheus) uses Mimir tenant "anonymous"; every writer and reader of Mimir must use "platform"`,
    ]);
  });

  it("fails on a collector tier's exporter to either store, whatever the release and exporter are called", () => {
    const artifacts = artifactsOf("prod", { mimir: "platform", loki: "platform" });
    valuesOf(artifacts, "otel-gateway").config.exporters["otlp_http/metrics_store"].headers["x-scope-orgid"] = "apps";
    delete valuesOf(artifacts, "otel-agent").config.exporters["otlp_http/loki"].headers;
    expect(storeTenantProblems(artifacts)).toEqual([
      `prod: release otel-gateway config.exporters.otlp_http/metrics_store (${MIMIR}/otlp) uses Mimir tenant "apps"; every writer and reader of Mimir must use "platform"`,
      `prod: release otel-agent config.exporters.otlp_http/loki (${LOKI}/otlp) sends no X-Scope-OrgID to Loki, which refuses it (401 "no org id"); every writer and reader of Loki must use "platform"`,
    ]);
  });

  it("finds Grafana's Loki datasource too, and leaves the stores' own releases and other addresses alone", () => {
    const artifacts = artifactsOf("prod");
    const loki = valuesOf(artifacts, "kube-prometheus-stack").grafana.additionalDataSources.find((d: any) => d.uid === "loki");
    loki.secureJsonData.httpHeaderValue1 = "other";
    valuesOf(artifacts, "mimir").selfReference = { url: `${MIMIR}/api/v1/push` };
    valuesOf(artifacts, "blackbox-exporter").lookalike = { url: "http://mimir-gateway.observability.svc:8080/api/v1/push" };
    expect(storeTenantProblems(artifacts)).toEqual([
      `prod: release kube-prometheus-stack grafana.additionalDataSources[3] (${LOKI}) uses Loki tenant "other"; every writer and reader of Loki must use "platform"`,
    ]);
  });

  it("is a registered topology invariant, so synth reports it with the other cross-object problems", () => {
    expect(TOPOLOGY_INVARIANTS).toContain(storeTenantProblems);
    const artifacts = artifactsOf("staging", { mimir: "wrong", loki: "platform" });
    expect(crossObjectProblems(artifacts)).toContainEqual(expect.stringMatching(/^staging: release otel-gateway .* uses Mimir tenant "wrong"/));
  });
});

describe("Mimir's ruler reads its rules as the store's tenant", () => {
  const withRulerValues = (env: string, ruler: (values: any) => any): EnvironmentArtifacts => {
    const artifacts = buildEnvironmentArtifacts(
      profiles.find((p) => p.name === env)!,
      [],
    );
    return {
      ...artifacts,
      releases: artifacts.releases.map((r) => (r.releaseName === "mimir" ? { ...r, values: { ...r.values, ruler: ruler((r.values as any).ruler) } } : r)),
    };
  };

  it.each(["staging", "prod"])("%s: the shipped values hold, and it is one of the topology invariants", (env) => {
    expect(rulerTenantProblems(withRulerValues(env, (r) => r))).toEqual([]);
    expect(TOPOLOGY_INVARIANTS).toContain(rulerTenantProblems);
  });

  it("fails when the rules ConfigMap is mounted as another tenant's directory, naming both", () => {
    const moved = withRulerValues("prod", (r) => ({ ...r, extraVolumeMounts: [{ ...r.extraVolumeMounts[0], mountPath: "/etc/mimir-ruler/anonymous" }] }));
    expect(rulerTenantProblems(moved)).toEqual([
      'prod: release mimir ruler mounts ConfigMap "obs-mimir-ruler-rules" at /etc/mimir-ruler/anonymous, so it evaluates those rules for another tenant ' +
        'than Mimir\'s "platform"; it must be /etc/mimir-ruler/platform (ruler_storage.local.directory/<tenant>)',
    ]);
    expect(crossObjectProblems(moved)).toContain(rulerTenantProblems(moved)[0]);
  });

  it("fails when the ruler runs without the rules ConfigMap mounted", () => {
    expect(rulerTenantProblems(withRulerValues("staging", (r) => ({ ...r, extraVolumeMounts: [] })))).toEqual([
      'staging: release mimir ruler does not mount ConfigMap "obs-mimir-ruler-rules" (ruler.extraVolumes, ruler.extraVolumeMounts); its rules must be at /etc/mimir-ruler/platform',
    ]);
  });

  it("has nothing to check where the ruler is off or there is no Mimir", () => {
    expect(rulerTenantProblems(withRulerValues("prod", () => ({ enabled: false, extraVolumeMounts: [] })))).toEqual([]);
    expect(
      rulerTenantProblems(
        buildEnvironmentArtifacts(
          profiles.find((p) => p.name === "dev")!,
          [],
        ),
      ),
    ).toEqual([]);
  });
});
