import { CHART_PINS } from "../../environments/chart-versions";
import { renderHelmValues } from "../../helm-values/render";
import { stackNames } from "../../app";
import { terraformLiteral } from "../../constructs/helm-chart-release";
import { releasesOf, synthesizeAll, terraformString } from "./synthesized";

const { artifacts, stacks } = synthesizeAll();
const platformOf = (env: string) => stacks.get(stackNames(env).platform)!;

describe("platform stack", () => {
  it.each(artifacts.map((a) => [a.profile.name, a] as const))("%s: one release per component, pinned", (env, a) => {
    const releases = releasesOf(platformOf(env));
    const tempoChart = a.profile.tempo.topology.kind === "distributed" ? CHART_PINS.tempoDistributed : CHART_PINS.tempo;
    expect(Object.fromEntries([...releases].map(([name, r]) => [name, `${r.release.chart}@${r.release.version}`]))).toEqual({
      "kube-prometheus-stack": `kube-prometheus-stack@${CHART_PINS.kubePrometheusStack.version}`,
      loki: `loki@${CHART_PINS.loki.version}`,
      tempo: `${tempoChart.chart}@${tempoChart.version}`,
      "otel-collector": `opentelemetry-collector@${CHART_PINS.openTelemetryCollector.version}`,
      "blackbox-exporter": `prometheus-blackbox-exporter@${CHART_PINS.blackboxExporter.version}`,
      // Mimir only where the profile has it (staging, prod).
      ...(a.profile.mimir ? { mimir: `mimir-distributed@${CHART_PINS.mimirDistributed.version}` } : {}),
    });
    for (const { release } of releases.values()) {
      expect(release).toMatchObject({
        namespace: expect.stringContaining("kubernetes_namespace_v1"),
        atomic: a.profile.helm.atomic,
        cleanup_on_fail: a.profile.helm.cleanupOnFail,
        timeout: a.profile.helm.timeoutSeconds,
        wait: true,
        create_namespace: false,
      });
    }
  });

  it("prod and staging releases are atomic; dev's are not (fast iteration)", () => {
    for (const env of ["staging", "prod"]) {
      for (const { release } of releasesOf(platformOf(env)).values()) expect(release.atomic).toBe(true);
    }
    for (const { release } of releasesOf(platformOf("dev")).values()) expect(release.atomic).toBe(false);
  });

  it("installs kube-prometheus-stack (the CRDs) before every other release", () => {
    const releases = releasesOf(platformOf("prod"));
    const others = [...releases].filter(([name]) => name !== "kube-prometheus-stack");
    expect(releases.get("kube-prometheus-stack")!.release.depends_on).toBeUndefined();
    for (const [, { release }] of others)
      expect(release.depends_on).toEqual([expect.stringMatching(/^helm_release\.kube-prometheus-stack_release_[0-9A-F]+$/)]);
  });

  it("deploys exactly the values written to generated/<env>/values, as Terraform reads them back", () => {
    for (const a of artifacts) {
      const releases = releasesOf(platformOf(a.profile.name));
      for (const artifact of a.releases) {
        const written = releases.get(artifact.releaseName)!.release.values;
        expect(written).toEqual([terraformLiteral(renderHelmValues(artifact.values))]);
        expect(written.map(terraformString)).toEqual([renderHelmValues(artifact.values)]);
      }
    }
  });

  it("escapes the components' own expansions so Terraform neither interpolates nor rewrites them", () => {
    const values: string = releasesOf(platformOf("prod")).get("mimir")!.release.values[0];
    expect(values).toContain("access_key_id: $${AWS_ACCESS_KEY_ID}");
    expect(values).not.toMatch(/(^|[^$])\$\{/);
    expect(terraformLiteral("a: ${x} b: $${y} c: %{if}")).toBe("a: $${x} b: $$${y} c: %%{if}");
    // Grafana's provisioning escape survives: Terraform gives back `$${__value.raw}`, Grafana reads `${__value.raw}`.
    expect(terraformString(terraformLiteral("url: $${__value.raw}"))).toBe("url: $${__value.raw}");
  });

  it("configures the kubernetes and helm providers from the profile's kube context", () => {
    const stack = platformOf("prod");
    expect(stack.provider.kubernetes).toEqual([{ config_path: "~/.kube/config", config_context: "obs-prod" }]);
    expect(stack.provider.helm).toEqual([{ kubernetes: { config_path: "~/.kube/config", config_context: "obs-prod" } }]);
  });
});

describe("platform stack: cross-release agreements, read from the synthesized releases", () => {
  it.each(artifacts.map((a) => [a.profile.name] as const))("%s: the collector writes logs as the Loki tenant Grafana reads with", (env) => {
    const releases = releasesOf(platformOf(env));
    const config = releases.get("otel-collector")!.values.config;
    const logExporters: string[] = config.service.pipelines.logs.exporters;
    expect(logExporters).toHaveLength(1);
    const lokiExporter = config.exporters[logExporters[0]!];
    const grafanaLoki = releases.get("kube-prometheus-stack")!.values.grafana.additionalDataSources.find((d: any) => d.type === "loki");
    expect(lokiExporter.headers["X-Scope-OrgID"]).toBe(grafanaLoki.secureJsonData.httpHeaderValue1);
    expect(grafanaLoki.jsonData.httpHeaderName1).toBe("X-Scope-OrgID");
    expect(lokiExporter.endpoint).toBe(`${grafanaLoki.url}/otlp`);
    // Loki runs multi-tenant: without the header both sides would get 401 "no org id".
    expect(releases.get("loki")!.values.loki.auth_enabled).toBe(true);
  });

  it.each(artifacts.map((a) => [a.profile.name] as const))("%s: Tempo receives OTLP where the collector sends traces", (env) => {
    const releases = releasesOf(platformOf(env));
    const tempo = releases.get("tempo")!;
    const config = releases.get("otel-collector")!.values.config;
    const traceExporters: string[] = config.service.pipelines.traces.exporters;
    expect(traceExporters).toHaveLength(1);
    const traces = config.exporters[traceExporters[0]!];
    const host = tempo.release.chart === "tempo-distributed" ? `${tempo.values.fullnameOverride}-distributor` : tempo.values.fullnameOverride;
    expect(traces.endpoint).toBe(`${host}.observability.svc:4317`);
  });

  it.each(artifacts.filter((a) => a.profile.mimir).map((a) => [a.profile.name] as const))(
    "%s: Prometheus, Tempo and Grafana meet at Mimir's gateway as one tenant, and the HA labels match",
    (env) => {
      const releases = releasesOf(platformOf(env));
      const kps = releases.get("kube-prometheus-stack")!.values;
      const mimir = releases.get("mimir")!.values;
      const tempo = releases.get("tempo")!.values;
      const [prometheusWrite] = kps.prometheus.prometheusSpec.remoteWrite;
      const [tempoWrite] = tempo.metricsGenerator.config.storage.remote_write;
      const grafanaMimir = kps.grafana.additionalDataSources.find((d: any) => d.uid === "prometheus");
      const gateway = `http://${mimir.fullnameOverride}-gateway.observability.svc:80`;
      expect([prometheusWrite.url, tempoWrite.url, grafanaMimir.url]).toEqual([`${gateway}/api/v1/push`, `${gateway}/api/v1/push`, `${gateway}/prometheus`]);
      const tenants = [prometheusWrite.headers["X-Scope-OrgID"], tempoWrite.headers["X-Scope-OrgID"], grafanaMimir.secureJsonData.httpHeaderValue1];
      expect(new Set(tenants)).toEqual(new Set(["platform"]));
      const limits = mimir.mimir.structuredConfig.limits;
      expect([kps.prometheus.prometheusSpec.prometheusExternalLabelName, kps.prometheus.prometheusSpec.replicaExternalLabelName]).toEqual([
        limits.ha_cluster_label,
        limits.ha_replica_label,
      ]);
      expect(limits.accept_ha_samples).toBe(true);
      expect(kps.prometheus.prometheusSpec.replicas).toBe(2);
    },
  );
});
