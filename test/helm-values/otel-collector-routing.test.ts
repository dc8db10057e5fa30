import { clusterEndpoints } from "../../helm-values/cluster-endpoints";
import { envs, pipelinesOf, profileOf, tiersOf } from "./otel-collector-tiers";

describe("gateway -> sampler: traces routed by trace id", () => {
  it.each(envs)("%s: the gateway's load balancer routes by traceID to the sampler's headless Service, on the port its OTLP gRPC receiver listens on", (env) => {
    const profile = profileOf(env);
    const { gateway, sampler } = tiersOf(env);
    const router = gateway.config.exporters["load_balancing/sampler"];
    expect(router.routing_key).toBe("traceID");
    expect(router.protocol).toEqual({ otlp: { tls: { insecure: true } } });
    // The sampler's Service is named after its fullname and is headless: the resolver sees each pod.
    expect(router.resolver).toEqual({ k8s: { service: `${sampler.fullnameOverride}.${profile.namespace}`, ports: [4317] } });
    expect(sampler.mode).toBe("statefulset");
    expect(sampler.service).toEqual({ type: "ClusterIP", clusterIP: "None" });
    expect(sampler.config.receivers.otlp.protocols.grpc.endpoint).toMatch(/:4317$/);
    expect(sampler.ports.otlp.enabled).toBe(true);
  });

  it.each(envs)("%s: the k8s resolver may read the sampler's Endpoints and EndpointSlices", (env) => {
    const { gateway } = tiersOf(env);
    expect(gateway.clusterRole.create).toBe(true);
    expect(gateway.clusterRole.rules).toEqual(
      expect.arrayContaining([
        { apiGroups: [""], resources: ["endpoints"], verbs: ["get", "list", "watch"] },
        { apiGroups: ["discovery.k8s.io"], resources: ["endpointslices"], verbs: ["get", "list", "watch"] },
      ]),
    );
  });

  it.each(envs)("%s: no tier routes metrics or logs by trace id", (env) => {
    for (const tier of Object.values(tiersOf(env))) {
      for (const [name, pipeline] of Object.entries(pipelinesOf(tier.config))) {
        if (name.startsWith("traces")) continue;
        for (const id of pipeline.exporters)
          expect({ pipeline: name, exporter: id }).not.toEqual({ pipeline: name, exporter: expect.stringMatching(/^load_?balancing/) });
      }
    }
  });
});

describe("sampler: tail sampling", () => {
  it.each([
    ["dev", 100],
    ["staging", 20],
    ["prod", 10],
  ] as const)("%s: keeps every error, every slow trace and %d%% of the rest, deciding after decision_wait", (env, percentage) => {
    const profile = profileOf(env);
    const tracing = profile.openTelemetryCollector.tracing;
    expect(tracing.samplingPercentage).toBe(percentage);
    const sampling = tiersOf(env).sampler.config.processors.tail_sampling;
    expect(sampling.decision_wait).toBe(`${tracing.decisionWaitSeconds}s`);
    const policy = (type: string) => sampling.policies.find((p: any) => p.type === type);
    expect(policy("status_code")).toMatchObject({ status_code: { status_codes: ["ERROR"] } });
    expect(policy("latency")).toMatchObject({ latency: { threshold_ms: tracing.slowTraceThresholdMs } });
    expect(policy("probabilistic")).toMatchObject({ probabilistic: { sampling_percentage: percentage } });
    expect(new Set(sampling.policies.map((p: any) => p.name)).size).toBe(sampling.policies.length);
  });

  it.each(envs)("%s: only the sampler runs tail sampling", (env) => {
    const { agent, gateway, sampler } = tiersOf(env);
    expect(sampler.config.processors).toHaveProperty("tail_sampling");
    for (const tier of [agent, gateway]) {
      expect(tier.config.processors).not.toHaveProperty("tail_sampling");
      for (const pipeline of Object.values(pipelinesOf(tier.config))) expect(pipeline.processors).not.toContain("tail_sampling");
    }
  });
});

describe("exports", () => {
  it.each(envs)("%s: sampled traces to Tempo's OTLP gRPC receiver", (env) => {
    const endpoints = clusterEndpoints(profileOf(env));
    expect(tiersOf(env).sampler.config.exporters["otlp_grpc/tempo"]).toEqual({ endpoint: endpoints.tempoOtlpGrpcEndpoint, tls: { insecure: true } });
    expect(endpoints.tempoOtlpGrpcEndpoint).toMatch(/:4317$/);
  });

  it.each(envs)("%s: the gateway's metrics to the metrics store's OTLP endpoint, its tenant header only when it has one", (env) => {
    const store = clusterEndpoints(profileOf(env)).metricsStore;
    const exporter = tiersOf(env).gateway.config.exporters["otlp_http/metrics_store"];
    expect(exporter.endpoint).toBe(store.otlpUrl);
    expect(exporter.headers).toEqual(store.tenant === undefined ? undefined : { "X-Scope-OrgID": store.tenant });
  });

  it("sends the metrics store's tenant as X-Scope-OrgID when the store is multi-tenant", () => {
    jest.isolateModules(() => {
      jest.doMock("../../helm-values/cluster-endpoints", () => {
        const actual = jest.requireActual("../../helm-values/cluster-endpoints");
        return {
          ...actual,
          clusterEndpoints: (profile: any) => ({
            ...actual.clusterEndpoints(profile),
            metricsStore: {
              queryUrl: "http://mimir/prometheus",
              otlpUrl: "http://mimir-gateway.observability.svc:80/otlp",
              remoteWriteUrl: "http://mimir/api/v1/push",
              tenant: "prod-eu1",
            },
          }),
        };
      });
      const { buildOtelGatewayValues } = jest.requireActual("../../helm-values/otel-collector");
      const exporter = buildOtelGatewayValues(profileOf("prod")).config.exporters["otlp_http/metrics_store"];
      expect(exporter).toEqual({ endpoint: "http://mimir-gateway.observability.svc:80/otlp", headers: { "X-Scope-OrgID": "prod-eu1" } });
    });
  });

  it.each(envs)("%s: the gateway and the agent write logs to Loki's OTLP endpoint as Loki's tenant", (env) => {
    const profile = profileOf(env);
    const expected = { endpoint: `${clusterEndpoints(profile).lokiUrl}/otlp`, headers: { "X-Scope-OrgID": profile.loki.tenant } };
    const { agent, gateway } = tiersOf(env);
    expect(gateway.config.exporters["otlp_http/loki"]).toEqual(expected);
    expect(agent.config.exporters["otlp_http/loki"]).toEqual(expected);
    // Straight to Loki: the agent sends nothing to the gateway.
    expect(Object.keys(agent.config.exporters).filter((id) => agent.config.exporters[id] !== null)).toEqual(["otlp_http/loki"]);
  });
});
