import { loadProfiles } from "../../environments";
import { clusterEndpoints } from "../../helm-values/cluster-endpoints";

const profiles = loadProfiles();

describe("the metrics store every pusher and Grafana use", () => {
  it.each(profiles.filter((p) => p.mimir).map((p) => [p.name, p] as const))("%s: Mimir's gateway, with the profile's tenant", (_env, profile) => {
    const endpoints = clusterEndpoints(profile);
    const gateway = "http://mimir-gateway.observability.svc:80";
    expect(endpoints.metricsStore).toEqual({
      queryUrl: `${gateway}/prometheus`,
      otlpUrl: `${gateway}/otlp`,
      remoteWriteUrl: `${gateway}/api/v1/push`,
      tenant: profile.mimir!.tenant,
    });
    expect(endpoints.mimirGatewayUrl).toBe(gateway);
    // Never the replicated Prometheus Service, which would split pushed samples between its replicas.
    expect(Object.values(endpoints.metricsStore).some((url) => url.startsWith(endpoints.prometheusUrl))).toBe(false);
  });

  it.each(profiles.filter((p) => !p.mimir).map((p) => [p.name, p] as const))("%s: Prometheus itself, one replica, no tenant", (_env, profile) => {
    const endpoints = clusterEndpoints(profile);
    expect(profile.prometheus.replicas).toBe(1);
    expect(endpoints.metricsStore).toEqual({
      queryUrl: endpoints.prometheusUrl,
      otlpUrl: `${endpoints.prometheusUrl}/api/v1/otlp`,
      remoteWriteUrl: `${endpoints.prometheusUrl}/api/v1/write`,
    });
    expect(endpoints).not.toHaveProperty("mimirGatewayUrl");
  });
});
