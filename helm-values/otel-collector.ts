import type { EnvironmentProfile } from "../environments/profile-schema";
import { clusterEndpoints } from "./cluster-endpoints";
import { RELEASES } from "./release-names";
import { redactionProcessor } from "./otel-redaction";
import { PROMETHEUS_SELECTOR_LABELS } from "./selector-labels";

/**
 * Values of the `opentelemetry-collector` chart (0.170, collector 0.158): one gateway Deployment
 * receiving OTLP from every workload, redacting PII, tail-sampling traces and exporting traces to
 * Tempo, metrics to Prometheus' OTLP receiver and logs to Loki's OTLP endpoint.
 *
 * The chart deep-merges `config` into its own default config: maps merge (a key set to `null`
 * removes a default), lists replace. So the defaults this gateway does not want (the `debug`
 * exporter, the jaeger/zipkin/prometheus receivers) are set to `null` here, and every pipeline
 * lists all of its receivers, processors and exporters.
 */

/** The contrib distribution: tail_sampling, transform and k8s_attributes are contrib components. */
export const OTEL_COLLECTOR_CONTRIB_IMAGE = "ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-contrib";

/** Component ids, in one place so the pipelines and the component maps agree. */
export const OTEL_COMPONENTS = {
  otlpReceiver: "otlp",
  memoryLimiter: "memory_limiter",
  /** The chart's kubernetesAttributes preset fills this processor in (renamed from `k8sattributes`). */
  k8sAttributes: "k8s_attributes",
  redactPii: "transform/redact_pii",
  tailSampling: "tail_sampling",
  batch: "batch",
  /** Traces to Tempo over OTLP gRPC (`otlp_grpc`, formerly `otlp`, since collector 0.144). */
  tracesExporter: "otlp_grpc",
  /** Metrics to Prometheus' OTLP receiver (`otlp_http`, formerly `otlphttp`). */
  metricsExporter: "otlp_http",
  /** Logs to Loki's OTLP endpoint, with the tenant header. */
  logsExporter: "otlp_http/loki",
  healthCheck: "health_check",
} as const;

/**
 * Tail sampling: every trace with an error, every trace at least as slow as the threshold, and a
 * share of the rest. A trace is kept when any policy samples it.
 *
 * All spans of a trace must reach the same collector pod for the decision to see the whole trace;
 * with several replicas behind one Service, a trace split across pods is decided per part.
 */
function tailSamplingProcessor(profile: EnvironmentProfile) {
  const tracing = profile.openTelemetryCollector.tracing;
  return {
    decision_wait: `${tracing.decisionWaitSeconds}s`,
    policies: [
      { name: "keep-errors", type: "status_code", status_code: { status_codes: ["ERROR"] } },
      { name: "keep-slow", type: "latency", latency: { threshold_ms: tracing.slowTraceThresholdMs } },
      {
        name: "keep-share",
        type: "probabilistic",
        probabilistic: { sampling_percentage: tracing.samplingPercentage },
      },
    ],
  };
}

function receivers() {
  return {
    [OTEL_COMPONENTS.otlpReceiver]: {
      protocols: {
        grpc: { endpoint: "0.0.0.0:4317" },
        http: { endpoint: "0.0.0.0:4318" },
      },
    },
    // Chart defaults this gateway does not serve.
    jaeger: null,
    zipkin: null,
    prometheus: null,
  };
}

function processors(profile: EnvironmentProfile) {
  return {
    // Percentages of the container's memory limit (the profile always sets one).
    [OTEL_COMPONENTS.memoryLimiter]: { check_interval: "1s", limit_percentage: 80, spike_limit_percentage: 20 },
    // Filled in by presets.kubernetesAttributes (pod association, extracted metadata, RBAC).
    [OTEL_COMPONENTS.k8sAttributes]: {},
    [OTEL_COMPONENTS.redactPii]: redactionProcessor(),
    [OTEL_COMPONENTS.tailSampling]: tailSamplingProcessor(profile),
    [OTEL_COMPONENTS.batch]: { send_batch_size: 8192, send_batch_max_size: 8192, timeout: "1s" },
  };
}

function exporters(profile: EnvironmentProfile) {
  const endpoints = clusterEndpoints(profile);
  return {
    // In-cluster plaintext gRPC to Tempo's distributor/receiver.
    [OTEL_COMPONENTS.tracesExporter]: { endpoint: endpoints.tempoOtlpGrpcEndpoint, tls: { insecure: true } },
    // The exporter appends /v1/metrics: Prometheus' receiver is /api/v1/otlp/v1/metrics.
    [OTEL_COMPONENTS.metricsExporter]: { endpoint: endpoints.metricsStore.otlpUrl },
    // The exporter appends /v1/logs; Loki (auth_enabled) rejects a push without the tenant.
    [OTEL_COMPONENTS.logsExporter]: {
      endpoint: `${endpoints.lokiUrl}/otlp`,
      headers: { "X-Scope-OrgID": profile.loki.tenant },
    },
    // Chart default.
    debug: null,
  };
}

/** Processors of one pipeline: memory_limiter first, batch last, redaction before export. */
function processorChain(...middle: string[]): string[] {
  return [OTEL_COMPONENTS.memoryLimiter, OTEL_COMPONENTS.k8sAttributes, ...middle, OTEL_COMPONENTS.batch];
}

function pipelines() {
  return {
    traces: {
      receivers: [OTEL_COMPONENTS.otlpReceiver],
      // Sampling before redaction: the dropped majority of traces is never scanned.
      processors: processorChain(OTEL_COMPONENTS.tailSampling, OTEL_COMPONENTS.redactPii),
      exporters: [OTEL_COMPONENTS.tracesExporter],
    },
    metrics: {
      receivers: [OTEL_COMPONENTS.otlpReceiver],
      processors: processorChain(OTEL_COMPONENTS.redactPii),
      exporters: [OTEL_COMPONENTS.metricsExporter],
    },
    logs: {
      receivers: [OTEL_COMPONENTS.otlpReceiver],
      processors: processorChain(OTEL_COMPONENTS.redactPii),
      exporters: [OTEL_COMPONENTS.logsExporter],
    },
  };
}

/** The collector configuration (the chart's `config`), as merged over the chart's defaults. */
export function buildOtelCollectorConfig(profile: EnvironmentProfile) {
  return {
    receivers: receivers(),
    processors: processors(profile),
    exporters: exporters(profile),
    extensions: {
      // The chart's probes hit this; it must stay in service.extensions.
      [OTEL_COMPONENTS.healthCheck]: { endpoint: "${env:MY_POD_IP}:13133" },
    },
    service: {
      extensions: [OTEL_COMPONENTS.healthCheck],
      pipelines: pipelines(),
    },
  };
}

/** Container ports: OTLP in, self-metrics for the ServiceMonitor; the default jaeger/zipkin ports off. */
function ports() {
  return {
    otlp: { enabled: true },
    "otlp-http": { enabled: true },
    metrics: { enabled: true },
    "jaeger-compact": { enabled: false },
    "jaeger-thrift": { enabled: false },
    "jaeger-grpc": { enabled: false },
    zipkin: { enabled: false },
  };
}

/** A PodDisruptionBudget allowing one pod down at a time, on when the collector is replicated. */
function disruptionBudget(replicas: number) {
  return replicas > 1 ? { enabled: true, maxUnavailable: 1 } : { enabled: false };
}

/**
 * Values of the opentelemetry-collector chart for one environment.
 *
 * The Service is ClusterIP in every environment, so nothing (OTLP or /metrics) is reachable from
 * outside the cluster; in particular never where `metricsExposure` is `internal`.
 */
export function buildOtelCollectorValues(profile: EnvironmentProfile) {
  const collector = profile.openTelemetryCollector;
  return {
    // The Service is `otel-collector.<namespace>.svc` rather than `otel-collector-opentelemetry-collector`.
    fullnameOverride: RELEASES.openTelemetryCollector,
    mode: "deployment",
    // The chart's default, set here too: the values schema requires it, and CI validates these
    // values on their own (Helm validates them merged over the chart's defaults).
    apiVersion: "apps/v1",
    image: { repository: OTEL_COLLECTOR_CONTRIB_IMAGE },
    replicaCount: collector.replicas,
    resources: collector.resources,
    podDisruptionBudget: disruptionBudget(collector.replicas),
    presets: { kubernetesAttributes: { enabled: true } },
    ports: ports(),
    service: { type: "ClusterIP" },
    ingress: { enabled: false },
    serviceMonitor: { enabled: true, extraLabels: { ...PROMETHEUS_SELECTOR_LABELS } },
    config: buildOtelCollectorConfig(profile),
  };
}

/** The values object the opentelemetry-collector release is deployed with. */
export type OtelCollectorValues = ReturnType<typeof buildOtelCollectorValues>;
/** The collector configuration inside those values. */
export type OtelCollectorConfig = ReturnType<typeof buildOtelCollectorConfig>;
