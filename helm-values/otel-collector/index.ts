/**
 * The OpenTelemetry Collector in three releases of the opentelemetry-collector chart:
 *
 * - `otel-agent` (DaemonSet): every node's container logs -> Loki;
 * - `otel-collector` (Deployment, the gateway): OTLP from workloads; traces routed by trace id to
 *   the sampler, metrics to the metrics store, logs to Loki;
 * - `otel-sampler` (StatefulSet behind a headless Service): tail sampling -> Tempo.
 *
 * Every tier redacts PII before it exports.
 */
import type { EnvironmentProfile } from "../../environments/profile-schema";
import { RELEASES } from "../release-names";
import { buildOtelAgentValues } from "./agent";
import { buildOtelGatewayValues } from "./gateway";
import { buildOtelSamplerValues } from "./sampler";

export { buildOtelAgentValues } from "./agent";
export { buildOtelGatewayValues, resolverRbacRules, traceIdRouterExporter } from "./gateway";
export { buildOtelSamplerValues, samplerServiceHost, tailSamplingProcessor } from "./sampler";
export { OTEL_COLLECTOR_K8S_COMMAND, OTEL_COLLECTOR_K8S_IMAGE, OTEL_COMPONENTS, type CollectorPipeline } from "./components";
export { CONTAINER_LOG_FIELDS, CONTAINER_LOG_PIPELINES, LEVEL_SPELLINGS, LOG_RECORD_UID_ATTRIBUTE, SEVERITY_NUMBERS } from "./container-logs";

/** One tier's release: its name and values. */
export interface OtelCollectorRelease {
  readonly releaseName: string;
  readonly values: Readonly<Record<string, unknown>>;
}

/**
 * The three collector releases of an environment, in install order: the sampler before the
 * gateway that routes to it, the agent last.
 */
export function buildOtelCollectorReleases(profile: EnvironmentProfile): readonly OtelCollectorRelease[] {
  return [
    { releaseName: RELEASES.openTelemetrySampler, values: buildOtelSamplerValues(profile) },
    { releaseName: RELEASES.openTelemetryCollector, values: buildOtelGatewayValues(profile) },
    { releaseName: RELEASES.openTelemetryAgent, values: buildOtelAgentValues(profile) },
  ];
}
