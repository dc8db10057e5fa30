import { z } from "zod";
import { byteQuantity, persistentVolume, replicas, resources, workload } from "./primitives";
import { durationSchema, positiveDurationSchema } from "../model/duration";
import { httpUrl, kubernetesName, LABEL_NAME_PATTERN } from "../model/schema-primitives";
import { alertingProfileSchema } from "./alerting-schema";
import { grafanaProfileSchema } from "./grafana-schema";

/** Names of the environments the product ships profiles for (environments/<name>.ts). */
export const ENVIRONMENT_NAMES = ["local", "dev", "staging", "prod"] as const;

/**
 * An environment's name, e.g. `prod-us`: the `<env>` of its stacks (`obs-<env>-platform`), of
 * `generated/<env>/` and of its rules' `environment`. It says which environment, never how it is
 * run: posture follows the profile's `tier`.
 */
export const environmentName = z
  .string()
  .regex(
    /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/,
    "must be an environment name: lowercase letters, digits and '-', starting with a letter (at most 63), such as prod-us",
  );

/**
 * What an environment is for. `production` serves users and is held to the production posture
 * (environments/posture.ts: Prometheus and Alertmanager HA, internal /metrics, atomic releases
 * that clean up on failure, Loki and Tempo distributed); `non-production` (dev, staging, previews)
 * is not, whatever its size.
 */
export const TIERS = ["production", "non-production"] as const;

/** Who runs the control plane: the cloud (`managed`) or the cluster's owner (`self-hosted`). */
export const CONTROL_PLANES = ["managed", "self-hosted"] as const;

const chartPin = z.strictObject({
  repository: httpUrl,
  chart: z.string().min(1),
  version: z.string().regex(/^\d+\.\d+\.\d+$/, "must be an exact chart version such as 1.2.3 (no ranges)"),
});

/** S3-compatible object storage; credentials come from a Secret, never from the profile. */
const objectStorage = z.strictObject({
  type: z.literal("s3"),
  /** S3 endpoint host (for MinIO, Ceph, R2); omitted means AWS S3 in `region`. */
  endpoint: z.string().min(1).optional(),
  region: z.string().min(1),
  /** Secret with keys `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY`, mounted as environment variables. */
  credentialsSecretName: kubernetesName,
  insecure: z.boolean().default(false),
});

const lokiMonolithic = z.strictObject({
  deploymentMode: z.literal("Monolithic"),
  singleBinary: workload,
  persistence: persistentVolume,
  storage: z.strictObject({ type: z.literal("filesystem") }),
});

const lokiDistributedComponents = z.strictObject({
  distributor: workload,
  ingester: workload,
  querier: workload,
  queryFrontend: workload,
  queryScheduler: workload,
  indexGateway: workload,
  compactor: workload,
});

const lokiDistributed = z.strictObject({
  deploymentMode: z.literal("Distributed"),
  components: lokiDistributedComponents,
  ingesterPersistence: persistentVolume,
  storage: objectStorage.extend({
    bucketNames: z.strictObject({ chunks: z.string().min(1), ruler: z.string().min(1) }),
  }),
});

const memcachedCache = z.strictObject({
  enabled: z.boolean(),
  replicas,
  /** Memory memcached may use for items, in MiB; the pod requests this plus 20% overhead. */
  allocatedMemoryMi: z.number().int().min(64, "must be at least 64 (MiB)"),
});

const loki = z.strictObject({
  /** Tenant (X-Scope-OrgID) the collector writes with and Grafana reads with. */
  tenant: z.string().regex(/^[a-zA-Z0-9_.-]{1,150}$/, "must be a Loki tenant id ([a-zA-Z0-9_.-], at most 150)"),
  retention: positiveDurationSchema,
  gateway: workload,
  chunksCache: memcachedCache,
  resultsCache: memcachedCache,
  topology: z.discriminatedUnion("deploymentMode", [lokiMonolithic, lokiDistributed]),
});

const tempoSingle = z.strictObject({
  kind: z.literal("single"),
  server: workload,
  persistence: persistentVolume,
});

const tempoDistributed = z.strictObject({
  kind: z.literal("distributed"),
  /** Kafka that tempo-distributed 3.x writes through; the chart fails without it. */
  kafka: z.strictObject({
    address: z.string().regex(/^[^\s:]+:\d+$/, "must be host:port"),
    topic: z.string().min(1),
  }),
  storage: objectStorage.extend({ bucket: z.string().min(1) }),
  components: z.strictObject({
    distributor: workload,
    liveStore: workload,
    blockBuilder: workload,
    querier: workload,
    queryFrontend: workload,
    metricsGenerator: workload,
    backendScheduler: workload,
    backendWorker: workload,
  }),
});

const tempo = z.strictObject({
  retention: positiveDurationSchema,
  topology: z.discriminatedUnion("kind", [tempoSingle, tempoDistributed]),
});

/**
 * Levels a container's JSON `level` field is read as, lowest first (spellings such as `WARNING`,
 * `err` or `critical` map onto these; helm-values/otel-collector/container-logs.ts).
 */
export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal"] as const;
/** One of {@link LOG_LEVELS}. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The levels a minimum may be set to: never above `error`, so errors always reach Loki. */
const minimumLogLevels = ["trace", "debug", "info", "warn", "error"] as const;

/** What the node agent does with the container logs it reads (lines with a JSON `level`). */
const containerLogs = z.strictObject({
  /**
   * Lines whose level is below this are dropped on the node. Lines without a level the agent
   * recognises (plain text, stack traces, third-party containers) are never dropped.
   * @default "info"
   */
  minimumLevel: z.enum(minimumLogLevels).default("info"),
  /**
   * Share of `info`, `debug` and `trace` lines kept, in percent (0..100]. Warnings, errors and
   * lines without a level are always kept; lines carrying a trace id are kept or dropped with
   * their trace.
   * @default 100
   */
  infoSamplingPercentage: z.number().gt(0, "must be above 0").max(100, "must be at most 100").default(100),
});

/** The agent DaemonSet: one pod on every node, reading that node's container logs. */
const collectorAgent = z.strictObject({
  /** Requests and limits of each agent pod (one per node). */
  resources,
  logs: containerLogs,
});

/** A Mimir tenant id: what every writer sends as `X-Scope-OrgID` and Grafana reads with. */
const mimirTenant = z
  .string()
  .regex(/^[a-zA-Z0-9_.-]{1,150}$/, "must be a Mimir tenant id ([a-zA-Z0-9_.-], at most 150)")
  .refine((id) => id !== "." && id !== "..", "must not be . or ..");

/** Every Mimir component the classic architecture runs, sized per environment. */
const mimirComponents = z.strictObject({
  distributor: workload,
  /** Holds the last hours of samples; writes go to `min(3, replicas)` of them (the replication factor). */
  ingester: workload,
  querier: workload,
  queryFrontend: workload,
  queryScheduler: workload,
  /** Serves blocks from object storage; each block is loaded on `min(3, replicas)` of them. */
  storeGateway: workload,
  /** Compacts blocks and applies `retention`; one instance is enough below tens of millions of series. */
  compactor: workload,
  /** nginx in front of every component: the one Service writers and Grafana use. */
  gateway: workload,
  /** Evaluates the recording rules that read further back than Prometheus keeps (rules/placement.ts). */
  ruler: workload,
});

/** Per-tenant limits the environment needs; every other limit keeps Mimir's default. */
const mimirLimits = z.strictObject({
  /** In-memory series the tenant may hold, after HA deduplication (Mimir's default is 150,000). */
  maxGlobalSeriesPerTenant: z.number().int("must be an integer").positive("must be > 0"),
  /**
   * How late a sample may arrive and still be accepted. OTLP pushes from the collector and Tempo's
   * span metrics arrive batched and retried, so some are older than the newest sample of their series.
   */
  outOfOrderTimeWindow: durationSchema,
  /** Exemplars kept in memory (0 turns exemplar storage off); Grafana's exemplar links read them. */
  maxGlobalExemplarsPerTenant: z.number().int("must be an integer").min(0, "must be >= 0"),
});

const mimir = z
  .strictObject({
    tenant: mimirTenant,
    /** How long blocks stay in object storage (the compactor deletes older ones). */
    retention: positiveDurationSchema,
    /** Blocks in S3; the ruler reads its rules from a ConfigMap, and Mimir's Alertmanager is off. */
    storage: objectStorage.extend({ bucketNames: z.strictObject({ blocks: z.string().min(1) }) }),
    components: mimirComponents,
    persistence: z.strictObject({ ingester: persistentVolume, storeGateway: persistentVolume, compactor: persistentVolume }),
    /**
     * Ingesters and store-gateways in three zone StatefulSets (zone-a, -b, -c), one replica of every
     * series in each zone, rolled out one zone at a time by the rollout-operator (which this sizes):
     * a whole zone can restart or fail without losing a write or a read.
     * @default - off: one StatefulSet each, restarted one pod at a time
     */
    zoneAwareReplication: z.strictObject({ rolloutOperator: resources }).optional(),
    limits: mimirLimits,
  })
  .superRefine((m, ctx) => {
    if (m.zoneAwareReplication === undefined) return;
    // The chart runs ceil(replicas / 3) per zone: anything but a multiple of 3 runs more pods than asked.
    for (const name of ["ingester", "storeGateway"] as const) {
      const replicas = m.components[name].replicas;
      if (replicas % 3 !== 0) {
        ctx.addIssue({
          code: "custom",
          path: ["components", name, "replicas"],
          input: replicas,
          message: "must be a multiple of 3 with zoneAwareReplication (one share per zone)",
        });
      }
    }
  });

const tracing = z.strictObject({
  /** Head/probabilistic share of ordinary traces kept, in percent (0..100]. */
  samplingPercentage: z.number().gt(0, "must be above 0").max(100, "must be at most 100"),
  /** Traces slower than this are always kept by tail sampling. */
  slowTraceThresholdMs: z.number().int().positive(),
  /** How long the tail sampler waits for a trace's spans before deciding. */
  decisionWaitSeconds: z.number().int().positive().default(10),
});

/** The schema every environment profile is validated against before anything is synthesized. */
export const environmentProfileSchema = z.strictObject({
  name: environmentName,
  /** Whether the production posture applies; required, so no profile is production by its name alone. */
  tier: z.enum(TIERS),
  kubernetes: z.strictObject({
    configPath: z.string().min(1),
    context: z.string().min(1),
    /**
     * Who runs the cluster's control plane. `managed` (EKS, GKE, AKS, or any cluster whose
     * kube-controller-manager, kube-scheduler, etcd and kube-proxy metrics cannot be reached from a
     * pod): their scraping and the chart's alerts on them are off together, so nothing alerts on
     * targets that can never be scraped. `self-hosted` (kubeadm and the like, with those metrics
     * reachable): both on. Required, like `tier`: a wrong guess either pages on targets that do not
     * exist or silently stops watching etcd.
     */
    controlPlane: z.enum(CONTROL_PLANES),
  }),
  namespace: kubernetesName,
  /** What the environment's cluster (or its share for this stack) can give: requests must fit. */
  clusterCapacity: z.strictObject({
    /** Nodes the stack runs on; DaemonSets (node-exporter) run one pod on each. */
    nodes: z.number().int().min(1, "must be at least 1"),
    /** Allocatable cores, e.g. "16". */
    cpu: z.string().regex(/^\d+(\.\d+)?$/, "must be a number of cores such as 16"),
    memory: byteQuantity,
  }),
  /** Labels every series leaving this Prometheus carries. */
  externalLabels: z
    .strictObject({ cluster: z.string().min(1), environment: z.string().min(1) })
    .catchall(z.string())
    .superRefine((labels, ctx) => {
      // Every key is a label name of every series this Prometheus sends (promtool rejects the config otherwise).
      for (const key of Object.keys(labels)) {
        if (!LABEL_NAME_PATTERN.test(key) || key.startsWith("__")) {
          ctx.addIssue({ code: "custom", path: [key], input: key, message: "must be a label name ([a-zA-Z_][a-zA-Z0-9_]*, not starting with __)" });
        }
      }
    }),
  runbookBaseUrl: httpUrl,
  charts: z.strictObject({
    kubePrometheusStack: chartPin,
    loki: chartPin,
    tempo: chartPin,
    tempoDistributed: chartPin,
    openTelemetryCollector: chartPin,
    mimirDistributed: chartPin,
    blackboxExporter: chartPin,
    redisExporter: chartPin,
    postgresExporter: chartPin,
  }),
  helm: z.strictObject({
    atomic: z.boolean(),
    cleanupOnFail: z.boolean(),
    timeoutSeconds: z.number().int().min(60, "must be at least 60").max(3600, "must be at most 3600"),
  }),
  /** Whether /metrics endpoints may be reachable from outside the cluster (never in the production tier). */
  metricsExposure: z.enum(["internal", "public"]),
  prometheus: z.strictObject({
    ...workload.shape,
    /**
     * How long this Prometheus keeps samples. The rules run here, so it must cover the longest range
     * any rule reads, an SLO's error budget over its whole period included (artifacts/timing-problems.ts).
     */
    retention: positiveDurationSchema,
    retentionSize: z.string().regex(/^\d+(MB|GB|TB)$/, "must be a size such as 40GB"),
    storage: persistentVolume,
    scrapeInterval: positiveDurationSchema,
    evaluationInterval: positiveDurationSchema,
    remoteWrite: z.array(z.strictObject({ url: httpUrl, basicAuthSecretName: kubernetesName.optional() })).default([]),
  }),
  alertmanager: z.strictObject({ ...workload.shape, storage: persistentVolume }),
  operator: z.strictObject({ resources }),
  kubeStateMetrics: z.strictObject({ resources }),
  nodeExporter: z.strictObject({ resources }),
  grafana: grafanaProfileSchema,
  loki,
  tempo,
  /**
   * Mimir, the one metrics store: both Prometheus replicas remote-write to it (deduplicated by its
   * HA tracker), every pushed metric goes to it and Grafana reads it.
   * @default - none: Prometheus itself is the store (required in tier production, see posture.ts)
   */
  mimir: mimir.optional(),
  /**
   * The OpenTelemetry Collector in three tiers: an agent on every node (container logs), the
   * gateway every workload sends OTLP to (`otel-collector:4317`), and the tail-sampling tier the
   * gateway routes traces to by trace id.
   */
  openTelemetryCollector: z.strictObject({
    agent: collectorAgent,
    /** The gateway Deployment: receives OTLP, routes traces to the sampler, exports metrics and logs. */
    gateway: workload,
    /** The tail-sampling StatefulSet; changing its replicas reroutes a share of traces while it happens. */
    sampler: workload,
    tracing,
  }),
  blackboxExporter: workload,
  /**
   * The canary runner (canary-runner/): one Deployment running every multi-step flow of the
   * environment. One replica: two would run each flow twice and double its writes.
   */
  canaryRunner: z.strictObject({
    resources,
    /** A Node.js image (20 or later); the runner is one file mounted from a ConfigMap, with no dependencies. */
    image: z
      .string()
      .regex(
        /^[a-z0-9.-]+(:[0-9]+)?(\/[a-z0-9._-]+)+(:[A-Za-z0-9._-]+|@sha256:[0-9a-f]{64})$/,
        "must be an image reference with a tag or digest, such as docker.io/library/node:20-alpine",
      ),
    /** Whether flows that write (`writes: true`) run here. @default false */
    allowWrites: z.boolean().default(false),
  }),
  alerting: alertingProfileSchema,
});

/** A profile as written (defaults not yet applied). */
export type EnvironmentProfileInput = z.input<typeof environmentProfileSchema>;
/** A validated profile. */
export type EnvironmentProfile = z.infer<typeof environmentProfileSchema>;
/** The name of an environment the product ships a profile for; any other profile may use any {@link environmentName}. */
export type EnvironmentName = (typeof ENVIRONMENT_NAMES)[number];
/** What an environment is for: `production` or `non-production`. */
export type Tier = (typeof TIERS)[number];
/** Who runs the control plane: `managed` or `self-hosted`. */
export type ControlPlane = (typeof CONTROL_PLANES)[number];
