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

/** Structured-metadata key Loki's OTLP endpoint stores a log record's trace id under (hex), Loki 3.7. */
export const OTLP_LOG_TRACE_ID_KEY = "trace_id";

/**
 * Exemplar labels that carry a trace id: `trace_id` on exemplars pushed over OTLP (the
 * collector), `traceID` on the exemplars of Tempo's span metrics (the metrics generator's default
 * label, Tempo 2.10 and 3.0).
 */
export const EXEMPLAR_TRACE_ID_LABELS = ["trace_id", "traceID"] as const;

/**
 * Tempo's span metrics (metrics generator, Tempo 2.10 and 3.0): a calls counter and a latency
 * histogram, labelled `service` (the resource's service.name), `span_name`, `span_kind` and
 * `status_code` (`STATUS_CODE_ERROR` on errors).
 */
export const SPAN_METRICS = {
  calls: "traces_spanmetrics_calls_total",
  latencyBucket: "traces_spanmetrics_latency_bucket",
} as const;

/**
 * PromQL of one span's RED metrics, as Grafana's trace-to-metrics links run it: `$__tags` becomes
 * the span's service label matcher and `${__span.name}` its name (both doubled `$` here).
 */
function spanMetricsQueries() {
  const span = '$$__tags, span_name="$${__span.name}"';
  return [
    { name: "Request rate", query: `sum(rate(${SPAN_METRICS.calls}{${span}}[5m]))` },
    {
      name: "Error rate",
      query: `sum(rate(${SPAN_METRICS.calls}{${span}, status_code="STATUS_CODE_ERROR"}[5m])) / sum(rate(${SPAN_METRICS.calls}{${span}}[5m]))`,
    },
    { name: "p95 latency", query: `histogram_quantile(0.95, sum by (le) (rate(${SPAN_METRICS.latencyBucket}{${span}}[5m])))` },
  ];
}

type DatasourceBase = Pick<GrafanaDatasource, "access" | "isDefault" | "editable">;

/**
 * Exemplars carry the trace id: open the trace in Tempo, under either label. A new list each time:
 * shared objects render as YAML aliases.
 */
const exemplarsToTempo = () => EXEMPLAR_TRACE_ID_LABELS.map((name) => ({ name, datasourceUid: DATASOURCE_UIDS.tempo }));

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
 * Grafana's datasources, correlated both ways: exemplars in the metrics store open the trace in Tempo
 * (OTLP's and Tempo's exemplar labels alike); a trace id found in a Loki line, or in an OTLP log's
 * structured metadata, opens the trace; a Tempo span opens its logs (same trace id and service)
 * and its span metrics (rate, errors, p95 of that span), and Tempo draws the service map.
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
        // Grafana groups derived fields by name and matches each group with its first entry's
        // matcher, so the two ways of finding a trace id need two names.
        derivedFields: [
          { name: "TraceID", datasourceUid: DATASOURCE_UIDS.tempo, matcherRegex: TRACE_ID_IN_LOG_LINE, url: "$${__value.raw}" },
          // An OTLP log's trace id is structured metadata, not part of the line.
          { name: "TraceID (OTLP)", datasourceUid: DATASOURCE_UIDS.tempo, matcherType: "label", matcherRegex: OTLP_LOG_TRACE_ID_KEY, url: "$${__value.raw}" },
        ],
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
          queries: spanMetricsQueries(),
        },
        serviceMap: { datasourceUid: DATASOURCE_UIDS.prometheus },
        nodeGraph: { enabled: true },
        search: { hide: false },
        lokiSearch: { datasourceUid: DATASOURCE_UIDS.loki },
      },
    },
  ];
}
