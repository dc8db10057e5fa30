import type { EnvironmentProfile } from "../environments/profile-schema";
import { BLACKBOX_EXPORTER_FULLNAME, GRAFANA_FULLNAME, KPS_FULLNAME, RELEASES } from "./release-names";

/** In-cluster addresses the components use to reach each other; one place, so they agree. */
export interface ClusterEndpoints {
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
  return {
    prometheusUrl: `http://${svc(`${KPS_FULLNAME}-prometheus`)}:9090`,
    alertmanagerUrl: `http://${svc(`${KPS_FULLNAME}-alertmanager`)}:9093`,
    grafanaUrl: `http://${svc(GRAFANA_FULLNAME)}:80`,
    lokiUrl: `http://${svc(`${RELEASES.loki}-gateway`)}:80`,
    tempoQueryUrl: tempoDistributed ? `http://${svc(`${RELEASES.tempo}-query-frontend`)}:3200` : `http://${svc(RELEASES.tempo)}:3200`,
    tempoOtlpGrpcEndpoint: tempoDistributed ? `${svc(`${RELEASES.tempo}-distributor`)}:4317` : `${svc(RELEASES.tempo)}:4317`,
    blackboxExporterUrl: `http://${svc(BLACKBOX_EXPORTER_FULLNAME)}:9115`,
  };
}
