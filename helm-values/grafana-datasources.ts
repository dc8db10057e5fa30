import type { EnvironmentProfile } from "../environments/profile-schema";
import { DATASOURCE_UIDS } from "../model/datasources";
import { clusterEndpoints, TENANT_HEADER, type ClusterEndpoints } from "./cluster-endpoints";

/** One datasource in Grafana's provisioning format (the fields this product sets). */
export interface GrafanaDatasource {
  readonly name: string;
  readonly uid: string;
  readonly type: "prometheus" | "alertmanager" | "loki" | "tempo";
  readonly access: "proxy";
  readonly url: string;
  readonly isDefault: boolean;
  readonly editable: false;
  readonly jsonData: Readonly<Record<string, unknown>>;
  /** Only non-secret header values (the Loki and Mimir tenants); Grafana stores header values here by design. */
  readonly secureJsonData?: Readonly<Record<string, string>>;
}

/**
 * Regex that finds a trace id in a log line: `trace_id=abc`, `"traceId":"abc"`, `traceID: abc`
 * (structured JSON logs and logfmt alike, as the baseline spec asks services to log).
 */
export const TRACE_ID_IN_LOG_LINE = String.raw`(?:trace_id|traceId|traceID)"?[=:]\s*"?([0-9a-fA-F]{16,32})`;

type DatasourceBase = Pick<GrafanaDatasource, "access" | "isDefault" | "editable">;

/** Exemplars carry the trace id: open the trace in Tempo. A new object each time: shared ones render as YAML aliases. */
const exemplarsToTempo = () => [{ name: "trace_id", datasourceUid: DATASOURCE_UIDS.tempo }];

/**
 * The default metrics datasource, uid `prometheus` whatever the store is, so dashboards and
 * correlations keep working. With Mimir it is named "Mimir", reads Mimir's Prometheus API as the
 * profile's tenant (the header Grafana sends, as for Loki) and a second one, "Prometheus (local)",
 * reads the Prometheus pair directly: what the rules evaluate on, for when Mimir is in doubt.
 */
function metricsDatasources(profile: EnvironmentProfile, endpoints: ClusterEndpoints, base: DatasourceBase): GrafanaDatasource[] {
  const jsonData = () => ({ httpMethod: "POST", timeInterval: profile.prometheus.scrapeInterval, exemplarTraceIdDestinations: exemplarsToTempo() });
  const store = endpoints.metricsStore;
  if (store.tenant === undefined) {
    return [{ ...base, name: "Prometheus", uid: DATASOURCE_UIDS.prometheus, type: "prometheus", url: store.queryUrl, isDefault: true, jsonData: jsonData() }];
  }
  return [
    {
      ...base,
      name: "Mimir",
      uid: DATASOURCE_UIDS.prometheus,
      type: "prometheus",
      url: store.queryUrl,
      isDefault: true,
      jsonData: { ...jsonData(), prometheusType: "Mimir", httpHeaderName1: TENANT_HEADER },
      secureJsonData: { httpHeaderValue1: store.tenant },
    },
    { ...base, name: "Prometheus (local)", uid: DATASOURCE_UIDS.prometheusLocal, type: "prometheus", url: endpoints.prometheusUrl, jsonData: jsonData() },
  ];
}

/**
 * Grafana's datasources, correlated both ways: exemplars in the metrics store open the trace in Tempo;
 * a trace id found in a Loki line opens the trace; a Tempo span opens its logs (same trace id and
 * service) and its RED metrics, and Tempo draws the service map from Prometheus.
 *
 * `$$` escapes `$` in provisioning files, which Grafana expands as environment variables.
 */
export function buildGrafanaDatasources(profile: EnvironmentProfile): GrafanaDatasource[] {
  const endpoints = clusterEndpoints(profile);
  const base = { access: "proxy", isDefault: false, editable: false } as const;
  return [
    ...metricsDatasources(profile, endpoints, base),
    {
      ...base,
      name: "Alertmanager",
      uid: DATASOURCE_UIDS.alertmanager,
      type: "alertmanager",
      url: endpoints.alertmanagerUrl,
      jsonData: { implementation: "prometheus", handleGrafanaManagedAlerts: false },
    },
    {
      ...base,
      name: "Loki",
      uid: DATASOURCE_UIDS.loki,
      type: "loki",
      url: endpoints.lokiUrl,
      jsonData: {
        maxLines: 1000,
        // Loki runs with auth on: Grafana reads as the same tenant the collector writes as.
        httpHeaderName1: "X-Scope-OrgID",
        derivedFields: [{ name: "TraceID", datasourceUid: DATASOURCE_UIDS.tempo, matcherRegex: TRACE_ID_IN_LOG_LINE, url: "$${__value.raw}" }],
      },
      secureJsonData: { httpHeaderValue1: profile.loki.tenant },
    },
    {
      ...base,
      name: "Tempo",
      uid: DATASOURCE_UIDS.tempo,
      type: "tempo",
      url: endpoints.tempoQueryUrl,
      jsonData: {
        tracesToLogsV2: {
          datasourceUid: DATASOURCE_UIDS.loki,
          tags: [{ key: "service.name", value: "service_name" }],
          filterByTraceID: true,
          spanStartTimeShift: "-5m",
          spanEndTimeShift: "5m",
        },
        tracesToMetrics: {
          datasourceUid: DATASOURCE_UIDS.prometheus,
          tags: [{ key: "service.name", value: "service" }],
          queries: [
            { name: "Request rate", query: "sum(rate(traces_spanmetrics_calls_total{$$__tags}[5m]))" },
            {
              name: "p95 latency",
              query: "histogram_quantile(0.95, sum by (le) (rate(traces_spanmetrics_duration_seconds_bucket{$$__tags}[5m])))",
            },
          ],
        },
        serviceMap: { datasourceUid: DATASOURCE_UIDS.prometheus },
        nodeGraph: { enabled: true },
        search: { hide: false },
        lokiSearch: { datasourceUid: DATASOURCE_UIDS.loki },
      },
    },
  ];
}
