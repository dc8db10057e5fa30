import { perTeam, TEAMS } from "../model/teams";
import { CHART_PINS } from "./chart-versions";
import type { EnvironmentProfileInput } from "./profile-schema";

const small = { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "250m", memory: "256Mi" } };
const medium = { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "500m", memory: "512Mi" } };

/**
 * staging: prod's topology (HA pairs feeding Mimir, Loki Distributed, tempo-distributed on Kafka)
 * at a smaller size, 30d Prometheus retention (longer SLO budgets on Mimir's ruler), 20% head sampling, atomic releases
 * so failed upgrades roll back.
 */
export const staging: EnvironmentProfileInput = {
  name: "staging",
  // Prod's topology, but not held to its posture: two Alertmanagers, nobody paged.
  tier: "non-production",
  // A managed cluster, like prod: its control plane is not scraped, nor alerted on.
  kubernetes: { configPath: "~/.kube/config", context: "obs-staging", controlPlane: "managed" },
  namespace: "observability",
  clusterCapacity: { nodes: 4, cpu: "16", memory: "48Gi" },
  externalLabels: { cluster: "staging-eu1", environment: "staging" },
  runbookBaseUrl: "https://runbooks.example.com/observability",
  charts: CHART_PINS,
  helm: { atomic: true, cleanupOnFail: true, timeoutSeconds: 900 },
  metricsExposure: "internal",
  prometheus: {
    replicas: 2,
    resources: { requests: { cpu: "500m", memory: "2Gi" }, limits: { cpu: "2", memory: "4Gi" } },
    // The SLO rules run here and read 30d (the error budget over the SLO period). Size at the 7d
    // sizing's rate (45GB a week, about 6.4GB a day): 195GB in 30d, 84% of the volume.
    retention: "30d",
    retentionSize: "195GB",
    storage: { size: "220Gi" },
    scrapeInterval: "30s",
    evaluationInterval: "30s",
    remoteWrite: [],
  },
  alertmanager: {
    replicas: 2,
    resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "200m", memory: "128Mi" } },
    storage: { size: "1Gi" },
  },
  operator: { resources: small },
  kubeStateMetrics: { resources: small },
  nodeExporter: { resources: { requests: { cpu: "20m", memory: "32Mi" }, limits: { cpu: "200m", memory: "64Mi" } } },
  // Prod's Grafana HA at staging's size: two replicas on a shared Postgres, so a database, TLS
  // or gossip problem, or two pods migrating one schema on upgrade, shows here before prod.
  grafana: {
    replicas: 2,
    resources: medium,
    url: "https://grafana.staging.example.com",
    adminSecret: { name: "grafana-admin", userKey: "admin-user", passwordKey: "admin-password" },
    database: {
      type: "postgres",
      host: "grafana-db.staging.example.com:5432",
      name: "grafana",
      user: "grafana",
      sslMode: "require",
      passwordSecret: { name: "grafana-database", key: "password" },
    },
    dashboardDelivery: "terraform",
  },
  loki: {
    tenant: "platform",
    retention: "168h",
    gateway: { replicas: 1, resources: small },
    chunksCache: { enabled: true, replicas: 1, allocatedMemoryMi: 512 },
    resultsCache: { enabled: true, replicas: 1, allocatedMemoryMi: 256 },
    topology: {
      deploymentMode: "Distributed",
      components: {
        distributor: { replicas: 2, resources: small },
        ingester: { replicas: 2, resources: medium },
        querier: { replicas: 2, resources: small },
        queryFrontend: { replicas: 1, resources: small },
        queryScheduler: { replicas: 1, resources: small },
        indexGateway: { replicas: 1, resources: small },
        compactor: { replicas: 1, resources: small },
      },
      ingesterPersistence: { size: "10Gi" },
      storage: {
        type: "s3",
        region: "eu-west-1",
        credentialsSecretName: "loki-object-storage",
        bucketNames: { chunks: "acme-staging-loki-chunks", ruler: "acme-staging-loki-ruler" },
      },
    },
  },
  tempo: {
    retention: "168h",
    topology: {
      kind: "distributed",
      kafka: { address: "kafka-bootstrap.kafka.svc:9092", topic: "tempo-ingest" },
      storage: {
        type: "s3",
        region: "eu-west-1",
        credentialsSecretName: "tempo-object-storage",
        bucket: "acme-staging-tempo-traces",
      },
      components: {
        distributor: { replicas: 1, resources: small },
        liveStore: { replicas: 2, resources: medium },
        blockBuilder: { replicas: 1, resources: small },
        querier: { replicas: 1, resources: small },
        queryFrontend: { replicas: 1, resources: small },
        metricsGenerator: { replicas: 1, resources: small },
        backendScheduler: { replicas: 1, resources: small },
        backendWorker: { replicas: 1, resources: small },
      },
    },
  },
  mimir: {
    tenant: "platform",
    // Above the longest SLO period (90d rolling; a calendar month reads 31d): Mimir's ruler
    // computes those budgets from these blocks. Was 60d, which a 90d budget would outrun.
    retention: "100d",
    storage: {
      type: "s3",
      region: "eu-west-1",
      credentialsSecretName: "mimir-object-storage",
      bucketNames: { blocks: "acme-staging-mimir-blocks" },
    },
    components: {
      distributor: { replicas: 2, resources: small },
      // Replication factor 3: every series on all three (no zone-awareness in staging).
      ingester: { replicas: 3, resources: { requests: { cpu: "250m", memory: "1Gi" }, limits: { cpu: "1", memory: "2Gi" } } },
      querier: { replicas: 1, resources: medium },
      queryFrontend: { replicas: 1, resources: small },
      queryScheduler: { replicas: 1, resources: small },
      storeGateway: { replicas: 1, resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "500m", memory: "1Gi" } } },
      compactor: { replicas: 1, resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "1", memory: "1Gi" } } },
      gateway: { replicas: 1, resources: small },
      // Evaluates the error budgets longer than Prometheus' 30d (rules/placement.ts): a few dozen groups every 5m. Its querier
      // holds a 90d, 1h-step subquery per group at a time.
      ruler: { replicas: 1, resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "1", memory: "1Gi" } } },
    },
    persistence: { ingester: { size: "10Gi" }, storeGateway: { size: "5Gi" }, compactor: { size: "10Gi" } },
    // 2Gi ingesters hold about 200k series each (Mimir's planning figure: 2.5GB per 300k in-memory series).
    limits: { maxGlobalSeriesPerTenant: 200_000, outOfOrderTimeWindow: "10m", maxGlobalExemplarsPerTenant: 100_000 },
  },
  openTelemetryCollector: {
    // Debug and above, half of the info-and-below lines: prod's sampling path, at staging's volume.
    agent: {
      resources: { requests: { cpu: "50m", memory: "128Mi" }, limits: { cpu: "250m", memory: "256Mi" } },
      logs: { minimumLevel: "debug", infoSamplingPercentage: 50 },
    },
    gateway: { replicas: 2, resources: medium },
    // Tail sampling holds every trace for decision_wait: memory, not CPU, is what it needs.
    sampler: { replicas: 2, resources: { requests: { cpu: "100m", memory: "512Mi" }, limits: { cpu: "500m", memory: "1Gi" } } },
    tracing: { samplingPercentage: 20, slowTraceThresholdMs: 1000 },
  },
  blackboxExporter: { replicas: 1, resources: { requests: { cpu: "20m", memory: "32Mi" }, limits: { cpu: "100m", memory: "64Mi" } } },
  canaryRunner: {
    resources: { requests: { cpu: "20m", memory: "64Mi" }, limits: { cpu: "200m", memory: "128Mi" } },
    image: "docker.io/library/node:20-alpine",
    // Writing flows (create post, media upload, push register) run here.
    allowWrites: true,
  },
  alerting: {
    secretName: "alertmanager-receivers",
    // Nobody is paged from staging: each team's channel (#<team>-alerts-staging, its webhook URL
    // under the Secret's key slack-<team>-staging-webhook-url) gets its critical and warning
    // alerts, and warnings wait for the morning (staging-nights).
    receivers: {
      ...Object.fromEntries(
        TEAMS.map((team) => [
          `${team}-staging`,
          { type: "slack", channel: `#${team}-alerts-staging`, apiUrlKey: `slack-${team}-staging-webhook-url` } as const,
        ]),
      ),
      "deadmans-switch": { type: "webhook", url: "https://deadman.example.com/api/v1/heartbeat/obs-staging", bearerTokenKey: "deadmans-switch-token" },
    },
    teams: perTeam((team) => ({ pager: `${team}-staging`, ticket: `${team}-staging` })),
    deadMansSwitch: "deadmans-switch",
    muteTimings: [
      {
        name: "staging-nights",
        severities: ["warning"],
        timeIntervals: [
          {
            times: [
              { startTime: "20:00", endTime: "24:00" },
              { startTime: "00:00", endTime: "08:00" },
            ],
            location: "Europe/Berlin",
          },
        ],
      },
    ],
  },
};
