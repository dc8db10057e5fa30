import { perTeam } from "../model/teams";
import { CHART_PINS } from "./chart-versions";
import type { EnvironmentProfileInput } from "./profile-schema";

/**
 * dev: one replica of everything, Prometheus as the metrics store (no Mimir), short log and trace
 * retention, all traces kept, one dev receiver.
 */
export const dev: EnvironmentProfileInput = {
  name: "dev",
  tier: "non-production",
  // A managed cluster in the same cloud as staging and prod: its control plane is not scraped.
  kubernetes: { configPath: "~/.kube/config", context: "obs-dev", controlPlane: "managed" },
  namespace: "observability",
  clusterCapacity: { nodes: 3, cpu: "8", memory: "16Gi" },
  externalLabels: { cluster: "dev-eu1", environment: "dev" },
  runbookBaseUrl: "https://runbooks.example.com/observability",
  charts: CHART_PINS,
  helm: { atomic: false, cleanupOnFail: true, timeoutSeconds: 600 },
  metricsExposure: "public",
  prometheus: {
    replicas: 1,
    resources: { requests: { cpu: "250m", memory: "1Gi" }, limits: { cpu: "1", memory: "2Gi" } },
    // No Mimir here: every SLO rule runs on this Prometheus and the error budget reads the whole
    // SLO period, up to 90d, so the retention covers it. Sized for about 150k active series at 30s
    // and 1.5 bytes a sample (0.65GB a day): the 20GB cap holds about 30 days, and deletes the
    // oldest blocks first, so in a busy dev a 90d budget covers what the cap kept (README).
    retention: "90d",
    retentionSize: "20GB",
    storage: { size: "25Gi" },
    scrapeInterval: "30s",
    evaluationInterval: "30s",
    remoteWrite: [],
  },
  alertmanager: {
    replicas: 1,
    resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "200m", memory: "128Mi" } },
    storage: { size: "1Gi" },
  },
  operator: { resources: { requests: { cpu: "50m", memory: "128Mi" }, limits: { cpu: "200m", memory: "256Mi" } } },
  kubeStateMetrics: { resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "200m", memory: "256Mi" } } },
  nodeExporter: { resources: { requests: { cpu: "20m", memory: "32Mi" }, limits: { cpu: "200m", memory: "64Mi" } } },
  grafana: {
    replicas: 1,
    resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "500m", memory: "512Mi" } },
    url: "https://grafana.dev.example.com",
    adminSecret: { name: "grafana-admin", userKey: "admin-user", passwordKey: "admin-password" },
    persistence: { size: "1Gi" },
    dashboardDelivery: "sidecar",
  },
  loki: {
    tenant: "platform",
    retention: "48h",
    gateway: { replicas: 1, resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "200m", memory: "128Mi" } } },
    chunksCache: { enabled: true, replicas: 1, allocatedMemoryMi: 256 },
    resultsCache: { enabled: true, replicas: 1, allocatedMemoryMi: 128 },
    topology: {
      deploymentMode: "Monolithic",
      singleBinary: { replicas: 1, resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "1", memory: "1Gi" } } },
      persistence: { size: "10Gi" },
      storage: { type: "filesystem" },
    },
  },
  tempo: {
    retention: "48h",
    topology: {
      kind: "single",
      server: { replicas: 1, resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "500m", memory: "1Gi" } } },
      persistence: { size: "10Gi" },
    },
  },
  openTelemetryCollector: {
    // Every line and every trace: dev is where services are debugged.
    agent: {
      resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "250m", memory: "256Mi" } },
      logs: { minimumLevel: "trace", infoSamplingPercentage: 100 },
    },
    gateway: { replicas: 1, resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "500m", memory: "512Mi" } } },
    sampler: { replicas: 1, resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "500m", memory: "512Mi" } } },
    tracing: { samplingPercentage: 100, slowTraceThresholdMs: 1000 },
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
    // One dev receiver for every team and severity; the dead man's switch pings a heartbeat monitor.
    receivers: {
      "obs-dev": { type: "slack", channel: "#obs-dev", apiUrlKey: "slack-obs-dev-webhook-url" },
      "deadmans-switch": { type: "webhook", url: "https://deadman.example.com/api/v1/heartbeat/obs-dev", bearerTokenKey: "deadmans-switch-token" },
    },
    teams: perTeam(() => ({ pager: "obs-dev", ticket: "obs-dev" })),
    deadMansSwitch: "deadmans-switch",
  },
};
