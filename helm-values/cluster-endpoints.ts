import type { EnvironmentProfile } from "../environments/profile-schema";
import { BLACKBOX_EXPORTER_FULLNAME, GRAFANA_FULLNAME, KPS_FULLNAME, MIMIR_FULLNAME, RELEASES } from "./release-names";

/**
 * The one logical metrics store: where every pusher writes and Grafana reads. Never a replicated
 * Prometheus Service, which would split pushed samples between its replicas.
 */
export interface MetricsStoreEndpoints {
  /** Prometheus-compatible query API: Grafana's default metrics datasource. */
  readonly queryUrl: string;
  /** Base URL of the OTLP HTTP receiver; the collector's `otlp_http` exporter appends `/v1/metrics`. */
  readonly otlpUrl: string;
  /** Prometheus remote-write endpoint (Tempo's metrics generator, Prometheus itself when it feeds a store). */
  readonly remoteWriteUrl: string;
  /**
   * Tenant (`X-Scope-OrgID`) every writer and reader sends, when the store is multi-tenant.
   * @default - none: a single-tenant store
   */
  readonly tenant?: string;
}

/** The header every writer and reader of a multi-tenant store (Mimir, Loki) names its tenant with. */
export const TENANT_HEADER = "X-Scope-OrgID";

/**
 * Mimir's gateway (nginx, port 80) as the metrics store: remote write at `/api/v1/push`, OTLP at
 * `/otlp` (the exporter appends `/v1/metrics`, which the gateway routes to the distributors), the
 * Prometheus API under `/prometheus` (query-frontend).
 */
function mimirStore(gatewayUrl: string, tenant: string): MetricsStoreEndpoints {
  return { queryUrl: `${gatewayUrl}/prometheus`, otlpUrl: `${gatewayUrl}/otlp`, remoteWriteUrl: `${gatewayUrl}/api/v1/push`, tenant };
}

/** Prometheus itself as the metrics store: right only for a single replica (nothing to split). */
function prometheusStore(prometheusUrl: string): MetricsStoreEndpoints {
  return { queryUrl: prometheusUrl, otlpUrl: `${prometheusUrl}/api/v1/otlp`, remoteWriteUrl: `${prometheusUrl}/api/v1/write` };
}

/** In-cluster addresses the components use to reach each other; one place, so they agree. */
export interface ClusterEndpoints {
  /** Where metrics are pushed and read: Mimir's gateway when the profile has Mimir, else Prometheus. */
  readonly metricsStore: MetricsStoreEndpoints;
  /**
   * Mimir's gateway, the base of {@link metricsStore}'s URLs.
   * @default - none: the profile has no Mimir
   */
  readonly mimirGatewayUrl?: string;
  /** Prometheus HTTP API (queries, OTLP receiver at /api/v1/otlp). */
  readonly prometheusUrl: string;
  readonly alertmanagerUrl: string;
  readonly grafanaUrl: string;
  /** Loki gateway: Grafana reads here, the collector pushes OTLP logs to `<lokiUrl>/otlp`. */
  readonly lokiUrl: string;
  /** Tempo query API (Grafana's Tempo datasource). */
  readonly tempoQueryUrl: string;
  /** Tempo OTLP gRPC receiver `host:port` (the collector's trace exporter). */
  readonly tempoOtlpGrpcEndpoint: string;
  readonly blackboxExporterUrl: string;
}

/** Addresses of one environment's components, derived from release names and the namespace. */
export function clusterEndpoints(profile: EnvironmentProfile): ClusterEndpoints {
  const svc = (name: string) => `${name}.${profile.namespace}.svc`;
  const tempoDistributed = profile.tempo.topology.kind === "distributed";
  const prometheusUrl = `http://${svc(`${KPS_FULLNAME}-prometheus`)}:9090`;
  const mimirGatewayUrl = `http://${svc(`${MIMIR_FULLNAME}-gateway`)}:80`;
  return {
    ...(profile.mimir === undefined
      ? { metricsStore: prometheusStore(prometheusUrl) }
      : { metricsStore: mimirStore(mimirGatewayUrl, profile.mimir.tenant), mimirGatewayUrl }),
    prometheusUrl,
    alertmanagerUrl: `http://${svc(`${KPS_FULLNAME}-alertmanager`)}:9093`,
    grafanaUrl: `http://${svc(GRAFANA_FULLNAME)}:80`,
    lokiUrl: `http://${svc(`${RELEASES.loki}-gateway`)}:80`,
    tempoQueryUrl: tempoDistributed ? `http://${svc(`${RELEASES.tempo}-query-frontend`)}:3200` : `http://${svc(RELEASES.tempo)}:3200`,
    tempoOtlpGrpcEndpoint: tempoDistributed ? `${svc(`${RELEASES.tempo}-distributor`)}:4317` : `${svc(RELEASES.tempo)}:4317`,
    blackboxExporterUrl: `http://${svc(BLACKBOX_EXPORTER_FULLNAME)}:9115`,
  };
}
