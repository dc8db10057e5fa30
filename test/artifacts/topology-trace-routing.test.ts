import type { EnvironmentArtifacts, ReleaseArtifact } from "../../artifacts/environment-artifacts";
import { traceRoutingProblems } from "../../artifacts/topology/trace-routing";
import { TOPOLOGY_INVARIANTS } from "../../artifacts/topology";
import { buildAllArtifacts } from "../../app";

const artifacts = buildAllArtifacts();
const prod = artifacts.find((a) => a.profile.name === "prod")!;

/** A deep copy of `a` whose release `name` has its values changed by `edit`. */
function withRelease(a: EnvironmentArtifacts, name: string, edit: (values: any) => void): EnvironmentArtifacts {
  const releases = a.releases.map((r) => {
    if (r.releaseName !== name) return r;
    const values = structuredClone(r.values) as any;
    edit(values);
    return { ...r, values };
  });
  return { ...a, releases };
}

/**
 * Prod as it was before the tiers: one collector Deployment of 3 replicas behind a ClusterIP,
 * receiving OTLP from the workloads and tail-sampling traces before exporting them to Tempo.
 */
function withSingleGateway(a: EnvironmentArtifacts): EnvironmentArtifacts {
  const gateway: ReleaseArtifact = {
    chartKey: "openTelemetryCollector",
    releaseName: "otel-collector",
    values: {
      fullnameOverride: "otel-collector",
      mode: "deployment",
      replicaCount: 3,
      service: { type: "ClusterIP" },
      config: {
        receivers: { otlp: { protocols: { grpc: { endpoint: "0.0.0.0:4317" } } } },
        processors: { memory_limiter: {}, tail_sampling: { decision_wait: "10s", policies: [] }, batch: {} },
        exporters: { otlp_grpc: { endpoint: "tempo-distributor.observability.svc:4317" } },
        service: { pipelines: { traces: { receivers: ["otlp"], processors: ["memory_limiter", "tail_sampling", "batch"], exporters: ["otlp_grpc"] } } },
      },
    },
  };
  return { ...a, releases: [...a.releases.filter((r) => !r.releaseName.startsWith("otel-")), gateway] };
}

describe("invariant: tail sampling only behind trace-id routing", () => {
  it("is registered with the topology invariants synth runs", () => {
    expect(TOPOLOGY_INVARIANTS).toContain(traceRoutingProblems);
  });

  it.each(artifacts.map((a) => [a.profile.name, a] as const))("%s: holds for the shipped profile", (_env, a) => {
    expect(traceRoutingProblems(a)).toEqual([]);
  });

  it("fails on the single gateway that tail-samples behind a ClusterIP, naming the environment, release and values", () => {
    expect(traceRoutingProblems(withSingleGateway(prod))).toEqual([
      'prod: release otel-collector runs tail_sampling (pipeline traces) with mode = "deployment": it must be "statefulset", so each pod is an endpoint of its own behind a headless Service',
      'prod: release otel-collector runs tail_sampling (pipeline traces) behind service.clusterIP = unset: it must be "None" (a headless Service), or the spans of one trace land on different pods',
      'prod: release otel-collector runs tail_sampling (pipeline traces), but no load_balancing exporter routes traces to its Service "otel-collector" by traceID: whatever sends to it spreads the spans of one trace over its pods',
    ]);
  });

  it("fails when the sampler's Service has a cluster IP", () => {
    const broken = withRelease(prod, "otel-sampler", (v) => delete v.service.clusterIP);
    expect(traceRoutingProblems(broken)).toEqual([
      expect.stringMatching(/^prod: release otel-sampler runs tail_sampling \(pipeline traces\) behind service\.clusterIP = unset: it must be "None"/),
    ]);
  });

  it("fails when the sampler runs as a Deployment", () => {
    const broken = withRelease(prod, "otel-sampler", (v) => (v.mode = "deployment"));
    expect(traceRoutingProblems(broken)).toEqual([expect.stringContaining('otel-sampler runs tail_sampling (pipeline traces) with mode = "deployment"')]);
  });

  it("fails when the gateway's load balancer routes by service instead of trace id", () => {
    const broken = withRelease(prod, "otel-collector", (v) => (v.config.exporters["load_balancing/sampler"].routing_key = "service"));
    expect(traceRoutingProblems(broken)).toEqual([
      'prod: release otel-sampler runs tail_sampling (pipeline traces), but release otel-collector (pipeline traces) routes traces to it (config.exporters.load_balancing/sampler.resolver.k8s.service = "otel-sampler.observability") by service (config.exporters.load_balancing/sampler.routing_key = "service"): it must route by traceID',
      'prod: release otel-sampler runs tail_sampling (pipeline traces), but no load_balancing exporter routes traces to its Service "otel-sampler" by traceID: whatever sends to it spreads the spans of one trace over its pods',
    ]);
  });

  it("fails when something sends traces to the sampler's Service directly", () => {
    const broken = withRelease(prod, "otel-collector", (v) => {
      v.config.exporters["otlp_grpc/sampler"] = { endpoint: "otel-sampler.observability.svc:4317" };
      v.config.service.pipelines.traces.exporters.push("otlp_grpc/sampler");
    });
    expect(traceRoutingProblems(broken)).toEqual([
      'prod: release otel-sampler runs tail_sampling (pipeline traces), but release otel-collector (pipeline traces) sends traces to its Service directly (config.exporters.otlp_grpc/sampler.endpoint = "otel-sampler.observability.svc:4317"): only a load_balancing exporter routing by traceID may feed it',
    ]);
  });

  it("fails when the load balancer resolves another Service than the sampler's", () => {
    const broken = withRelease(
      prod,
      "otel-collector",
      (v) => (v.config.exporters["load_balancing/sampler"].resolver = { dns: { hostname: "otel-other.observability.svc.cluster.local" } }),
    );
    expect(traceRoutingProblems(broken)).toEqual([
      expect.stringContaining('no load_balancing exporter routes traces to its Service "otel-sampler" by traceID'),
    ]);
  });

  it("accepts a DNS resolver on the sampler's headless Service, and the deprecated `loadbalancing` type", () => {
    const viaDns = withRelease(prod, "otel-collector", (v) => {
      v.config.exporters["loadbalancing"] = {
        routing_key: "traceID",
        resolver: { dns: { hostname: "otel-sampler.observability.svc.cluster.local", port: 4317 } },
      };
      delete v.config.exporters["load_balancing/sampler"];
      v.config.service.pipelines.traces.exporters = ["loadbalancing"];
    });
    expect(traceRoutingProblems(viaDns)).toEqual([]);
  });

  it.each(["metrics", "logs"])("fails when a %s pipeline routes by trace id", (signal) => {
    const broken = withRelease(prod, "otel-collector", (v) => (v.config.service.pipelines[signal].exporters = ["load_balancing/sampler"]));
    expect(traceRoutingProblems(broken)).toContain(
      `prod: release otel-collector routes ${signal} by traceID (pipeline ${signal}, config.exporters.load_balancing/sampler.routing_key = "traceID"): only traces may be routed by trace id`,
    );
  });
});
