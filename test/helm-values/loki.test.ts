import { loadProfiles, type EnvironmentProfile } from "../../environments";
import { requestedCapacity } from "../../environments/capacity";
import { cpuToMillicores, memoryToMebibytes } from "../../environments/quantities";
import { clusterEndpoints } from "../../helm-values/cluster-endpoints";
import { buildLokiValues } from "../../helm-values/loki";

const profiles = loadProfiles();
const profileOf = (name: string) => profiles.find((p) => p.name === name)!;
// The values are a union per deployment mode; the tests read them as the chart does, by key.
const valuesOf = (name: string) => buildLokiValues(profileOf(name)) as any;

const DISTRIBUTED = ["distributor", "ingester", "querier", "queryFrontend", "queryScheduler", "indexGateway", "compactor"] as const;
const NEVER_RUN = ["read", "write", "backend", "ruler", "bloomGateway", "bloomPlanner", "bloomBuilder", "patternIngester", "overridesExporter"] as const;
/** Every values section that can run Loki, gateway or cache pods. */
const WORKLOADS = ["gateway", "singleBinary", ...DISTRIBUTED, ...NEVER_RUN, "chunksCache", "resultsCache"] as const;

const running = (values: any) => WORKLOADS.filter((key) => values[key].enabled !== false && (values[key].replicas ?? 0) > 0);

const withRequestsAndLimits = {
  requests: { cpu: expect.any(String), memory: expect.any(String) },
  limits: { cpu: expect.any(String), memory: expect.any(String) },
};

describe("loki values", () => {
  it.each([
    ["dev", "Monolithic", 1, "48h", "filesystem"],
    // staging has 2 ingesters: a factor of 3 would leave no margin for a restart.
    ["staging", "Distributed", 2, "168h", "s3"],
    ["prod", "Distributed", 3, "720h", "s3"],
  ] as const)("%s: %s, replication factor %d, keeps %s, on %s", (env, mode, replicationFactor, retention, store) => {
    const values = valuesOf(env);
    expect(values.deploymentMode).toBe(mode);
    expect(values.loki.commonConfig.replication_factor).toBe(replicationFactor);
    expect(values.loki.limits_config.retention_period).toBe(retention);
    expect(values.loki.storage.type).toBe(store);
    expect(values.loki.compactor).toEqual({ retention_enabled: true, delete_request_store: store });
    expect(values.loki.schemaConfig).toEqual({
      configs: [{ from: "2024-01-01", store: "tsdb", object_store: store, schema: "v13", index: { prefix: "loki_index_", period: "24h" } }],
    });
  });

  it.each(profiles.map((p) => [p.name, p] as const))(
    "%s: retention is the profile's, auth is on, and building twice gives the same values",
    (_name, profile) => {
      const values = buildLokiValues(profile);
      expect(values.loki.limits_config.retention_period).toBe(profile.loki.retention);
      expect(values.loki.auth_enabled).toBe(true);
      expect(JSON.stringify(buildLokiValues(profile))).toBe(JSON.stringify(values));
    },
  );

  it.each([
    ["dev", { gateway: 1, singleBinary: 1, distributor: 0, ingester: 0, querier: 0, queryFrontend: 0, queryScheduler: 0, indexGateway: 0, compactor: 0 }],
    ["staging", { gateway: 1, singleBinary: 0, distributor: 2, ingester: 2, querier: 2, queryFrontend: 1, queryScheduler: 1, indexGateway: 1, compactor: 1 }],
    ["prod", { gateway: 2, singleBinary: 0, distributor: 3, ingester: 3, querier: 3, queryFrontend: 2, queryScheduler: 2, indexGateway: 2, compactor: 1 }],
  ] as const)("%s: replicas per component", (env, expected) => {
    const values = valuesOf(env);
    for (const [component, replicas] of Object.entries(expected)) {
      expect([component, values[component].replicas]).toEqual([component, replicas]);
    }
    for (const component of NEVER_RUN) expect([component, values[component].replicas]).toEqual([component, 0]);
  });

  it.each(profiles.map((p) => p.name))("%s: runs exactly the pods environments/capacity.ts budgets", (env) => {
    const profile = profileOf(env);
    const values = valuesOf(env);
    const lokiRows = requestedCapacity(profile).filter((r) => r.workload.startsWith("loki") && !r.workload.endsWith("-exporter"));
    const podsInValues = running(values).reduce((sum, key) => sum + values[key].replicas, 0);
    expect(podsInValues).toBe(lokiRows.reduce((sum, r) => sum + r.pods, 0));
    // And each one requests what its row counts.
    const rowOf = (workload: string) => lokiRows.find((r) => r.workload === workload)!;
    const rowName: Record<string, string> = {
      gateway: "loki-gateway",
      singleBinary: "loki",
      chunksCache: "loki-chunks-cache",
      resultsCache: "loki-results-cache",
    };
    for (const key of running(values)) {
      const row = rowOf(rowName[key] ?? `loki-${key}`);
      expect([key, values[key].replicas * cpuToMillicores(values[key].resources.requests.cpu)]).toEqual([key, row.cpuMillicores]);
      expect([key, values[key].replicas * memoryToMebibytes(values[key].resources.requests.memory)]).toEqual([key, row.memoryMi]);
    }
  });

  it("prod: memcached caches and their exporters request exactly what the capacity check counts", () => {
    const values = valuesOf("prod");
    const rows = requestedCapacity(profileOf("prod"));
    expect(values.chunksCache).toMatchObject({ enabled: true, replicas: 2, allocatedMemory: 2048 });
    expect(values.resultsCache).toMatchObject({ enabled: true, replicas: 2, allocatedMemory: 512 });
    // 2048 MiB and 512 MiB of items plus 20%, rounded up.
    expect(values.chunksCache.resources.requests).toEqual({ cpu: "100m", memory: "2458Mi" });
    expect(values.resultsCache.resources.requests).toEqual({ cpu: "100m", memory: "615Mi" });
    expect(values.memcachedExporter.resources.requests).toEqual({ cpu: "10m", memory: "32Mi" });
    for (const [cache, row] of [
      ["chunksCache", "loki-chunks-cache"],
      ["resultsCache", "loki-results-cache"],
    ] as const) {
      const cacheRow = rows.find((r) => r.workload === row)!;
      const exporterRow = rows.find((r) => r.workload === `${row}-exporter`)!;
      const requests = values[cache].resources.requests;
      expect(cacheRow.cpuMillicores).toBe(values[cache].replicas * cpuToMillicores(requests.cpu));
      expect(cacheRow.memoryMi).toBe(values[cache].replicas * memoryToMebibytes(requests.memory));
      expect(exporterRow.cpuMillicores).toBe(values[cache].replicas * cpuToMillicores(values.memcachedExporter.resources.requests.cpu));
      expect(exporterRow.memoryMi).toBe(values[cache].replicas * memoryToMebibytes(values.memcachedExporter.resources.requests.memory));
    }
  });

  it.each(["dev", "staging", "prod"])("%s: cache limits are at least their requests", (env) => {
    const values = valuesOf(env);
    for (const resources of [values.chunksCache.resources, values.resultsCache.resources, values.memcachedExporter.resources]) {
      expect(cpuToMillicores(resources.limits.cpu)).toBeGreaterThanOrEqual(cpuToMillicores(resources.requests.cpu));
      expect(memoryToMebibytes(resources.limits.memory)).toBeGreaterThanOrEqual(memoryToMebibytes(resources.requests.memory));
    }
  });

  it("dev: a small chunks cache, not the chart's 8 GiB default", () => {
    const values = valuesOf("dev");
    expect(values.chunksCache).toMatchObject({ replicas: 1, allocatedMemory: 256, resources: { requests: { cpu: "100m", memory: "308Mi" } } });
    expect(values.resultsCache).toMatchObject({ replicas: 1, allocatedMemory: 128, resources: { requests: { cpu: "100m", memory: "154Mi" } } });
  });

  it("prod: S3 buckets and region, credentials only from the named Secret", () => {
    const values = valuesOf("prod");
    expect(values.loki.storage).toEqual({
      type: "s3",
      bucketNames: { chunks: "acme-prod-loki-chunks", ruler: "acme-prod-loki-ruler" },
      s3: { region: "eu-west-1", s3ForcePathStyle: false, insecure: false },
    });
    expect(values.defaults.extraEnvFrom).toEqual([{ secretRef: { name: "loki-object-storage" } }]);
    const json = JSON.stringify(values);
    expect(json).not.toMatch(/AKIA/);
    expect(json).not.toMatch(/accessKeyId|secretAccessKey|access_key_id|secret_access_key|AWS_SECRET_ACCESS_KEY/);
  });

  it("staging: its own buckets, the same credentials Secret", () => {
    const values = valuesOf("staging");
    expect(values.loki.storage.bucketNames).toEqual({ chunks: "acme-staging-loki-chunks", ruler: "acme-staging-loki-ruler" });
    expect(values.defaults.extraEnvFrom).toEqual([{ secretRef: { name: "loki-object-storage" } }]);
  });

  it("an S3-compatible endpoint is used path-style, and insecure only when the profile says so", () => {
    const prod = profileOf("prod");
    const topology = prod.loki.topology as Extract<EnvironmentProfile["loki"]["topology"], { deploymentMode: "Distributed" }>;
    const minio: EnvironmentProfile = {
      ...prod,
      loki: { ...prod.loki, topology: { ...topology, storage: { ...topology.storage, endpoint: "minio.storage.svc:9000", insecure: true } } },
    };
    expect((buildLokiValues(minio) as any).loki.storage.s3).toEqual({
      region: "eu-west-1",
      endpoint: "minio.storage.svc:9000",
      s3ForcePathStyle: true,
      insecure: true,
    });
  });

  it("dev: filesystem storage on a persistent volume, no credentials", () => {
    const values = valuesOf("dev");
    expect(values.loki.storage).toEqual({ type: "filesystem" });
    expect(values.singleBinary.persistence).toEqual({ enabled: true, size: "10Gi" });
    expect(values.defaults.extraEnvFrom).toEqual([]);
  });

  it("prod: ingesters in one StatefulSet on gp3 volumes", () => {
    const ingester = valuesOf("prod").ingester;
    expect(ingester.zoneAwareReplication).toEqual({ enabled: false });
    expect(ingester.persistence).toEqual({
      enabled: true,
      claims: [{ name: "data", accessModes: ["ReadWriteOnce"], size: "20Gi", storageClass: "gp3" }],
    });
  });

  it("prod: a PodDisruptionBudget on every replicated component", () => {
    const values = valuesOf("prod");
    for (const key of ["gateway", "distributor", "ingester", "querier", "queryFrontend", "queryScheduler", "indexGateway", "chunksCache", "resultsCache"]) {
      expect([key, values[key].podDisruptionBudget]).toEqual([key, { enabled: true, maxUnavailable: 1 }]);
    }
    // The chart has no PodDisruptionBudget for the (single) compactor.
    expect(values.compactor).toEqual({ replicas: 1, resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "1", memory: "1Gi" } } });
  });

  it.each([
    ["dev", ["gateway", "singleBinary", "chunksCache", "resultsCache"]],
    ["staging", ["gateway", "queryFrontend", "queryScheduler", "indexGateway", "chunksCache", "resultsCache"]],
  ] as const)("%s: no PodDisruptionBudget on single-replica components", (env, keys) => {
    const values = valuesOf(env);
    for (const key of keys) expect([key, values[key].podDisruptionBudget]).toEqual([key, { enabled: false }]);
  });

  it.each(profiles.map((p) => p.name))("%s: every running container has requests and limits", (env) => {
    const values = valuesOf(env);
    expect(running(values).length).toBeGreaterThan(0);
    for (const key of running(values)) expect([key, values[key].resources]).toEqual([key, withRequestsAndLimits]);
    expect(values.memcachedExporter).toMatchObject({ enabled: true, resources: withRequestsAndLimits });
    // Containers the chart would add without a budget are off.
    expect(values.gateway.metrics.enabled).toBe(false);
    expect(values.sidecar.rules.enabled).toBe(false);
    expect(values.lokiCanary.enabled).toBe(false);
    expect(values.test.enabled).toBe(false);
    expect(values.minio.enabled).toBe(false);
  });

  it("monitors itself through a ServiceMonitor Prometheus selects", () => {
    expect(valuesOf("prod").monitoring.serviceMonitor).toEqual({ enabled: true, labels: { release: "kube-prometheus-stack" } });
  });

  it("names the gateway service as the cluster endpoints expect", () => {
    const prod = profileOf("prod");
    expect(clusterEndpoints(prod).lokiUrl).toBe(`http://${valuesOf("prod").fullnameOverride}-gateway.observability.svc:80`);
  });
});
