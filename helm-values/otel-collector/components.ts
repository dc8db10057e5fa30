import type { Resources } from "../../environments/primitives";
import type { EnvironmentProfile } from "../../environments/profile-schema";
import { clusterEndpoints } from "../cluster-endpoints";
import { redactionProcessor } from "../otel-redaction";
import { PROMETHEUS_SELECTOR_LABELS } from "../selector-labels";

/**
 * What the three collector tiers (agent, gateway, sampler) share: component ids, the processors
 * every pipeline starts and ends with, the exporters to Loki, the metrics store and Tempo, and the
 * chart-level values every release of the opentelemetry-collector chart (0.170, collector 0.158)
 * is deployed with.
 *
 * The chart deep-merges `config` into its own default config: maps merge (a key set to `null`
 * removes a default), lists replace. So each tier sets the defaults it does not want (the `debug`
 * exporter, the jaeger/zipkin/prometheus receivers, unused pipelines) to `null` and lists every
 * receiver, processor and exporter of each of its pipelines.
 */

/**
 * The Kubernetes distribution of the collector. At 0.158 it holds every component the tiers use
 * (otlp, file_log, k8s_attributes, transform, filter, probabilistic_sampler, tail_sampling,
 * routing, load_balancing, otlp_grpc, otlp_http, memory_limiter, batch, health_check,
 * file_storage); it lacks `prometheusremotewrite`, which none of them needs. Fewer components than
 * contrib, so a smaller image and attack surface.
 */
export const OTEL_COLLECTOR_K8S_IMAGE = "ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-k8s";
/** The binary of that image (the chart's `command.name`). */
export const OTEL_COLLECTOR_K8S_COMMAND = "otelcol-k8s";

/** Component ids, in one place so the pipelines, the component maps and the tests agree. */
export const OTEL_COMPONENTS = {
  otlpReceiver: "otlp",
  /** The logsCollection preset's receiver (`filelog`, renamed by the chart's rewriteDeprecatedComponentNames). */
  containerLogsReceiver: "file_log",
  memoryLimiter: "memory_limiter",
  /** Filled in by presets.kubernetesAttributes (renamed from `k8sattributes`). */
  k8sAttributes: "k8s_attributes",
  /** Agent: JSON lines to structured bodies, their level to the record's severity, their trace id to its trace context. */
  parseContainerLogs: "transform/parse_container_logs",
  /** Agent: drops lines below the profile's minimum level. */
  minimumLogLevel: "filter/minimum_log_level",
  /** Agent: gives lines without a trace id a random `log.record.uid`, the sampler's source of randomness. */
  logRecordUid: "transform/log_record_uid",
  /** Agent: keeps the profile's share of info-and-below lines. */
  infoLogSampler: "probabilistic_sampler/info_logs",
  redactPii: "transform/redact_pii",
  tailSampling: "tail_sampling",
  batch: "batch",
  /** Agent: sends warnings and above (and lines without a level) one way, the rest through the sampler. */
  severityRouter: "routing/severity",
  /** Gateway: traces to the sampler, every span of a trace to the same pod. */
  traceIdRouter: "load_balancing/sampler",
  /** Sampler: traces to Tempo over OTLP gRPC (`otlp_grpc`, formerly `otlp`, since collector 0.144). */
  tempoExporter: "otlp_grpc/tempo",
  /** Gateway: metrics to the metrics store's OTLP endpoint (`otlp_http`, formerly `otlphttp`). */
  metricsStoreExporter: "otlp_http/metrics_store",
  /** Agent and gateway: logs to Loki's OTLP endpoint, with the tenant header. */
  lokiExporter: "otlp_http/loki",
  healthCheck: "health_check",
} as const;

/** One pipeline of `service.pipelines`. */
export interface CollectorPipeline {
  readonly receivers: readonly string[];
  readonly processors: readonly string[];
  readonly exporters: readonly string[];
}

/**
 * A pipeline that receives from outside and exports: memory_limiter first (it refuses data to the
 * receiver before anything is buffered), batch last (one request per batch to the backend).
 */
export function exportingPipeline(receivers: readonly string[], processors: readonly string[], exporters: readonly string[]): CollectorPipeline {
  return { receivers, processors: [OTEL_COMPONENTS.memoryLimiter, ...processors, OTEL_COMPONENTS.batch], exporters };
}

/** Percentages of the container's memory limit (every profile sets one; the chart also sets GOMEMLIMIT to 80% of it). */
export function memoryLimiterProcessor() {
  return { check_interval: "1s", limit_percentage: 80, spike_limit_percentage: 20 };
}

export function batchProcessor() {
  return { send_batch_size: 8192, send_batch_max_size: 8192, timeout: "1s" };
}

/** Processors every tier configures: memory_limiter, batch and the PII redaction. */
export function commonProcessors() {
  return {
    [OTEL_COMPONENTS.memoryLimiter]: memoryLimiterProcessor(),
    [OTEL_COMPONENTS.redactPii]: redactionProcessor(),
    [OTEL_COMPONENTS.batch]: batchProcessor(),
  };
}

/** The OTLP receiver on all interfaces; `http: false` leaves only gRPC (the sampler's load balancer speaks gRPC). */
export function otlpReceiver(protocols: { readonly http: boolean }) {
  return {
    protocols: {
      grpc: { endpoint: "0.0.0.0:4317" },
      http: protocols.http ? { endpoint: "0.0.0.0:4318" } : null,
    },
  };
}

/** The chart's default receivers no tier serves. */
export const REMOVED_DEFAULT_RECEIVERS = { jaeger: null, zipkin: null, prometheus: null } as const;
/** The chart's default `debug` exporter, which no tier keeps. */
export const REMOVED_DEFAULT_EXPORTERS = { debug: null } as const;

/** Logs to Loki's OTLP endpoint; the exporter appends /v1/logs, and Loki (auth_enabled) rejects a push without the tenant. */
export function lokiExporter(profile: EnvironmentProfile) {
  return {
    endpoint: `${clusterEndpoints(profile).lokiUrl}/otlp`,
    headers: { "X-Scope-OrgID": profile.loki.tenant },
  };
}

/** Metrics to the one logical metrics store (never a replicated Prometheus Service), with its tenant when it has one. */
export function metricsStoreExporter(profile: EnvironmentProfile) {
  const store = clusterEndpoints(profile).metricsStore;
  // The exporter appends /v1/metrics to the base URL.
  return store.tenant === undefined ? { endpoint: store.otlpUrl } : { endpoint: store.otlpUrl, headers: { "X-Scope-OrgID": store.tenant } };
}

/** Traces to Tempo's distributor/receiver: in-cluster plaintext gRPC. */
export function tempoExporter(profile: EnvironmentProfile) {
  return { endpoint: clusterEndpoints(profile).tempoOtlpGrpcEndpoint, tls: { insecure: true } };
}

/** The chart's probes hit this; it must stay in `service.extensions`. */
export function healthCheckExtensions() {
  return { [OTEL_COMPONENTS.healthCheck]: { endpoint: "${env:MY_POD_IP}:13133" } };
}

/**
 * Container ports. `metrics` (the collector's own, for its monitor) is always on; OTLP only on the
 * tiers that receive it; the chart's default jaeger and zipkin ports always off. Nothing has a
 * nodePort: every Service stays inside the cluster (the agent has no Service at all).
 */
export function collectorPorts(open: { readonly otlpGrpc: boolean; readonly otlpHttp: boolean }) {
  return {
    otlp: { enabled: open.otlpGrpc },
    "otlp-http": { enabled: open.otlpHttp },
    metrics: { enabled: true },
    "jaeger-compact": { enabled: false },
    "jaeger-thrift": { enabled: false },
    "jaeger-grpc": { enabled: false },
    zipkin: { enabled: false },
  };
}

/** A PodDisruptionBudget allowing one pod down at a time, on when the tier is replicated. */
export function disruptionBudget(replicas: number) {
  return replicas > 1 ? { enabled: true, maxUnavailable: 1 } : { enabled: false };
}

/** Replicas, resources and disruption budget of a Deployment or StatefulSet tier, from its profile workload. */
export function replicatedTier(workload: { readonly replicas: number; readonly resources: Resources }) {
  return { replicaCount: workload.replicas, resources: workload.resources, podDisruptionBudget: disruptionBudget(workload.replicas) };
}

/** The collector's own metrics, scraped through a ServiceMonitor carrying the labels Prometheus selects by. */
export function selfMonitor() {
  return { enabled: true, extraLabels: { ...PROMETHEUS_SELECTOR_LABELS } };
}

/**
 * Chart values every tier starts from. `apiVersion` is the chart's default, set here too: the
 * values schema requires it, and CI validates these values on their own (Helm validates them
 * merged over the chart's defaults).
 */
export function chartBase(fullname: string, mode: "daemonset" | "deployment" | "statefulset") {
  return {
    // Services and workloads are `<fullname>`, not `<release>-opentelemetry-collector`.
    fullnameOverride: fullname,
    mode,
    apiVersion: "apps/v1",
    image: { repository: OTEL_COLLECTOR_K8S_IMAGE },
    command: { name: OTEL_COLLECTOR_K8S_COMMAND },
  };
}
