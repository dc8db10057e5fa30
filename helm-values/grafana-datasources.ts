import type { EnvironmentProfile } from "../environments/profile-schema";
import { DATASOURCE_UIDS } from "../model/datasources";
import { clusterEndpoints } from "./cluster-endpoints";

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
  /** Only non-secret header values (the Loki tenant); Grafana stores header values here by design. */
  readonly secureJsonData?: Readonly<Record<string, string>>;
}

/**
 * Regex that finds a trace id in a log line: `trace_id=abc`, `"traceId":"abc"`, `traceID: abc`
 * (structured JSON logs and logfmt alike, as the baseline spec asks services to log).
 */
export const TRACE_ID_IN_LOG_LINE = String.raw`(?:trace_id|traceId|traceID)"?[=:]\s*"?([0-9a-fA-F]{16,32})`;

/**
 * Grafana's datasources, correlated both ways: exemplars in Prometheus open the trace in Tempo;
 * a trace id found in a Loki line opens the trace; a Tempo span opens its logs (same trace id and
 * service) and its RED metrics, and Tempo draws the service map from Prometheus.
 *
 * `$$` escapes `$` in provisioning files, which Grafana expands as environment variables.
 */
export function buildGrafanaDatasources(profile: EnvironmentProfile): GrafanaDatasource[] {
  const endpoints = clusterEndpoints(profile);
  const base = { access: "proxy", isDefault: false, editable: false } as const;
  return [
    {
      ...base,
      name: "Prometheus",
      uid: DATASOURCE_UIDS.prometheus,
      type: "prometheus",
      url: endpoints.metricsStore.queryUrl,
      isDefault: true,
      jsonData: {
        httpMethod: "POST",
        timeInterval: profile.prometheus.scrapeInterval,
        exemplarTraceIdDestinations: [{ name: "trace_id", datasourceUid: DATASOURCE_UIDS.tempo }],
      },
    },
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
