import type { EnvironmentProfile } from "../../environments/profile-schema";
import { RELEASES } from "../release-names";
import {
  chartBase,
  collectorPorts,
  commonProcessors,
  exportingPipeline,
  healthCheckExtensions,
  lokiExporter,
  OTEL_COMPONENTS,
  REMOVED_DEFAULT_EXPORTERS,
  REMOVED_DEFAULT_RECEIVERS,
  selfMonitor,
} from "./components";
import { CONTAINER_LOG_PIPELINES, containerLogProcessors, severityRouterConnector } from "./container-logs";

/**
 * The agent tier: a DaemonSet reading every container's log files on its node (the chart's
 * logsCollection preset: file_log on /var/log/pods with the container parser, the agent's own
 * files excluded so it never reads what it writes), with Kubernetes attributes, and exporting
 * straight to Loki.
 *
 * Straight to Loki rather than through the gateway: container logs are the largest stream of the
 * stack, and a second hop would double their network and CPU, pin each agent's long-lived gRPC
 * stream to one gateway pod (a ClusterIP balances connections, not requests), and stop log
 * collection whenever the trace tier is down. The agent redacts before it exports, as the
 * gateway does, and both take Loki's endpoint and tenant from the same builder.
 *
 * Read pipeline `logs`: memory_limiter, k8s_attributes, parse, minimum level, then the severity
 * router; `logs/kept_whole` (warnings and above, lines without a level): redact, batch, Loki;
 * `logs/info_sampled`: uid, sampler, redact, batch, Loki.
 */
function agentConfig(profile: EnvironmentProfile) {
  const logs = (processors: readonly string[]) =>
    exportingPipeline([OTEL_COMPONENTS.severityRouter], [...processors, OTEL_COMPONENTS.redactPii], [OTEL_COMPONENTS.lokiExporter]);
  return {
    receivers: {
      // Filled in by presets.logsCollection (include, exclude, container parser, checkpoints).
      [OTEL_COMPONENTS.containerLogsReceiver]: {},
      // The agent receives nothing over the network.
      [OTEL_COMPONENTS.otlpReceiver]: null,
      ...REMOVED_DEFAULT_RECEIVERS,
    },
    processors: {
      ...commonProcessors(),
      // Filled in by presets.kubernetesAttributes (pods of this node only, matched by pod uid).
      [OTEL_COMPONENTS.k8sAttributes]: {},
      ...containerLogProcessors(profile),
    },
    connectors: { [OTEL_COMPONENTS.severityRouter]: severityRouterConnector() },
    exporters: { [OTEL_COMPONENTS.lokiExporter]: lokiExporter(profile), ...REMOVED_DEFAULT_EXPORTERS },
    extensions: healthCheckExtensions(),
    service: {
      extensions: [OTEL_COMPONENTS.healthCheck],
      pipelines: {
        // No batch here: it would only delay the router; each exporting pipeline batches.
        [CONTAINER_LOG_PIPELINES.read]: {
          receivers: [OTEL_COMPONENTS.containerLogsReceiver],
          processors: [OTEL_COMPONENTS.memoryLimiter, OTEL_COMPONENTS.k8sAttributes, OTEL_COMPONENTS.parseContainerLogs, OTEL_COMPONENTS.minimumLogLevel],
          exporters: [OTEL_COMPONENTS.severityRouter],
        },
        [CONTAINER_LOG_PIPELINES.keptWhole]: logs([]),
        [CONTAINER_LOG_PIPELINES.sampled]: logs([OTEL_COMPONENTS.logRecordUid, OTEL_COMPONENTS.infoLogSampler]),
        // Chart defaults the agent does not run.
        traces: null,
        metrics: null,
      },
    },
  };
}

/**
 * Values of the agent release.
 *
 * It runs as root: container log files are root's, mode 0600 under CRI-O (0640 under containerd),
 * so the collector's default user 10001 reads nothing on many clusters. Being root anyway, it
 * keeps file_log's checkpoints on the node (`storeCheckpoints`, /var/lib/otelcol): a restarted
 * agent resumes where it stopped instead of skipping what was written meanwhile (`start_at: end`).
 * Everything else is taken away: no capabilities, no privilege escalation, a read-only root file
 * system. The hostPath volumes need the namespace's `privileged` pod-security level, which
 * node-exporter already requires.
 */
export function buildOtelAgentValues(profile: EnvironmentProfile) {
  return {
    ...chartBase(RELEASES.openTelemetryAgent, "daemonset"),
    resources: profile.openTelemetryCollector.agent.resources,
    securityContext: {
      runAsUser: 0,
      runAsGroup: 0,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
    },
    presets: {
      logsCollection: { enabled: true, includeCollectorLogs: false, storeCheckpoints: true },
      kubernetesAttributes: { enabled: true },
    },
    ports: collectorPorts({ otlpGrpc: false, otlpHttp: false }),
    // A DaemonSet has no Service (nothing sends to it), so its pods are scraped through a PodMonitor.
    serviceMonitor: { enabled: false },
    podMonitor: selfMonitor(),
    config: agentConfig(profile),
  };
}
