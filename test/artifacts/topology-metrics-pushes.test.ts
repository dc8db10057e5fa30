import type { EnvironmentArtifacts } from "../../artifacts/environment-artifacts";
import { metricsPushProblems } from "../../artifacts/topology/metrics-pushes";
import { TOPOLOGY_INVARIANTS } from "../../artifacts/topology";
import { buildAllArtifacts } from "../../app";

const artifacts = buildAllArtifacts();
const artifactsOf = (env: string) => artifacts.find((a) => a.profile.name === env)!;

const PROMETHEUS = "http://kps-prometheus.observability.svc:9090";
const MIMIR = "http://mimir-gateway.observability.svc:80";

/** A deep copy of `a` with every release's values changed by `edit` (given the release name). */
function editing(a: EnvironmentArtifacts, edit: (release: string, values: any) => void): EnvironmentArtifacts {
  return {
    ...a,
    releases: a.releases.map((r) => {
      const values = structuredClone(r.values) as any;
      edit(r.releaseName, values);
      return { ...r, values };
    }),
  };
}

/**
 * An environment whose pushers write to `store` (the collector's OTLP metrics exporter, Tempo's
 * metrics generator) and whose kube-prometheus-stack runs `replicas` Prometheus.
 */
function pushingTo(a: EnvironmentArtifacts, store: string, replicas: number): EnvironmentArtifacts {
  return editing(a, (release, values) => {
    if (release === "kube-prometheus-stack") values.prometheus.prometheusSpec.replicas = replicas;
    if (release === "otel-collector") values.config.exporters["otlp_http/metrics_store"].endpoint = `${store}/api/v1/otlp`;
    if (release === "tempo") pointRemoteWrites(values, `${store}/api/v1/write`);
  });
}

/** Points every remote write of Tempo's values (`remote_write[].url`, `remoteWriteUrl`), wherever the chart keeps them, at `url`. */
function pointRemoteWrites(values: any, url: string): void {
  if (values === null || typeof values !== "object") return;
  for (const [key, value] of Object.entries(values)) {
    if (key === "remoteWriteUrl") values[key] = url;
    else if (key === "remote_write" && Array.isArray(value)) for (const entry of value) entry.url = url;
    else pointRemoteWrites(value, url);
  }
}

describe("invariant: nothing pushes to a replicated Prometheus Service", () => {
  it("is registered with the topology invariants synth runs", () => {
    expect(TOPOLOGY_INVARIANTS).toContain(metricsPushProblems);
  });

  it.each(["prod", "dev"])("%s: fails when the collector and Tempo push to kube-prometheus-stack's Prometheus Service with 2 replicas", (env) => {
    const problems = metricsPushProblems(pushingTo(artifactsOf(env), PROMETHEUS, 2));
    expect(problems).toContain(
      `${env}: release otel-collector pushes metrics to the Prometheus Service kps-prometheus (config.exporters.otlp_http/metrics_store.endpoint = "${PROMETHEUS}/api/v1/otlp") ` +
        "while kube-prometheus-stack runs 2 Prometheus replicas (prometheus.prometheusSpec.replicas = 2): each sample lands on one replica; push to the one metrics store instead",
    );
    expect(problems).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^${env}: release tempo pushes metrics to the Prometheus Service kps-prometheus \\(\\S*remote_write\\[0\\]\\.url = "${PROMETHEUS}/api/v1/write"\\)`,
        ),
      ),
    );
    expect(problems.every((p) => p.startsWith(`${env}: release `) && p.includes("replicas = 2"))).toBe(true);
  });

  it.each(["prod", "dev"])("%s: holds when the same pushes reach a single Prometheus", (env) => {
    expect(metricsPushProblems(pushingTo(artifactsOf(env), PROMETHEUS, 1))).toEqual([]);
  });

  it.each(["prod", "staging"])("%s: holds when every pusher writes to a metrics store that is not a Prometheus Service", (env) => {
    expect(metricsPushProblems(pushingTo(artifactsOf(env), MIMIR, 2))).toEqual([]);
  });

  it("fails when Prometheus remote-writes to its own replicated Service, or to the operator's prometheus-operated", () => {
    const looping = editing(pushingTo(artifactsOf("prod"), MIMIR, 2), (release, values) => {
      if (release === "kube-prometheus-stack") values.prometheus.prometheusSpec.remoteWrite = [{ url: "http://prometheus-operated:9090/api/v1/write" }];
    });
    expect(metricsPushProblems(looping)).toEqual([
      'prod: release kube-prometheus-stack pushes metrics to the Prometheus Service prometheus-operated (prometheus.prometheusSpec.remoteWrite[0].url = "http://prometheus-operated:9090/api/v1/write") ' +
        "while kube-prometheus-stack runs 2 Prometheus replicas (prometheus.prometheusSpec.replicas = 2): each sample lands on one replica; push to the one metrics store instead",
    ]);
  });

  it("reads only the metrics pipelines of a collector: a logs exporter named like a Prometheus URL is not a metrics push", () => {
    const logsOnly = editing(pushingTo(artifactsOf("prod"), MIMIR, 2), (release, values) => {
      if (release === "otel-agent") values.config.exporters["otlp_http/loki"].endpoint = `${PROMETHEUS}/otlp`;
    });
    expect(metricsPushProblems(logsOnly)).toEqual([]);
  });

  it.each(["local", "dev"])("%s: holds for the shipped single-Prometheus profile", (env) => {
    expect(artifactsOf(env).profile.prometheus.replicas).toBe(1);
    expect(metricsPushProblems(artifactsOf(env))).toEqual([]);
  });
});
