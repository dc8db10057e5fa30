import type { EnvironmentProfile } from "../environments/profile-schema";
import type { Workload } from "../environments/primitives";
import { memoryToMebibytes } from "../environments/quantities";
import { clusterEndpoints, TENANT_HEADER } from "./cluster-endpoints";
import { RELEASES } from "./release-names";
import { PROMETHEUS_SELECTOR_LABELS } from "./selector-labels";

/**
 * Values of Tempo, in one of two charts chosen by `tempo.topology.kind`:
 *
 * - `single`: grafana-community `tempo` 2.2.4 (Tempo 2.10.8), one StatefulSet, traces on its volume.
 * - `distributed`: grafana-community `tempo-distributed` 3.3.0 (Tempo 3.0.3), which writes through
 *   Kafka (distributor → Kafka → live-store and block-builder) and keeps blocks in S3.
 *
 * Neither chart ships a values schema: key paths were read from each chart's values.yaml and
 * templates; the non-obvious ones are cited next to the value.
 *
 * Service names are API (see cluster-endpoints.ts): with `fullnameOverride: tempo` the single chart
 * serves OTLP gRPC on `tempo:4317` and the query API on `tempo:3200`; the distributed chart serves
 * `tempo-distributor:4317` and `tempo-query-frontend:3200`.
 */

type TempoTopology = EnvironmentProfile["tempo"]["topology"];
type TopologyOf<K extends TempoTopology["kind"]> = Extract<TempoTopology, { kind: K }>;

const BUILDERS = {
  single: { builder: "buildTempoValues", chart: "tempo" },
  distributed: { builder: "buildTempoDistributedValues", chart: "tempo-distributed" },
} as const;

/** The profile's topology if it is `kind`, else an error naming the path and the right builder. */
function topologyOf<K extends TempoTopology["kind"]>(profile: EnvironmentProfile, kind: K): TopologyOf<K> {
  const topology = profile.tempo.topology;
  if (topology.kind !== kind) {
    const wanted = BUILDERS[kind];
    const right = BUILDERS[topology.kind];
    throw new Error(
      `tempo.topology.kind: ${wanted.builder} builds the "${wanted.chart}" chart for kind "${kind}", but profile ` +
        `"${profile.name}" has kind "${topology.kind}"; use ${right.builder} ("${right.chart}" chart) instead`,
    );
  }
  return topology as TopologyOf<K>;
}

/**
 * The metrics generator's one remote write: to the metrics store (Mimir's gateway, or Prometheus'
 * remote-write receiver without Mimir), with the store's tenant when it has one. Both charts pass
 * `remote_write` through as Prometheus remote-write configs, `headers` included; Tempo runs single
 * tenant here (`multitenancyEnabled: false`), so it adds no X-Scope-OrgID of its own.
 */
function metricsStoreRemoteWrite(profile: EnvironmentProfile) {
  const store = clusterEndpoints(profile).metricsStore;
  return {
    url: store.remoteWriteUrl,
    send_exemplars: true,
    ...(store.tenant === undefined ? {} : { headers: { [TENANT_HEADER]: store.tenant } }),
  };
}

/** Service graphs and RED metrics per span; Grafana's service map and "traces to metrics" read them. */
const GENERATOR_PROCESSORS = ["service-graphs", "span-metrics"] as const;

/** Share of the memory limit the Go runtime aims to stay under (the distributed chart's default factor). */
const GO_MEMORY_LIMIT_FACTOR = 0.85;

// ---------------------------------------------------------------------------------------------
// tempo (single binary)
// ---------------------------------------------------------------------------------------------

/**
 * Values of the `tempo` chart (single binary) for a profile whose `tempo.topology.kind` is
 * `single`: one StatefulSet with the `local` backend on a persistent volume, OTLP receivers, and
 * the metrics generator remote-writing service-graph and span metrics to the metrics store.
 */
export function buildTempoValues(profile: EnvironmentProfile) {
  const topology = topologyOf(profile, "single");
  const server = topology.server;
  if (server.replicas !== 1) {
    // The local backend is per pod and the single binary does not replicate writes: a second
    // replica would hold a different subset of traces.
    throw new Error(
      `tempo.topology.server.replicas: the single-binary "tempo" chart keeps traces on each pod's own volume, so it ` +
        `must run exactly 1 replica (got ${server.replicas}); use tempo.topology.kind "distributed" to scale`,
    );
  }
  const remoteWrite = metricsStoreRemoteWrite(profile);
  const goMemLimitMi = Math.floor(memoryToMebibytes(server.resources.limits.memory) * GO_MEMORY_LIMIT_FACTOR);
  return {
    fullnameOverride: RELEASES.tempo,
    replicas: server.replicas,
    tempo: {
      resources: server.resources,
      // values.yaml `tempo.memBallastSizeMbs` defaults to 1024: a 1 GiB ballast under a 1Gi limit
      // postpones garbage collection past the limit. No ballast; GOMEMLIMIT bounds the heap instead.
      memBallastSizeMbs: 0,
      extraEnv: [{ name: "GOMEMLIMIT", value: `${goMemLimitMi}MiB` }],
      reportingEnabled: false,
      multitenancyEnabled: false,
      // Rendered as `compactor.compaction.block_retention` by the chart's config template.
      retention: profile.tempo.retention,
      storage: { trace: { backend: "local" } },
      // Only OTLP is set here; the chart's default Jaeger receivers stay (its Service template reads them).
      receivers: {
        otlp: {
          protocols: {
            grpc: { endpoint: "0.0.0.0:4317" },
            http: { endpoint: "0.0.0.0:4318" },
          },
        },
      },
      metricsGenerator: {
        enabled: true,
        // Used by the config template only when `storage.remote_write` is empty; kept equal to it.
        remoteWriteUrl: remoteWrite.url,
        storage: {
          // values.yaml recommends a path on the persistent volume over the default /tmp/tempo.
          path: "/var/tempo/generator/wal",
          remote_write: [remoteWrite],
        },
        // WAL of the local-blocks processor (values.yaml `tempo.metricsGenerator.traces_storage.path`).
        traces_storage: { path: "/var/tempo/generator/traces" },
      },
      overrides: {
        defaults: {
          // local-blocks serves TraceQL metrics queries (Tempo 2.x; removed in 3.0).
          metrics_generator: { processors: [...GENERATOR_PROCESSORS, "local-blocks"] },
        },
      },
    },
    persistence: {
      enabled: true,
      size: topology.persistence.size,
      accessModes: ["ReadWriteOnce"],
      ...(topology.persistence.storageClassName ? { storageClassName: topology.persistence.storageClassName } : {}),
    },
    serviceMonitor: { enabled: true, additionalLabels: { ...PROMETHEUS_SELECTOR_LABELS } },
  };
}

/** The values object the `tempo` chart is deployed with. */
export type TempoValues = ReturnType<typeof buildTempoValues>;

// ---------------------------------------------------------------------------------------------
// tempo-distributed
// ---------------------------------------------------------------------------------------------

/** Replicas, requests/limits and a PodDisruptionBudget (one pod down at a time) when replicated. */
function component(workload: Workload) {
  return {
    replicas: workload.replicas,
    resources: workload.resources,
    // values.yaml `<component>.podDisruptionBudget.enabled` and `<component>.maxUnavailable`; the
    // chart renders the PDB only for more than one replica either way.
    podDisruptionBudget: { enabled: workload.replicas > 1 },
    maxUnavailable: 1,
  };
}

/** AWS S3's regional endpoint: Tempo's S3 client needs an endpoint even for AWS. */
function s3Endpoint(storage: TopologyOf<"distributed">["storage"]): string {
  return storage.endpoint ?? `s3.${storage.region}.amazonaws.com`;
}

/**
 * Kafka partitions and how block-builders share them. Each live-store owns the partition of its
 * ordinal, so the partitions written are exactly `liveStore.replicas`; block-builder `i` consumes
 * partitions `i*n .. i*n+n-1` (n = `partitions_per_instance`) and skips any no live-store owns.
 */
export function tempoKafkaPartitioning(topology: TopologyOf<"distributed">) {
  const partitions = topology.components.liveStore.replicas;
  return { partitions, partitionsPerBlockBuilder: Math.ceil(partitions / topology.components.blockBuilder.replicas) };
}

/**
 * Values of the `tempo-distributed` chart for a profile whose `tempo.topology.kind` is
 * `distributed`: Tempo 3 writing through the profile's Kafka, blocks in S3 with credentials from
 * the named Secret, every component sized from the profile, and nothing else running (no
 * memcached, gateway or enterprise parts), so the capacity check's sum of the profile's
 * components is the whole of Tempo's requests.
 */
export function buildTempoDistributedValues(profile: EnvironmentProfile) {
  const topology = topologyOf(profile, "distributed");
  const c = topology.components;
  if (c.backendScheduler.replicas !== 1) {
    throw new Error(
      `tempo.topology.components.backendScheduler.replicas: the "tempo-distributed" chart runs exactly one ` +
        `backend-scheduler (got ${c.backendScheduler.replicas})`,
    );
  }
  const { partitions, partitionsPerBlockBuilder } = tempoKafkaPartitioning(topology);
  const storage = topology.storage;
  const retention = { block_retention: profile.tempo.retention };
  return {
    fullnameOverride: RELEASES.tempo,
    reportingEnabled: false,
    multitenancyEnabled: false,
    global: {
      // S3 credentials as AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY on every Tempo pod; Tempo's S3
      // client reads them from the environment. No key is ever in these values.
      extraEnvFrom: [{ secretRef: { name: storage.credentialsSecretName } }],
    },
    // Required by the chart (templates/validate.yaml fails without `ingest.kafka.address`).
    ingest: {
      kafka: {
        address: topology.kafka.address,
        topic: topology.kafka.topic,
        // Only applies when Tempo creates the topic; an existing topic is not resized.
        auto_create_topic_enabled: true,
        auto_create_topic_default_partitions: partitions,
      },
    },
    storage: {
      trace: {
        backend: "s3",
        s3: {
          bucket: storage.bucket,
          region: storage.region,
          endpoint: s3Endpoint(storage),
          insecure: storage.insecure,
          // S3-compatible stores (MinIO, Ceph) behind a custom endpoint expect path-style requests.
          ...(storage.endpoint ? { forcepathstyle: true } : {}),
        },
      },
    },
    // OTLP receivers are off by default in 3.x; enabling them opens ports 4317/4318 on the
    // distributor's container and Service.
    traces: {
      otlp: {
        grpc: { enabled: true },
        http: { enabled: true },
      },
    },
    distributor: component(c.distributor),
    liveStore: { enabled: true, ...component(c.liveStore) },
    blockBuilder: {
      enabled: true,
      ...component(c.blockBuilder),
      // values.yaml `blockBuilder.config.partitions_per_instance`.
      config: { partitions_per_instance: partitionsPerBlockBuilder },
    },
    querier: component(c.querier),
    queryFrontend: {
      ...component(c.queryFrontend),
      // The tempo-query (Jaeger UI) sidecar: not used, Grafana queries the frontend directly.
      query: { enabled: false },
    },
    metricsGenerator: {
      enabled: true,
      ...component(c.metricsGenerator),
      config: {
        storage: {
          remote_write: [metricsStoreRemoteWrite(profile)],
          // Tempo's own tenant ("single-tenant") is never sent: the store's tenant is in the headers.
          remote_write_add_org_id_header: false,
        },
      },
    },
    // Compaction and retention (3.x replaces the compactor with backend-scheduler + workers).
    // The scheduler's retention is rendered as `backend_scheduler.provider.compaction.compaction`
    // and merged into `backend_worker.compaction`; both are set so either reads the profile's.
    backendScheduler: {
      enabled: true,
      // The chart fixes the scheduler's StatefulSet at one replica and renders no PDB for it.
      resources: c.backendScheduler.resources,
      config: { provider: { compaction: { compaction: retention } } },
    },
    backendWorker: {
      ...component(c.backendWorker),
      // values.yaml `backendWorker.config.compaction` overrides the scheduler's compaction block.
      config: { compaction: retention },
    },
    overrides: {
      defaults: { metrics_generator: { processors: [...GENERATOR_PROCESSORS] } },
    },
    // Not part of the profile, so not running: caches, gateway, enterprise and helpers.
    memcached: { enabled: false },
    memcachedExporter: { enabled: false },
    memcachedBloom: { enabled: false },
    memcachedParquetFooter: { enabled: false },
    memcachedFrontendSearch: { enabled: false },
    // With memcached off the chart copies `cache` verbatim into tempo.yaml; its default points at
    // the `tempo-memcached` Service, which would not exist.
    cache: { caches: [] },
    gateway: { enabled: false },
    enterprise: { enabled: false },
    enterpriseFederationFrontend: { enabled: false },
    rollout_operator: { enabled: false },
    metaMonitoring: {
      serviceMonitor: { enabled: true, labels: { ...PROMETHEUS_SELECTOR_LABELS } },
      grafanaAgent: { enabled: false, installOperator: false },
    },
  };
}

/** The values object the `tempo-distributed` chart is deployed with. */
export type TempoDistributedValues = ReturnType<typeof buildTempoDistributedValues>;
