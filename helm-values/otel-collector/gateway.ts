import type { EnvironmentProfile } from "../../environments/profile-schema";
import { RELEASES } from "../release-names";
import {
  chartBase,
  collectorPorts,
  commonProcessors,
  replicatedTier,
  exportingPipeline,
  healthCheckExtensions,
  lokiExporter,
  metricsStoreExporter,
  OTEL_COMPONENTS,
  otlpReceiver,
  REMOVED_DEFAULT_EXPORTERS,
  REMOVED_DEFAULT_RECEIVERS,
  selfMonitor,
} from "./components";
import { samplerServiceHost } from "./sampler";

/**
 * The sampler's endpoints, found through the Kubernetes API rather than DNS: the k8s resolver
 * watches the headless Service's Endpoints and rebuilds the ring as soon as a sampler pod becomes
 * ready or goes away, where the DNS resolver would poll (5s by default, behind CoreDNS's cache)
 * and keep sending to a pod that is gone. It needs read access to Endpoints (and EndpointSlices,
 * which newer collectors watch instead), granted by {@link resolverRbacRules}.
 */
export function traceIdRouterExporter(profile: EnvironmentProfile) {
  return {
    // Every span of a trace to the same sampler pod. Only traces: metrics and logs are never routed by trace id.
    routing_key: "traceID",
    protocol: { otlp: { tls: { insecure: true } } },
    resolver: { k8s: { service: samplerServiceHost(profile), ports: [4317] } },
  };
}

/** What the k8s resolver reads, added to the ClusterRole the kubernetesAttributes preset creates. */
export function resolverRbacRules() {
  return [
    { apiGroups: [""], resources: ["endpoints"], verbs: ["get", "list", "watch"] },
    { apiGroups: ["discovery.k8s.io"], resources: ["endpointslices"], verbs: ["get", "list", "watch"] },
  ];
}

/**
 * The gateway: every workload sends OTLP here (`otel-collector:4317`, spec 001). Traces are
 * redacted and routed by trace id to the sampler; metrics and logs are redacted and exported
 * directly, metrics to the metrics store and logs to Loki.
 */
function gatewayConfig(profile: EnvironmentProfile) {
  const fromApps = (exporter: string) =>
    exportingPipeline([OTEL_COMPONENTS.otlpReceiver], [OTEL_COMPONENTS.k8sAttributes, OTEL_COMPONENTS.redactPii], [exporter]);
  return {
    receivers: { [OTEL_COMPONENTS.otlpReceiver]: otlpReceiver({ http: true }), ...REMOVED_DEFAULT_RECEIVERS },
    processors: {
      ...commonProcessors(),
      // Filled in by presets.kubernetesAttributes (pod association by connection, extracted metadata).
      [OTEL_COMPONENTS.k8sAttributes]: {},
    },
    exporters: {
      [OTEL_COMPONENTS.traceIdRouter]: traceIdRouterExporter(profile),
      [OTEL_COMPONENTS.metricsStoreExporter]: metricsStoreExporter(profile),
      [OTEL_COMPONENTS.lokiExporter]: lokiExporter(profile),
      ...REMOVED_DEFAULT_EXPORTERS,
    },
    extensions: healthCheckExtensions(),
    service: {
      extensions: [OTEL_COMPONENTS.healthCheck],
      pipelines: {
        traces: fromApps(OTEL_COMPONENTS.traceIdRouter),
        metrics: fromApps(OTEL_COMPONENTS.metricsStoreExporter),
        logs: fromApps(OTEL_COMPONENTS.lokiExporter),
      },
    },
  };
}

/**
 * Values of the gateway release. Its Service is `otel-collector.<namespace>.svc`, ClusterIP in
 * every environment: nothing (OTLP or /metrics) is reachable from outside the cluster.
 */
export function buildOtelGatewayValues(profile: EnvironmentProfile) {
  const gateway = profile.openTelemetryCollector.gateway;
  return {
    ...chartBase(RELEASES.openTelemetryCollector, "deployment"),
    ...replicatedTier(gateway),
    presets: { kubernetesAttributes: { enabled: true } },
    // Created by the kubernetesAttributes preset anyway; `create` says the resolver needs it on its own too.
    clusterRole: { create: true, rules: resolverRbacRules() },
    ports: collectorPorts({ otlpGrpc: true, otlpHttp: true }),
    service: { type: "ClusterIP" },
    ingress: { enabled: false },
    serviceMonitor: selfMonitor(),
    config: gatewayConfig(profile),
  };
}
