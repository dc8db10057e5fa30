import { CHART_PINS } from "../../environments/chart-versions";
import { renderHelmValues } from "../../helm-values/render";
import { stackNames } from "../../app";
import { terraformLiteral } from "../../constructs/helm-chart-release";
import { terraformStringValue } from "../../scripts/upstream-checks/terraform-string";
import { releasesOf, synthesizeAll } from "./synthesized";

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
      "otel-sampler": `opentelemetry-collector@${CHART_PINS.openTelemetryCollector.version}`,
      "otel-collector": `opentelemetry-collector@${CHART_PINS.openTelemetryCollector.version}`,
      "otel-agent": `opentelemetry-collector@${CHART_PINS.openTelemetryCollector.version}`,
      "blackbox-exporter": `prometheus-blackbox-exporter@${CHART_PINS.blackboxExporter.version}`,
      // Mimir only where the profile has it (staging, prod).
      ...(a.profile.mimir ? { mimir: `mimir-distributed@${CHART_PINS.mimirDistributed.version}` } : {}),
      // The exporters the catalog's dependencies ask for: core-redis and core-postgres (services/core-api.ts).
      "core-redis-exporter": "prometheus-redis-exporter@6.29.0",
      "core-postgres-exporter": "prometheus-postgres-exporter@8.2.0",
    });
    for (const { release } of releases.values()) {
      expect(release).toMatchObject({
        namespace: a.profile.namespace,
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
    const releaseDependencies = (release: any): string[] => (release.depends_on ?? []).filter((d: string) => d.startsWith("helm_release."));
    const others = [...releases].filter(([name]) => name !== "kube-prometheus-stack");
    expect(releaseDependencies(releases.get("kube-prometheus-stack")!.release)).toEqual([]);
    for (const [, { release }] of others)
      expect(releaseDependencies(release)).toEqual([expect.stringMatching(/^helm_release\.kube-prometheus-stack_release_[0-9A-F]+$/)]);
  });

  it("deploys exactly the values written to generated/<env>/values, as Terraform reads them back", () => {
    for (const a of artifacts) {
      const releases = releasesOf(platformOf(a.profile.name));
      for (const artifact of a.releases) {
        // As Terraform reads the JSON: the collector's ${env:...} and Grafana's $${...} reach Helm as written.
        expect(releases.get(artifact.releaseName)!.release.values.map(terraformStringValue)).toEqual([renderHelmValues(artifact.values)]);
      }
    }
  });

  it("escapes the components' own expansions so Terraform neither interpolates nor rewrites them", () => {
    const values: string = releasesOf(platformOf("prod")).get("mimir")!.release.values[0];
    expect(values).toContain("access_key_id: $${AWS_ACCESS_KEY_ID}");
    expect(values).not.toMatch(/(^|[^$])\$\{/);
    expect(terraformLiteral("a: ${x} b: $${y} c: %{if}")).toBe("a: $${x} b: $$${y} c: %%{if}");
    // Grafana's provisioning escape survives: Terraform gives back `$${__value.raw}`, Grafana reads `${__value.raw}`.
    expect(terraformStringValue(terraformLiteral("url: $${__value.raw}"))).toBe("url: $${__value.raw}");
  });

  it("configures the kubernetes and helm providers from the profile's kube context", () => {
    const stack = platformOf("prod");
    expect(stack.provider.kubernetes).toEqual([{ config_path: "~/.kube/config", config_context: "obs-prod" }]);
    expect(stack.provider.helm).toEqual([{ kubernetes: { config_path: "~/.kube/config", config_context: "obs-prod" } }]);
  });
});

describe("platform stack: cross-release agreements, read from the synthesized releases", () => {
  /** The collector releases (one per tier) of a platform stack, by release name. */
  const collectorsOf = (env: string) => [...releasesOf(platformOf(env))].filter(([, r]) => r.release.chart === "opentelemetry-collector");

  it.each(artifacts.map((a) => [a.profile.name] as const))("%s: every collector tier that writes logs does so as the Loki tenant Grafana reads with", (env) => {
    const releases = releasesOf(platformOf(env));
    const grafanaLoki = releases.get("kube-prometheus-stack")!.values.grafana.additionalDataSources.find((d: any) => d.type === "loki");
    expect(grafanaLoki.jsonData.httpHeaderName1).toBe("X-Scope-OrgID");
    const writers = collectorsOf(env).flatMap(([name, { values }]) =>
      Object.entries(values.config.service.pipelines)
        .filter(([pipeline, p]: [string, any]) => pipeline.startsWith("logs") && p !== null)
        .flatMap(([, p]: [string, any]) => p.exporters.filter((id: string) => values.config.exporters[id] !== undefined))
        .map((id: string) => ({ release: name, exporter: values.config.exporters[id] })),
    );
    // The gateway (OTLP logs of the workloads) and the agent (container logs, through both of its exporting pipelines).
    expect([...new Set(writers.map((w) => w.release))].sort()).toEqual(["otel-agent", "otel-collector"]);
    for (const { exporter } of writers) {
      expect(exporter.headers["X-Scope-OrgID"]).toBe(grafanaLoki.secureJsonData.httpHeaderValue1);
      expect(exporter.endpoint).toBe(`${grafanaLoki.url}/otlp`);
    }
    // Loki runs multi-tenant: without the header both sides would get 401 "no org id".
    expect(releases.get("loki")!.values.loki.auth_enabled).toBe(true);
  });

  it.each(artifacts.map((a) => [a.profile.name] as const))(
    "%s: Tempo receives OTLP where the sampler sends traces, and only the sampler sends there",
    (env) => {
      const tempo = releasesOf(platformOf(env)).get("tempo")!;
      const host = tempo.release.chart === "tempo-distributed" ? `${tempo.values.fullnameOverride}-distributor` : tempo.values.fullnameOverride;
      const toTempo = collectorsOf(env).flatMap(([name, { values }]) =>
        Object.values(values.config.service.pipelines)
          .filter((p: any) => p !== null)
          .flatMap((p: any) => p.exporters.map((id: string) => values.config.exporters[id]))
          .filter((exporter: any) => exporter?.endpoint === `${host}.observability.svc:4317`)
          .map(() => name),
      );
      expect(toTempo).toEqual(["otel-sampler"]);
    },
  );

  it.each(artifacts.filter((a) => a.profile.mimir).map((a) => [a.profile.name] as const))(
    "%s: Prometheus, Tempo, the collector and Grafana meet at Mimir's gateway as one tenant, and the HA labels match",
    (env) => {
      const releases = releasesOf(platformOf(env));
      const kps = releases.get("kube-prometheus-stack")!.values;
      const mimir = releases.get("mimir")!.values;
      const tempo = releases.get("tempo")!.values;
      const [prometheusWrite] = kps.prometheus.prometheusSpec.remoteWrite;
      const [tempoWrite] = tempo.metricsGenerator.config.storage.remote_write;
      const grafanaMimir = kps.grafana.additionalDataSources.find((d: any) => d.uid === "prometheus");
      const gateway = `http://${mimir.fullnameOverride}-gateway.observability.svc:80`;
      // The collector's gateway: the one exporter of its metrics pipeline (the otlp_http exporter appends /v1/metrics).
      const collector = releases.get("otel-collector")!.values.config;
      const [collectorMetricsExporter] = collector.service.pipelines.metrics.exporters;
      const collectorWrite = collector.exporters[collectorMetricsExporter];
      expect([prometheusWrite.url, tempoWrite.url, collectorWrite.endpoint, grafanaMimir.url]).toEqual([
        `${gateway}/api/v1/push`,
        `${gateway}/api/v1/push`,
        `${gateway}/otlp`,
        `${gateway}/prometheus`,
      ]);
      const tenants = [
        prometheusWrite.headers["X-Scope-OrgID"],
        tempoWrite.headers["X-Scope-OrgID"],
        collectorWrite.headers["X-Scope-OrgID"],
        grafanaMimir.secureJsonData.httpHeaderValue1,
      ];
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
