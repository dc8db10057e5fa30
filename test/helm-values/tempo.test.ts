import { loadProfiles, type EnvironmentProfile } from "../../environments";
import { PROMETHEUS_SELECTOR_LABELS } from "../../helm-values/selector-labels";
import { buildTempoDistributedValues, buildTempoValues } from "../../helm-values/tempo";

const profiles = loadProfiles();
const profileOf = (name: string): EnvironmentProfile => profiles.find((p) => p.name === name)!;

/** The distributed topology of a profile, failing the test if it is not distributed. */
function distributedTopology(profile: EnvironmentProfile) {
  const topology = profile.tempo.topology;
  if (topology.kind !== "distributed") throw new Error(`${profile.name} is expected to run tempo-distributed`);
  return topology;
}

const COMPONENTS = ["distributor", "liveStore", "blockBuilder", "querier", "queryFrontend", "metricsGenerator", "backendWorker"] as const;

const requestsAndLimits = {
  requests: { cpu: expect.any(String), memory: expect.any(String) },
  limits: { cpu: expect.any(String), memory: expect.any(String) },
};

describe("tempo values (single binary, dev)", () => {
  const dev = profileOf("dev");
  const values = buildTempoValues(dev);

  it("runs the single binary with the local backend on a persistent volume sized from the profile", () => {
    const topology = dev.tempo.topology;
    if (topology.kind !== "single") throw new Error("dev is expected to run the single binary");
    expect(values.fullnameOverride).toBe("tempo");
    expect(values.replicas).toBe(topology.server.replicas);
    expect(values.tempo.resources).toEqual(topology.server.resources);
    expect(values.tempo.storage.trace.backend).toBe("local");
    expect(values.persistence).toMatchObject({ enabled: true, size: topology.persistence.size });
  });

  it("keeps traces for the profile's retention", () => {
    expect(values.tempo.retention).toBe(dev.tempo.retention);
    expect(values.tempo.retention).toBe("48h");
  });

  it("receives OTLP over gRPC and HTTP on all interfaces", () => {
    expect(values.tempo.receivers.otlp.protocols).toEqual({
      grpc: { endpoint: "0.0.0.0:4317" },
      http: { endpoint: "0.0.0.0:4318" },
    });
  });

  it("generates service-graph, span and TraceQL metrics and remote-writes them to Prometheus, dev's metrics store", () => {
    const generator = values.tempo.metricsGenerator;
    expect(generator.enabled).toBe(true);
    expect(generator.remoteWriteUrl).toBe("http://kps-prometheus.observability.svc:9090/api/v1/write");
    // Prometheus is single-tenant: no tenant header.
    expect(generator.storage.remote_write).toEqual([{ url: generator.remoteWriteUrl, send_exemplars: true }]);
    expect(values.tempo.overrides.defaults.metrics_generator.processors).toEqual(["service-graphs", "span-metrics", "local-blocks"]);
  });

  it("is scraped through a ServiceMonitor Prometheus selects", () => {
    expect(values.serviceMonitor).toEqual({ enabled: true, additionalLabels: PROMETHEUS_SELECTOR_LABELS });
  });

  it("bounds the Go heap below the memory limit instead of the chart's 1 GiB ballast", () => {
    expect(values.tempo.memBallastSizeMbs).toBe(0);
    // dev's limit is 1Gi: 85% of 1024 MiB.
    expect(values.tempo.extraEnv).toEqual([{ name: "GOMEMLIMIT", value: "870MiB" }]);
  });

  it("sends the tenant to Mimir when a single-binary profile has Mimir too", () => {
    const withMimir = { ...dev, mimir: profileOf("staging").mimir };
    expect(buildTempoValues(withMimir).tempo.metricsGenerator.storage.remote_write).toEqual([
      { url: "http://mimir-gateway.observability.svc:80/api/v1/push", send_exemplars: true, headers: { "X-Scope-OrgID": "platform" } },
    ]);
  });

  it("refuses a second replica of the single binary", () => {
    const topology = dev.tempo.topology;
    if (topology.kind !== "single") throw new Error("dev is expected to run the single binary");
    const twice = { ...dev, tempo: { ...dev.tempo, topology: { ...topology, server: { ...topology.server, replicas: 2 } } } };
    expect(() => buildTempoValues(twice)).toThrow(/tempo\.topology\.server\.replicas/);
  });
});

describe.each(["staging", "prod"])("tempo-distributed values (%s)", (env) => {
  const profile = profileOf(env);
  const topology = distributedTopology(profile);
  const values = buildTempoDistributedValues(profile);

  it("writes through the profile's Kafka", () => {
    expect(values.ingest.kafka.address).toBe(topology.kafka.address);
    expect(values.ingest.kafka.address).toBe("kafka-bootstrap.kafka.svc:9092");
    expect(values.ingest.kafka.topic).toBe(topology.kafka.topic);
    expect(values.ingest.kafka.topic).toBe("tempo-ingest");
  });

  it("keeps blocks in the profile's S3 bucket and region", () => {
    expect(values.storage.trace.backend).toBe("s3");
    expect(values.storage.trace.s3).toMatchObject({
      bucket: topology.storage.bucket,
      region: topology.storage.region,
      endpoint: `s3.${topology.storage.region}.amazonaws.com`,
      insecure: false,
    });
    expect(values.storage.trace.s3.bucket).toBe(`acme-${env}-tempo-traces`);
  });

  it("takes the S3 credentials from the named Secret and holds no credential itself", () => {
    expect(values.global.extraEnvFrom).toEqual([{ secretRef: { name: topology.storage.credentialsSecretName } }]);
    expect(values.global.extraEnvFrom[0]!.secretRef.name).toBe("tempo-object-storage");
    const text = JSON.stringify(values);
    expect(text).not.toMatch(/AKIA[0-9A-Z]{4,}/);
    expect(text).not.toMatch(/access_key|secret_key|AWS_SECRET_ACCESS_KEY|AWS_ACCESS_KEY_ID/);
  });

  it("runs every component with the profile's replicas and requests/limits", () => {
    for (const name of COMPONENTS) {
      expect([name, values[name].replicas]).toEqual([name, topology.components[name].replicas]);
      expect([name, values[name].resources]).toEqual([name, topology.components[name].resources]);
      expect(values[name].resources).toEqual(requestsAndLimits);
    }
    expect(values.backendScheduler.resources).toEqual(topology.components.backendScheduler.resources);
    expect(values.metricsGenerator.enabled).toBe(true);
    expect(values.backendScheduler.enabled).toBe(true);
  });

  it("enables a PodDisruptionBudget exactly for replicated components", () => {
    for (const name of COMPONENTS) {
      const replicated = topology.components[name].replicas > 1;
      expect([name, values[name].podDisruptionBudget.enabled]).toEqual([name, replicated]);
      expect(values[name].maxUnavailable).toBe(1);
    }
  });

  it("gives every live-store a Kafka partition and every partition a block-builder", () => {
    const { liveStore, blockBuilder } = topology.components;
    expect(values.ingest.kafka.auto_create_topic_default_partitions).toBe(liveStore.replicas);
    const perBuilder = values.blockBuilder.config.partitions_per_instance;
    expect(perBuilder * blockBuilder.replicas).toBeGreaterThanOrEqual(liveStore.replicas);
    expect((perBuilder - 1) * blockBuilder.replicas).toBeLessThan(liveStore.replicas);
  });

  it("receives OTLP gRPC and HTTP on the distributor (off by default in 3.x)", () => {
    expect(values.traces.otlp.grpc.enabled).toBe(true);
    expect(values.traces.otlp.http.enabled).toBe(true);
    expect(values.fullnameOverride).toBe("tempo");
  });

  it("keeps traces for the profile's retention", () => {
    expect(values.backendScheduler.config.provider.compaction.compaction.block_retention).toBe(profile.tempo.retention);
    expect(values.backendWorker.config.compaction.block_retention).toBe(profile.tempo.retention);
  });

  it("remote-writes service-graph and span metrics to Mimir's gateway as the profile's tenant, never to a Prometheus Service", () => {
    expect(values.metricsGenerator.config.storage.remote_write).toEqual([
      { url: "http://mimir-gateway.observability.svc:80/api/v1/push", send_exemplars: true, headers: { "X-Scope-OrgID": profile.mimir!.tenant } },
    ]);
    expect(profile.mimir!.tenant).toBe("platform");
    // Tempo's own tenant id is not added on top of the store's.
    expect(values.metricsGenerator.config.storage.remote_write_add_org_id_header).toBe(false);
    expect(values.overrides.defaults.metrics_generator.processors).toEqual(["service-graphs", "span-metrics"]);
  });

  it("runs nothing the profile does not size, and is scraped through ServiceMonitors Prometheus selects", () => {
    expect(values.memcached.enabled).toBe(false);
    expect(values.memcachedExporter.enabled).toBe(false);
    expect(values.cache.caches).toEqual([]);
    expect(values.gateway.enabled).toBe(false);
    expect(values.enterprise.enabled).toBe(false);
    expect(values.queryFrontend.query.enabled).toBe(false);
    expect(values.metaMonitoring.serviceMonitor).toEqual({ enabled: true, labels: PROMETHEUS_SELECTOR_LABELS });
    expect(values).not.toHaveProperty("ingester");
    expect(values).not.toHaveProperty("compactor");
  });

  it("is deterministic", () => {
    expect(buildTempoDistributedValues(profile)).toEqual(values);
  });
});

describe("tempo-distributed values (prod specifics)", () => {
  const values = buildTempoDistributedValues(profileOf("prod"));

  it("puts PodDisruptionBudgets on prod's replicated components", () => {
    expect(values.distributor).toMatchObject({ replicas: 3, podDisruptionBudget: { enabled: true } });
    expect(values.liveStore).toMatchObject({ replicas: 3, podDisruptionBudget: { enabled: true } });
    expect(values.blockBuilder).toMatchObject({ replicas: 2, podDisruptionBudget: { enabled: true } });
    expect(values.querier).toMatchObject({ replicas: 2, podDisruptionBudget: { enabled: true } });
    expect(values.queryFrontend).toMatchObject({ replicas: 2, podDisruptionBudget: { enabled: true } });
    expect(values.metricsGenerator).toMatchObject({ replicas: 2, podDisruptionBudget: { enabled: true } });
    expect(values.backendWorker).toMatchObject({ replicas: 2, podDisruptionBudget: { enabled: true } });
  });

  it("splits prod's three partitions over two block-builders", () => {
    expect(values.ingest.kafka.auto_create_topic_default_partitions).toBe(3);
    expect(values.blockBuilder.config.partitions_per_instance).toBe(2);
  });

  it("uses a custom S3 endpoint path-style when the profile names one", () => {
    const prod = profileOf("prod");
    const topology = distributedTopology(prod);
    const minio = {
      ...prod,
      tempo: { ...prod.tempo, topology: { ...topology, storage: { ...topology.storage, endpoint: "minio.storage.svc:9000", insecure: true } } },
    };
    expect(buildTempoDistributedValues(minio).storage.trace.s3).toMatchObject({
      endpoint: "minio.storage.svc:9000",
      insecure: true,
      forcepathstyle: true,
    });
  });
});

describe("choosing the chart by tempo.topology.kind", () => {
  it("refuses to build single-binary values for a distributed profile", () => {
    expect(() => buildTempoValues(profileOf("prod"))).toThrow(/tempo\.topology\.kind.*"distributed".*buildTempoDistributedValues/);
  });

  it("refuses to build tempo-distributed values for a single-binary profile", () => {
    expect(() => buildTempoDistributedValues(profileOf("dev"))).toThrow(/tempo\.topology\.kind.*"single".*buildTempoValues/);
  });
});
