import YAML from "yaml";
import { requestedCapacity } from "../../environments/capacity";
import { RELEASES } from "../../helm-values/release-names";
import { buildOtelCollectorReleases, OTEL_COLLECTOR_K8S_COMMAND, OTEL_COLLECTOR_K8S_IMAGE } from "../../helm-values/otel-collector";
import { PROMETHEUS_SELECTOR_LABELS } from "../../helm-values/selector-labels";
import { envs, pipelinesOf, profileOf, profiles, routesOf, TIERS, tiersOf } from "./otel-collector-tiers";

describe("OpenTelemetry Collector tiers", () => {
  it.each(envs)("%s: three releases, sampler before the gateway that routes to it, gateway keeping the name apps send to", (env) => {
    const releases = buildOtelCollectorReleases(profileOf(env));
    expect(releases.map((r) => [r.releaseName, (r.values as any).fullnameOverride, (r.values as any).mode])).toEqual([
      ["otel-sampler", "otel-sampler", "statefulset"],
      ["otel-collector", "otel-collector", "deployment"],
      ["otel-agent", "otel-agent", "daemonset"],
    ]);
    // Spec 001: OTEL_EXPORTER_OTLP_ENDPOINT=grpc://otel-collector:4317.
    expect(RELEASES.openTelemetryCollector).toBe("otel-collector");
  });

  it.each(envs)("%s: every tier runs the k8s distribution of the collector", (env) => {
    for (const tier of Object.values(tiersOf(env))) {
      expect(tier.image).toEqual({ repository: OTEL_COLLECTOR_K8S_IMAGE });
      expect(tier.image.repository).toMatch(/\/opentelemetry-collector-k8s$/);
      expect(tier.command).toEqual({ name: OTEL_COLLECTOR_K8S_COMMAND });
      expect(tier.apiVersion).toBe("apps/v1");
    }
  });

  it.each([
    ["dev", 1, 1, false],
    ["staging", 2, 2, true],
    ["prod", 3, 3, true],
  ] as const)("%s: gateway x%d and sampler x%d sized from the profile, PDBs %s", (env, gateways, samplers, pdb) => {
    const profile = profileOf(env);
    const { agent, gateway, sampler } = tiersOf(env);
    const collector = profile.openTelemetryCollector;
    expect([gateway.replicaCount, sampler.replicaCount]).toEqual([gateways, samplers]);
    expect([gateway.replicaCount, sampler.replicaCount]).toEqual([collector.gateway.replicas, collector.sampler.replicas]);
    expect(gateway.resources).toEqual(collector.gateway.resources);
    expect(sampler.resources).toEqual(collector.sampler.resources);
    expect(agent.resources).toEqual(collector.agent.resources);
    // A DaemonSet runs one pod per node: no replica count.
    expect(agent).not.toHaveProperty("replicaCount");
    const budget = pdb ? { enabled: true, maxUnavailable: 1 } : { enabled: false };
    expect([gateway.podDisruptionBudget, sampler.podDisruptionBudget]).toEqual([budget, budget]);
  });

  it.each(envs)("%s: every tier's own metrics are scraped with the labels Prometheus selects by", (env) => {
    const { agent, gateway, sampler } = tiersOf(env);
    for (const tier of [gateway, sampler]) {
      expect(tier.ports.metrics.enabled).toBe(true);
      expect(tier.serviceMonitor).toEqual({ enabled: true, extraLabels: PROMETHEUS_SELECTOR_LABELS });
    }
    // The chart renders a ServiceMonitor only with a Service, and the agent has none: a PodMonitor.
    expect(agent.ports.metrics.enabled).toBe(true);
    expect(agent.serviceMonitor).toEqual({ enabled: false });
    expect(agent.podMonitor).toEqual({ enabled: true, extraLabels: PROMETHEUS_SELECTOR_LABELS });
    expect(agent.service).toBeUndefined();
  });

  it.each(envs)("%s: OTLP ports only where OTLP is received; the chart's jaeger and zipkin ports off everywhere", (env) => {
    const { agent, gateway, sampler } = tiersOf(env);
    const open = (tier: any) => Object.entries(tier.ports).flatMap(([name, port]: [string, any]) => (port.enabled ? [name] : []));
    expect(open(gateway)).toEqual(["otlp", "otlp-http", "metrics"]);
    expect(open(sampler)).toEqual(["otlp", "metrics"]);
    expect(open(agent)).toEqual(["metrics"]);
  });

  it.each(profiles.filter((p) => p.metricsExposure === "internal").map((p) => [p.name] as const))(
    "%s (metrics internal): no Service of any tier is reachable from outside the cluster",
    (env) => {
      const { agent, gateway, sampler } = tiersOf(env);
      for (const tier of [gateway, sampler]) {
        expect(tier.service.type).toBe("ClusterIP");
        expect(tier.ingress.enabled).toBe(false);
      }
      // The DaemonSet gets no Service (the chart's default for daemonset mode) and no ingress.
      expect([agent.service, agent.ingress]).toEqual([undefined, undefined]);
      for (const tier of [agent, gateway, sampler]) for (const port of Object.values(tier.ports)) expect(port).not.toHaveProperty("nodePort");
    },
  );

  it.each(envs)("%s: the capacity check counts the agent once per node and the gateway and the sampler by replicas", (env) => {
    const profile = profileOf(env);
    const rows = requestedCapacity(profile).filter((r) => r.workload.startsWith("otel-"));
    const collector = profile.openTelemetryCollector;
    expect(rows.map((r) => [r.workload, r.pods])).toEqual([
      ["otel-agent", profile.clusterCapacity.nodes],
      ["otel-collector", collector.gateway.replicas],
      ["otel-sampler", collector.sampler.replicas],
    ]);
    expect(rows[0]!.memoryMi).toBe(profile.clusterCapacity.nodes * parseInt(collector.agent.resources.requests.memory, 10));
  });

  it("is deterministic and survives a YAML round trip unchanged", () => {
    for (const profile of profiles) {
      for (const release of buildOtelCollectorReleases(profile)) {
        expect(buildOtelCollectorReleases(profile).find((r) => r.releaseName === release.releaseName)).toEqual(release);
        expect(YAML.parse(YAML.stringify(release.values))).toEqual(release.values);
      }
    }
  });
});

describe("OpenTelemetry Collector pipelines", () => {
  it.each(envs)("%s: the gateway's traces, metrics and logs: memory_limiter, k8s_attributes, redaction, batch", (env) => {
    const processors = ["memory_limiter", "k8s_attributes", "transform/redact_pii", "batch"];
    expect(pipelinesOf(tiersOf(env).gateway.config)).toEqual({
      traces: { receivers: ["otlp"], processors, exporters: ["load_balancing/sampler"] },
      metrics: { receivers: ["otlp"], processors, exporters: ["otlp_http/metrics_store"] },
      logs: { receivers: ["otlp"], processors, exporters: ["otlp_http/loki"] },
    });
  });

  it.each(envs)("%s: the sampler's only pipeline: tail sampling, then redaction, then Tempo", (env) => {
    expect(pipelinesOf(tiersOf(env).sampler.config)).toEqual({
      traces: { receivers: ["otlp"], processors: ["memory_limiter", "tail_sampling", "transform/redact_pii", "batch"], exporters: ["otlp_grpc/tempo"] },
    });
  });

  it.each(envs)("%s: the agent reads container logs, filters, then routes by severity to a kept and a sampled pipeline", (env) => {
    expect(pipelinesOf(tiersOf(env).agent.config)).toEqual({
      logs: {
        receivers: ["file_log"],
        processors: ["memory_limiter", "k8s_attributes", "transform/parse_container_logs", "filter/minimum_log_level"],
        exporters: ["routing/severity"],
      },
      "logs/kept_whole": { receivers: ["routing/severity"], processors: ["memory_limiter", "transform/redact_pii", "batch"], exporters: ["otlp_http/loki"] },
      "logs/info_sampled": {
        receivers: ["routing/severity"],
        processors: ["memory_limiter", "transform/log_record_uid", "probabilistic_sampler/info_logs", "transform/redact_pii", "batch"],
        exporters: ["otlp_http/loki"],
      },
    });
  });

  it.each(envs)("%s: every route of every tier starts with memory_limiter, redacts before export and batches last", (env) => {
    for (const tierName of TIERS) {
      const routes = routesOf(tiersOf(env)[tierName].config);
      expect(routes.length).toBeGreaterThan(0);
      for (const route of routes) {
        const { processors } = route;
        const redactedAt = processors.indexOf("transform/redact_pii");
        expect({ tier: tierName, route, first: processors[0], last: processors[processors.length - 1], redacts: redactedAt > 0 }).toEqual({
          tier: tierName,
          route,
          first: "memory_limiter",
          last: "batch",
          redacts: true,
        });
      }
    }
  });

  it("the route walker follows connectors, so the redaction test cannot pass on a pipeline that never exports", () => {
    const config = {
      connectors: { "routing/x": {} },
      service: {
        pipelines: {
          logs: { receivers: ["file_log"], processors: ["memory_limiter"], exporters: ["routing/x"] },
          "logs/a": { receivers: ["routing/x"], processors: ["batch"], exporters: ["otlp_http/loki"] },
          traces: null,
        },
      },
    };
    expect(routesOf(config)).toEqual([{ pipelines: ["logs", "logs/a"], processors: ["memory_limiter", "batch"], exporter: "otlp_http/loki" }]);
  });

  it.each(envs)("%s: every component a pipeline names is configured (or filled in by a preset) and not a removed default", (env) => {
    for (const tierName of TIERS) {
      const config = tiersOf(env)[tierName].config;
      const components = { ...config.receivers, ...config.processors, ...config.exporters, ...config.connectors };
      for (const [name, pipeline] of Object.entries(pipelinesOf(config))) {
        for (const id of [...pipeline.receivers, ...pipeline.processors, ...pipeline.exporters]) {
          expect({ tier: tierName, pipeline: name, id, configured: components[id] }).toEqual({
            tier: tierName,
            pipeline: name,
            id,
            configured: expect.any(Object),
          });
        }
      }
      expect(config.service.extensions).toEqual(["health_check"]);
      expect(config.extensions.health_check).toEqual({ endpoint: "${env:MY_POD_IP}:13133" });
    }
  });

  it.each(envs)("%s: the chart's default debug exporter, jaeger/zipkin/prometheus receivers and unused pipelines are removed", (env) => {
    const { agent, gateway, sampler } = tiersOf(env);
    for (const tier of [agent, gateway, sampler]) {
      expect(tier.config.exporters.debug).toBeNull();
      expect(tier.config.receivers).toMatchObject({ jaeger: null, zipkin: null, prometheus: null });
    }
    expect(agent.config.receivers.otlp).toBeNull();
    expect(agent.config.service.pipelines).toMatchObject({ traces: null, metrics: null });
    expect(sampler.config.service.pipelines).toMatchObject({ metrics: null, logs: null });
    // The sampler's load balancer speaks gRPC: the chart's default HTTP protocol is removed.
    expect(sampler.config.receivers.otlp.protocols).toEqual({ grpc: { endpoint: "0.0.0.0:4317" }, http: null });
    expect(gateway.config.receivers.otlp.protocols).toEqual({ grpc: { endpoint: "0.0.0.0:4317" }, http: { endpoint: "0.0.0.0:4318" } });
  });

  it.each(envs)("%s: memory_limiter is a share of the container limit; one redaction component, the same in every tier", (env) => {
    const tiers = Object.values(tiersOf(env));
    for (const tier of tiers) expect(tier.config.processors.memory_limiter).toEqual({ check_interval: "1s", limit_percentage: 80, spike_limit_percentage: 20 });
    const [first, ...rest] = tiers.map((tier) => tier.config.processors["transform/redact_pii"]);
    expect(first.error_mode).toBe("ignore");
    for (const other of rest) expect(other).toEqual(first);
  });
});
