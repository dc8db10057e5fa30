import { loadProfiles } from "../../environments";
import { clusterEndpoints } from "../../helm-values/cluster-endpoints";
import { buildGrafanaDatasources, TRACE_ID_IN_LOG_LINE } from "../../helm-values/grafana-datasources";
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
