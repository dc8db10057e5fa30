import { CHART_PINS } from "./chart-versions";
import type { EnvironmentProfileInput } from "./profile-schema";

const small = { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "256Mi" } };
const medium = { requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "1", memory: "1Gi" } };
const large = { requests: { cpu: "500m", memory: "2Gi" }, limits: { cpu: "2", memory: "4Gi" } };

/**
 * prod: HA everywhere (Prometheus 2 replicas feeding Mimir, Alertmanager 3 clustered, PDBs), Loki
 * Distributed and tempo-distributed on object storage (Tempo through Kafka), Mimir zone-aware on
 * object storage, 30d Prometheus retention (longer SLO budgets on Mimir's ruler), 10% head sampling plus tail sampling
 * of every error and slow trace, atomic Helm releases.
 */
export const prod: EnvironmentProfileInput = {
  name: "prod",
  tier: "production",
  // A managed cluster (EKS): its control plane is not scraped, nor alerted on.
  kubernetes: { configPath: "~/.kube/config", context: "obs-prod", controlPlane: "managed" },
  namespace: "observability",
  clusterCapacity: { nodes: 6, cpu: "32", memory: "96Gi" },
  externalLabels: { cluster: "prod-eu1", environment: "prod" },
  runbookBaseUrl: "https://runbooks.example.com/observability",
  charts: CHART_PINS,
  helm: { atomic: true, cleanupOnFail: true, timeoutSeconds: 900 },
  metricsExposure: "internal",
  prometheus: {
    replicas: 2,
    resources: { requests: { cpu: "1", memory: "6Gi" }, limits: { cpu: "4", memory: "12Gi" } },
    // The SLO rules run here and read 30d (the error budget over the SLO period). Size at the 15d
    // sizing's rate (180GB in 15d, 12GB a day): 360GB in 30d, 84% of the volume.
    retention: "30d",
    retentionSize: "360GB",
    storage: { size: "400Gi", storageClassName: "gp3" },
    scrapeInterval: "30s",
    evaluationInterval: "30s",
    remoteWrite: [],
  },
  alertmanager: {
    replicas: 3,
    resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
    storage: { size: "2Gi", storageClassName: "gp3" },
  },
  operator: { resources: small },
  kubeStateMetrics: { resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "500m", memory: "512Mi" } } },
  nodeExporter: { resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "250m", memory: "128Mi" } } },
  grafana: {
    replicas: 2,
    resources: medium,
    url: "https://grafana.example.com",
    adminSecret: { name: "grafana-admin", userKey: "admin-user", passwordKey: "admin-password" },
    // Two replicas share this Postgres (its password in the Secret grafana-database) and gossip
    // alerting state; nothing is kept on disk.
    database: {
      type: "postgres",
      host: "grafana-db.example.com:5432",
      name: "grafana",
      user: "grafana",
      sslMode: "require",
      passwordSecret: { name: "grafana-database", key: "password" },
    },
    dashboardDelivery: "terraform",
  },
  loki: {
    tenant: "platform",
    retention: "720h",
    gateway: { replicas: 2, resources: small },
    chunksCache: { enabled: true, replicas: 2, allocatedMemoryMi: 2048 },
    resultsCache: { enabled: true, replicas: 2, allocatedMemoryMi: 512 },
    topology: {
      deploymentMode: "Distributed",
      components: {
        distributor: { replicas: 3, resources: medium },
        ingester: { replicas: 3, resources: large },
        querier: { replicas: 3, resources: medium },
        queryFrontend: { replicas: 2, resources: small },
        queryScheduler: { replicas: 2, resources: small },
        indexGateway: { replicas: 2, resources: medium },
        compactor: { replicas: 1, resources: medium },
      },
      ingesterPersistence: { size: "20Gi", storageClassName: "gp3" },
      storage: {
        type: "s3",
        region: "eu-west-1",
        credentialsSecretName: "loki-object-storage",
        bucketNames: { chunks: "acme-prod-loki-chunks", ruler: "acme-prod-loki-ruler" },
      },
    },
  },
  tempo: {
    retention: "336h",
    topology: {
      kind: "distributed",
      kafka: { address: "kafka-bootstrap.kafka.svc:9092", topic: "tempo-ingest" },
      storage: {
        type: "s3",
        region: "eu-west-1",
        credentialsSecretName: "tempo-object-storage",
        bucket: "acme-prod-tempo-traces",
      },
      components: {
        distributor: { replicas: 3, resources: medium },
        liveStore: { replicas: 3, resources: large },
        blockBuilder: { replicas: 2, resources: medium },
        querier: { replicas: 2, resources: medium },
        queryFrontend: { replicas: 2, resources: small },
        metricsGenerator: { replicas: 2, resources: medium },
        backendScheduler: { replicas: 1, resources: small },
        backendWorker: { replicas: 2, resources: medium },
      },
    },
  },
  mimir: {
    tenant: "platform",
    retention: "180d",
    storage: {
      type: "s3",
      region: "eu-west-1",
      credentialsSecretName: "mimir-object-storage",
      bucketNames: { blocks: "acme-prod-mimir-blocks" },
    },
    components: {
      distributor: { replicas: 3, resources: medium },
      // One per zone at replication factor 3: a zone (a node) can go down without losing a write.
      ingester: { replicas: 3, resources: { requests: { cpu: "500m", memory: "4Gi" }, limits: { cpu: "2", memory: "8Gi" } } },
      querier: { replicas: 2, resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "2", memory: "2Gi" } } },
      queryFrontend: { replicas: 2, resources: small },
      queryScheduler: { replicas: 2, resources: small },
      storeGateway: { replicas: 3, resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "1", memory: "2Gi" } } },
      compactor: { replicas: 1, resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "1", memory: "2Gi" } } },
      gateway: { replicas: 2, resources: small },
      // Two: they share the budget groups through their ring, and one takes over when the other restarts.
      ruler: { replicas: 2, resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "1", memory: "1Gi" } } },
    },
    persistence: {
      ingester: { size: "20Gi", storageClassName: "gp3" },
      storeGateway: { size: "10Gi", storageClassName: "gp3" },
      compactor: { size: "20Gi", storageClassName: "gp3" },
    },
    zoneAwareReplication: { rolloutOperator: { requests: { cpu: "100m", memory: "100Mi" }, limits: { cpu: "500m", memory: "200Mi" } } },
    // 8Gi ingesters hold about 900k series each (Mimir's planning figure: 2.5GB per 300k in-memory
    // series); the limit leaves room for a deploy that doubles a service's series for a while.
    limits: { maxGlobalSeriesPerTenant: 750_000, outOfOrderTimeWindow: "10m", maxGlobalExemplarsPerTenant: 200_000 },
  },
  openTelemetryCollector: {
    // Info and above; one info line in ten (spec 001: "info logs sampled 1:10, errors never").
    agent: {
      resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "512Mi" } },
      logs: { minimumLevel: "info", infoSamplingPercentage: 10 },
    },
    gateway: { replicas: 3, resources: { requests: { cpu: "500m", memory: "512Mi" }, limits: { cpu: "2", memory: "1Gi" } } },
    // Tail sampling holds every trace for decision_wait: memory, not CPU, is what it needs.
    sampler: { replicas: 3, resources: { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "2", memory: "2Gi" } } },
    tracing: { samplingPercentage: 10, slowTraceThresholdMs: 1000 },
  },
  blackboxExporter: { replicas: 2, resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "200m", memory: "128Mi" } } },
  canaryRunner: {
    resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "200m", memory: "128Mi" } },
    image: "docker.io/library/node:20-alpine",
    // Writing flows stay out of production: they would create real posts and devices.
    allowWrites: false,
  },
  alerting: {
    secretName: "alertmanager-receivers",
    // Pages through each team's PagerDuty service; tickets to its Slack channel (data: by email).
    receivers: {
      "platform-pager": { type: "pagerduty", routingKeyKey: "pagerduty-platform-routing-key" },
      "platform-ticket": { type: "slack", channel: "#platform-alerts", apiUrlKey: "slack-platform-alerts-webhook-url" },
      "social-pager": { type: "pagerduty", routingKeyKey: "pagerduty-social-routing-key" },
      "social-ticket": { type: "slack", channel: "#social-alerts", apiUrlKey: "slack-social-alerts-webhook-url" },
      "web-pager": { type: "pagerduty", routingKeyKey: "pagerduty-web-routing-key" },
      "web-ticket": { type: "slack", channel: "#web-alerts", apiUrlKey: "slack-web-alerts-webhook-url" },
      "core-pager": { type: "pagerduty", routingKeyKey: "pagerduty-core-routing-key" },
      "core-ticket": { type: "slack", channel: "#core-alerts", apiUrlKey: "slack-core-alerts-webhook-url" },
      "data-pager": { type: "pagerduty", routingKeyKey: "pagerduty-data-routing-key" },
      "data-ticket": {
        type: "email",
        to: "data-oncall@example.com",
        from: "alertmanager@example.com",
        smarthost: "smtp.example.com:587",
        authUsername: "alertmanager@example.com",
        authPasswordKey: "smtp-password",
      },
      "ai-pager": { type: "pagerduty", routingKeyKey: "pagerduty-ai-routing-key" },
      "ai-ticket": { type: "slack", channel: "#ai-alerts", apiUrlKey: "slack-ai-alerts-webhook-url" },
      "growth-pager": { type: "pagerduty", routingKeyKey: "pagerduty-growth-routing-key" },
      "growth-ticket": { type: "slack", channel: "#growth-alerts", apiUrlKey: "slack-growth-alerts-webhook-url" },
      "media-pager": { type: "pagerduty", routingKeyKey: "pagerduty-media-routing-key" },
      "media-ticket": { type: "slack", channel: "#media-alerts", apiUrlKey: "slack-media-alerts-webhook-url" },
      "deadmans-switch": { type: "webhook", url: "https://deadman.example.com/api/v1/heartbeat/obs-prod", bearerTokenKey: "deadmans-switch-token" },
    },
    teams: {
      platform: { pager: "platform-pager", ticket: "platform-ticket" },
      social: { pager: "social-pager", ticket: "social-ticket" },
      web: { pager: "web-pager", ticket: "web-ticket" },
      core: { pager: "core-pager", ticket: "core-ticket" },
      data: { pager: "data-pager", ticket: "data-ticket" },
      ai: { pager: "ai-pager", ticket: "ai-ticket" },
      growth: { pager: "growth-pager", ticket: "growth-ticket" },
      media: { pager: "media-pager", ticket: "media-ticket" },
    },
    deadMansSwitch: "deadmans-switch",
  },
};
