import { loadProfiles } from "../../environments";
import { clusterEndpoints } from "../../helm-values/cluster-endpoints";
import { buildGrafanaDatasources, TRACE_ID_IN_LOG_LINE } from "../../helm-values/grafana-datasources";
import { promqlSyntaxError } from "../../kit/promql-syntax";
import { DATASOURCE_UIDS } from "../../model/datasources";

const [dev, staging, prod] = loadProfiles(["dev", "staging", "prod"]);
const datasources = buildGrafanaDatasources(prod!);
const byUid = (uid: string) => datasources.find((d) => d.uid === uid)!;

describe("Grafana datasources", () => {
  it("provisions Mimir (default, uid prometheus), the Prometheus pair, Alertmanager, Loki and Tempo with fixed uids", () => {
    expect(datasources.map((d) => [d.uid, d.name, d.type, d.isDefault])).toEqual([
      ["prometheus", "Mimir", "prometheus", true],
      ["prometheus-local", "Prometheus (local)", "prometheus", false],
      ["alertmanager", "Alertmanager", "alertmanager", false],
      ["loki", "Loki", "loki", false],
      ["tempo", "Tempo", "tempo", false],
    ]);
  });

  it("points every datasource at the in-cluster service of its component, the default one at Mimir's Prometheus API", () => {
    const endpoints = clusterEndpoints(prod!);
    expect(byUid("prometheus").url).toBe("http://mimir-gateway.observability.svc:80/prometheus");
    expect(byUid("prometheus").url).toBe(endpoints.metricsStore.queryUrl);
    expect(byUid("prometheus-local").url).toBe("http://kps-prometheus.observability.svc:9090");
    expect(byUid("loki").url).toBe(endpoints.lokiUrl);
    expect(byUid("tempo").url).toBe("http://tempo-query-frontend.observability.svc:3200");
  });

  it.each([
    ["staging", staging],
    ["prod", prod],
  ])("%s: reads Mimir as the profile's tenant, as a Mimir datasource", (_env, profile) => {
    const mimir = buildGrafanaDatasources(profile!).find((d) => d.uid === "prometheus")!;
    expect(mimir.jsonData).toMatchObject({ httpHeaderName1: "X-Scope-OrgID", prometheusType: "Mimir" });
    expect(mimir.secureJsonData).toEqual({ httpHeaderValue1: profile!.mimir!.tenant });
  });

  it("dev: the default metrics datasource is Prometheus itself, without a tenant, and there is no second one", () => {
    const devSources = buildGrafanaDatasources(dev!);
    const metrics = devSources.filter((d) => d.type === "prometheus");
    expect(metrics.map((d) => [d.uid, d.name, d.url])).toEqual([["prometheus", "Prometheus", "http://kps-prometheus.observability.svc:9090"]]);
    expect(metrics[0]!.secureJsonData).toBeUndefined();
    expect(metrics[0]!.jsonData).not.toHaveProperty("httpHeaderName1");
  });

  it("correlates every direction, and every correlation targets a provisioned datasource", () => {
    const uids = new Set(datasources.map((d) => d.uid));
    const prometheus = byUid("prometheus").jsonData as any;
    const loki = byUid("loki").jsonData as any;
    const tempo = byUid("tempo").jsonData as any;
    const targets = [
      prometheus.exemplarTraceIdDestinations[0].datasourceUid,
      loki.derivedFields[0].datasourceUid,
      tempo.tracesToLogsV2.datasourceUid,
      tempo.tracesToMetrics.datasourceUid,
      tempo.serviceMap.datasourceUid,
      tempo.lokiSearch.datasourceUid,
      (byUid("prometheus-local").jsonData as any).exemplarTraceIdDestinations[0].datasourceUid,
    ];
    expect(targets).toEqual(["tempo", "tempo", "loki", "prometheus", "prometheus", "loki", "tempo"]);
    for (const uid of targets) expect(uids.has(uid)).toBe(true);
    expect(tempo.tracesToLogsV2.filterByTraceID).toBe(true);
    expect(tempo.nodeGraph).toEqual({ enabled: true });
    // `$` doubled: provisioning files expand `$VAR` from the environment.
    expect(loki.derivedFields[0].url).toBe("$${__value.raw}");
  });

  it("reads Loki as the profile's tenant", () => {
    expect((byUid("loki").jsonData as any).httpHeaderName1).toBe("X-Scope-OrgID");
    expect(byUid("loki").secureJsonData).toEqual({ httpHeaderValue1: prod!.loki.tenant });
  });

  it("finds trace ids in JSON and logfmt log lines", () => {
    const re = new RegExp(TRACE_ID_IN_LOG_LINE);
    const id = "4bf92f3577b34da6a3ce929d0e0e4736";
    expect(re.exec(`{"level":"info","trace_id":"${id}"}`)?.[1]).toBe(id);
    expect(re.exec(`level=info traceID=${id} msg=ok`)?.[1]).toBe(id);
    expect(re.exec(`level=info msg="no trace here"`)).toBeNull();
    expect(DATASOURCE_UIDS.tempo).toBe("tempo");
  });
});

describe("Grafana datasources: correlation names as the components emit them", () => {
  const prometheus = byUid("prometheus").jsonData as any;
  const loki = byUid("loki").jsonData as any;
  const tracesToMetrics = (byUid("tempo").jsonData as any).tracesToMetrics;

  it("links exemplars labelled trace_id (OTLP) and traceID (Tempo's span metrics) to Tempo", () => {
    expect(prometheus.exemplarTraceIdDestinations).toEqual([
      { name: "trace_id", datasourceUid: "tempo" },
      { name: "traceID", datasourceUid: "tempo" },
    ]);
  });

  it("finds the trace id in the log line and in an OTLP log's structured metadata trace_id, under two names", () => {
    expect(loki.derivedFields).toEqual([
      { name: "TraceID", datasourceUid: "tempo", matcherRegex: TRACE_ID_IN_LOG_LINE, url: "$${__value.raw}" },
      { name: "TraceID (OTLP)", datasourceUid: "tempo", matcherType: "label", matcherRegex: "trace_id", url: "$${__value.raw}" },
    ]);
    // Grafana groups derived fields by name and matches a group with its first entry only.
    const names = loki.derivedFields.map((f: { name: string }) => f.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it("queries a span's metrics by Tempo's span-metrics names and labels", () => {
    expect(tracesToMetrics.datasourceUid).toBe("prometheus");
    expect(tracesToMetrics.tags).toEqual([{ key: "service.name", value: "service" }]);
    const queries: { name: string; query: string }[] = tracesToMetrics.queries;
    expect(queries.map((q) => q.name)).toEqual(["Request rate", "Error rate", "p95 latency"]);
    for (const { query } of queries) {
      expect(query).not.toMatch(/duration_seconds/);
      expect(query).toContain('span_name="$${__span.name}"');
      expect(query).toContain("$$__tags");
    }
    expect(queries[0]!.query).toContain("traces_spanmetrics_calls_total{");
    expect(queries[1]!.query).toContain('status_code="STATUS_CODE_ERROR"');
    expect(queries[2]!.query).toContain("rate(traces_spanmetrics_latency_bucket{");
  });

  it("parses each span-metrics query as PromQL once Grafana has filled in the span", () => {
    // As provisioned ($$ unescaped), then as Grafana interpolates it for a span of service checkout.
    const forSpan = (query: string) => query.replaceAll("$$", "$").replaceAll("$__tags", 'service="checkout"').replaceAll("${__span.name}", "GET /cart");
    for (const { query } of tracesToMetrics.queries) expect(promqlSyntaxError(forSpan(query))).toBeUndefined();
    // Not filled in, the placeholders are no PromQL: the check above reads the interpolated text.
    expect(promqlSyntaxError(tracesToMetrics.queries[0].query)).toBeDefined();
  });
});
