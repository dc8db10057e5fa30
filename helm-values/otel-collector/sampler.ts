import type { EnvironmentProfile } from "../../environments/profile-schema";
import { RELEASES } from "../release-names";
import {
  chartBase,
  collectorPorts,
  commonProcessors,
  replicatedTier,
  exportingPipeline,
  healthCheckExtensions,
  OTEL_COMPONENTS,
  otlpReceiver,
  REMOVED_DEFAULT_EXPORTERS,
  REMOVED_DEFAULT_RECEIVERS,
  selfMonitor,
  tempoExporter,
} from "./components";

/**
 * The sampler's headless Service, `<name>.<namespace>` as the gateway's k8s resolver takes it.
 * The chart names the Service after the fullname and makes it the StatefulSet's `serviceName`.
 */
export function samplerServiceHost(profile: EnvironmentProfile): string {
  return `${RELEASES.openTelemetrySampler}.${profile.namespace}`;
}

/**
 * Tail sampling: every trace with an error, every trace at least as slow as the threshold, and a
 * share of the rest. A trace is kept when any policy samples it. The gateway's trace-id routing
 * brings every span of a trace to the same sampler pod, so each decision sees the whole trace.
 */
export function tailSamplingProcessor(profile: EnvironmentProfile) {
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

/**
 * The sampler: OTLP gRPC from the gateway's load balancer; tail sampling, then redaction (its
 * Service is reachable from any pod, so it redacts as well; sampling first, so the dropped majority
 * is never scanned), then Tempo.
 */
function samplerConfig(profile: EnvironmentProfile) {
  return {
    receivers: { [OTEL_COMPONENTS.otlpReceiver]: otlpReceiver({ http: false }), ...REMOVED_DEFAULT_RECEIVERS },
    processors: { ...commonProcessors(), [OTEL_COMPONENTS.tailSampling]: tailSamplingProcessor(profile) },
    exporters: { [OTEL_COMPONENTS.tempoExporter]: tempoExporter(profile), ...REMOVED_DEFAULT_EXPORTERS },
    extensions: healthCheckExtensions(),
    service: {
      extensions: [OTEL_COMPONENTS.healthCheck],
      pipelines: {
        traces: exportingPipeline([OTEL_COMPONENTS.otlpReceiver], [OTEL_COMPONENTS.tailSampling, OTEL_COMPONENTS.redactPii], [OTEL_COMPONENTS.tempoExporter]),
        // Chart defaults: the sampler only ever sees traces.
        metrics: null,
        logs: null,
      },
    },
  };
}

/**
 * Values of the sampler release: a StatefulSet behind a headless Service (`clusterIP: None`), so
 * the gateway's resolver sees each pod. Changing its replicas moves about 1/n of the trace ids to
 * another pod: traces in flight at that moment are decided in parts.
 */
export function buildOtelSamplerValues(profile: EnvironmentProfile) {
  const sampler = profile.openTelemetryCollector.sampler;
  return {
    ...chartBase(RELEASES.openTelemetrySampler, "statefulset"),
    ...replicatedTier(sampler),
    ports: collectorPorts({ otlpGrpc: true, otlpHttp: false }),
    service: { type: "ClusterIP", clusterIP: "None" },
    ingress: { enabled: false },
    serviceMonitor: selfMonitor(),
    config: samplerConfig(profile),
  };
}
