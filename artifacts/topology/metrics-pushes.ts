/**
 * Nothing pushes to a replicated Prometheus Service. Two Prometheus replicas behind one Service
 * each receive part of whatever is pushed (the collector's OTLP, Tempo's span metrics, a remote
 * write), so every replica holds gaps, and Grafana, reading through the same Service, shows
 * series that change on refresh. Pushed metrics need one logical store (Mimir); a single
 * Prometheus may still take them.
 */
import type { EnvironmentArtifacts, ReleaseArtifact } from "../environment-artifacts";
import { collectorReleases, componentConfig, componentType, namesService, remoteWriteUrls, valueAtPath, type FoundValue } from "./rendered-values";

/** Exporter types that push metrics, and the fields holding where to. */
const METRIC_PUSH_FIELDS: Readonly<Record<string, readonly string[]>> = {
  otlp_http: ["endpoint", "metrics_endpoint"],
  otlphttp: ["endpoint", "metrics_endpoint"],
  prometheusremotewrite: ["endpoint"],
  otlp_grpc: ["endpoint"],
  otlp: ["endpoint"],
};

/** The Services that reach kube-prometheus-stack's Prometheus pods: the chart's `<fullname>-prometheus` and the operator's `prometheus-operated`. */
function prometheusServices(kps: ReleaseArtifact): string[] {
  const override = kps.values.fullnameOverride;
  const fullname = typeof override === "string" && override !== "" ? override : kps.releaseName;
  return [`${fullname}-prometheus`, "prometheus-operated"];
}

/** Where each release pushes metrics: its remote-write URLs, and for a collector the exporters of its metrics pipelines. */
function metricPushes(release: ReleaseArtifact, collector: ReturnType<typeof collectorReleases>[number] | undefined): FoundValue[] {
  const pushes = remoteWriteUrls(release.values);
  if (collector === undefined) return pushes;
  const exporters = new Set(collector.pipelines.filter((p) => p.signal === "metrics").flatMap((p) => p.exporters));
  for (const id of exporters) {
    const exporter = componentConfig(collector, "exporters", id);
    for (const field of METRIC_PUSH_FIELDS[componentType(id)] ?? []) {
      const value = exporter[field];
      if (typeof value === "string") pushes.push({ path: `config.exporters.${id}.${field}`, value });
    }
  }
  return pushes;
}

/** The invariant, as TOPOLOGY_INVARIANTS runs it: its messages for one environment, empty when it holds. */
export function metricsPushProblems(artifacts: EnvironmentArtifacts): string[] {
  const env = artifacts.profile.name;
  const namespace = artifacts.profile.namespace;
  const kps = artifacts.releases.find((r) => r.chartKey === "kubePrometheusStack");
  if (kps === undefined) return [];
  const replicasPath = ["prometheus", "prometheusSpec", "replicas"];
  const replicas = valueAtPath(kps.values, replicasPath) ?? 1;
  if (typeof replicas !== "number" || replicas <= 1) return [];
  const services = prometheusServices(kps);
  const collectors = collectorReleases(artifacts);
  return artifacts.releases.flatMap((release) =>
    metricPushes(
      release,
      collectors.find((c) => c.release === release),
    ).flatMap(({ path, value }) => {
      const service = services.find((s) => namesService(value, s, namespace));
      if (service === undefined) return [];
      return [
        `${env}: release ${release.releaseName} pushes metrics to the Prometheus Service ${service} (${path} = ${JSON.stringify(value)}) ` +
          `while ${kps.releaseName} runs ${replicas} Prometheus replicas (${replicasPath.join(".")} = ${replicas}): ` +
          `each sample lands on one replica; push to the one metrics store instead`,
      ];
    }),
  );
}
