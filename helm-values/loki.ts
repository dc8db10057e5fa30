import { MEMCACHED_CPU_REQUEST, MEMCACHED_EXPORTER_REQUESTS, memcachedMemoryRequestMi } from "../environments/capacity";
import type { PersistentVolume, Resources, Workload } from "../environments/primitives";
import type { EnvironmentProfile } from "../environments/profile-schema";
import { RELEASES } from "./release-names";
import { PROMETHEUS_SELECTOR_LABELS } from "./selector-labels";

/**
 * First day of the (only) schema period. Fixed, never "today": a moving date would rewrite the
 * schema on every synth and Loki would stop finding the data written before it.
 */
export const LOKI_SCHEMA_FROM = "2024-01-01";

/**
 * Replication factor of the ingesters' ring: 1 for the single binary; 3 when Distributed, but never
 * more than the ingesters there are (2 ingesters with a factor of 3 would need every one of them up
 * for a write quorum of 2, so one restart would fail writes).
 */
export function lokiReplicationFactor(topology: EnvironmentProfile["loki"]["topology"]): number {
  return topology.deploymentMode === "Monolithic" ? 1 : Math.min(3, topology.components.ingester.replicas);
}

/** CPU a memcached cache pod may burst to (its request is {@link MEMCACHED_CPU_REQUEST}). */
const MEMCACHED_CPU_LIMIT = "500m";

/** Limits of the memcached exporter sidecar (its requests are {@link MEMCACHED_EXPORTER_REQUESTS}). */
const MEMCACHED_EXPORTER_LIMITS = { cpu: "100m", memory: "64Mi" } as const;

/** A PodDisruptionBudget allowing one pod down at a time, on when the component is replicated. */
function disruptionBudget(replicas: number) {
  return replicas > 1 ? { enabled: true, maxUnavailable: 1 } : { enabled: false };
}

/** Replicas, resources and PDB of one Loki component (or of the gateway). */
function sized(w: Workload) {
  return { replicas: w.replicas, resources: w.resources, podDisruptionBudget: disruptionBudget(w.replicas) };
}

/** A component of another deployment mode: no pod. */
const OFF = { replicas: 0 } as const;
/** A component the product never runs (blooms, pattern ingester, overrides exporter). */
const DISABLED = { enabled: false, replicas: 0 } as const;

/** Requests and limits of a memcached pod, exactly what environments/capacity.ts counts. */
function memcachedResources(allocatedMemoryMi: number): Resources {
  const memory = `${memcachedMemoryRequestMi(allocatedMemoryMi)}Mi`;
  return {
    requests: { cpu: MEMCACHED_CPU_REQUEST, memory },
    // memcached never grows past -m plus its overhead, so the memory limit equals the request.
    limits: { cpu: MEMCACHED_CPU_LIMIT, memory },
  };
}

function memcachedCache(cache: EnvironmentProfile["loki"]["chunksCache"]) {
  return {
    enabled: cache.enabled,
    replicas: cache.replicas,
    // The chart passes this to memcached `-m` (MB, which memcached means as MiB).
    allocatedMemory: cache.allocatedMemoryMi,
    resources: memcachedResources(cache.allocatedMemoryMi),
    podDisruptionBudget: disruptionBudget(cache.replicas),
  };
}

function persistence(volume: PersistentVolume) {
  return { enabled: true, size: volume.size, ...(volume.storageClassName ? { storageClass: volume.storageClassName } : {}) };
}

type LokiTopology = EnvironmentProfile["loki"]["topology"];
type DistributedTopology = Extract<LokiTopology, { deploymentMode: "Distributed" }>;

/** Loki's own storage settings: where chunks, index and delete requests live. */
function storageValues(topology: LokiTopology) {
  if (topology.deploymentMode === "Monolithic") {
    return { store: "filesystem" as const, storage: { type: "filesystem" as const } };
  }
  const s = topology.storage;
  return {
    store: "s3" as const,
    storage: {
      type: "s3" as const,
      bucketNames: { chunks: s.bucketNames.chunks, ruler: s.bucketNames.ruler },
      // No accessKeyId/secretAccessKey: Loki's S3 client falls back to AWS_ACCESS_KEY_ID and
      // AWS_SECRET_ACCESS_KEY, which come from the credentials Secret (see `defaults.extraEnvFrom`).
      s3: {
        region: s.region,
        ...(s.endpoint ? { endpoint: s.endpoint } : {}),
        // S3-compatible stores (MinIO, Ceph) behind a custom endpoint want path-style URLs.
        s3ForcePathStyle: s.endpoint !== undefined,
        insecure: s.insecure,
      },
    },
  };
}

/** The microservices of Distributed mode; each runs exactly as the profile sizes it. */
function distributedComponents(topology: DistributedTopology) {
  const c = topology.components;
  const ingesterVolume = topology.ingesterPersistence;
  return {
    singleBinary: OFF,
    distributor: sized(c.distributor),
    ingester: {
      ...sized(c.ingester),
      // Zone-aware ingesters would be three StatefulSets (and want the rollout-operator); one
      // StatefulSet keeps the pod count what the profile (and the capacity check) says.
      zoneAwareReplication: { enabled: false },
      persistence: {
        enabled: true,
        claims: [
          {
            name: "data",
            accessModes: ["ReadWriteOnce"],
            size: ingesterVolume.size,
            ...(ingesterVolume.storageClassName ? { storageClass: ingesterVolume.storageClassName } : {}),
          },
        ],
      },
    },
    querier: sized(c.querier),
    queryFrontend: sized(c.queryFrontend),
    queryScheduler: sized(c.queryScheduler),
    indexGateway: sized(c.indexGateway),
    // The chart has no PodDisruptionBudget for the compactor (a singleton by design).
    compactor: { replicas: c.compactor.replicas, resources: c.compactor.resources },
  };
}

function monolithicComponents(topology: Extract<LokiTopology, { deploymentMode: "Monolithic" }>) {
  return {
    singleBinary: {
      ...sized(topology.singleBinary),
      persistence: persistence(topology.persistence),
      // The rules sidecar is not budgeted; rules reach Prometheus, not Loki's ruler.
      sidecar: false,
    },
    distributor: OFF,
    ingester: OFF,
    querier: OFF,
    queryFrontend: OFF,
    queryScheduler: OFF,
    indexGateway: OFF,
    compactor: OFF,
  };
}

/**
 * Values of the grafana-community `loki` chart (18.x, Loki 3.7) for one environment: Monolithic on
 * the filesystem or Distributed on S3, multi-tenant, with retention enforced by the compactor and
 * the memcached caches sized exactly as environments/capacity.ts counts them.
 *
 * Nothing the profile does not budget runs: the simple-scalable targets, the ruler, blooms, the
 * pattern ingester, the canary, the Helm test, MinIO and the unbudgeted sidecars are all off.
 */
export function buildLokiValues(profile: EnvironmentProfile) {
  const l = profile.loki;
  const topology = l.topology;
  const { store, storage } = storageValues(topology);
  const components = topology.deploymentMode === "Monolithic" ? monolithicComponents(topology) : distributedComponents(topology);
  return {
    fullnameOverride: RELEASES.loki,
    deploymentMode: topology.deploymentMode,
    loki: {
      // Multi-tenant: the collector writes and Grafana reads with X-Scope-OrgID = profile.loki.tenant.
      auth_enabled: true,
      commonConfig: { replication_factor: lokiReplicationFactor(topology) },
      schemaConfig: {
        configs: [
          {
            from: LOKI_SCHEMA_FROM,
            store: "tsdb",
            object_store: store,
            schema: "v13",
            index: { prefix: "loki_index_", period: "24h" },
          },
        ],
      },
      storage,
      limits_config: { retention_period: l.retention },
      compactor: { retention_enabled: true, delete_request_store: store },
      analytics: { reporting_enabled: false },
    },
    // Object storage credentials as environment variables on every Loki component, from the Secret.
    defaults: {
      extraEnvFrom: topology.deploymentMode === "Distributed" ? [{ secretRef: { name: topology.storage.credentialsSecretName } }] : [],
    },
    gateway: {
      enabled: true,
      ...sized(l.gateway),
      // The access-log exporter sidecar is not budgeted; Loki's own metrics cover the traffic.
      metrics: { enabled: false },
    },
    ...components,
    // Simple-scalable targets never run (the chart refuses to mix modes); neither does a separate
    // ruler (its config stays, so a budgeted ruler later finds the ruler bucket).
    read: OFF,
    write: OFF,
    backend: OFF,
    ruler: OFF,
    bloomGateway: DISABLED,
    bloomPlanner: DISABLED,
    bloomBuilder: DISABLED,
    patternIngester: DISABLED,
    overridesExporter: DISABLED,
    chunksCache: memcachedCache(l.chunksCache),
    resultsCache: memcachedCache(l.resultsCache),
    memcachedExporter: {
      enabled: true,
      resources: { requests: { ...MEMCACHED_EXPORTER_REQUESTS }, limits: MEMCACHED_EXPORTER_LIMITS },
    },
    sidecar: { rules: { enabled: false } },
    monitoring: {
      serviceMonitor: { enabled: true, labels: { ...PROMETHEUS_SELECTOR_LABELS } },
      // Dashboards, rules and alerts for Loki come from the product itself.
      dashboards: { enabled: false },
      rules: { enabled: false },
      alerts: { enabled: false },
    },
    // Helm test and canary: unbudgeted pods (the canary is a DaemonSet on every node).
    test: { enabled: false },
    lokiCanary: { enabled: false },
    minio: { enabled: false },
    rollout_operator: { enabled: false },
  };
}

/** The values object the loki chart is deployed with. */
export type LokiValues = ReturnType<typeof buildLokiValues>;
