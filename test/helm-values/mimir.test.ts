import { buildEnvironmentArtifacts } from "../../artifacts/environment-artifacts";
import { loadProfiles, type EnvironmentProfile } from "../../environments";
import { buildMimirValues, MIMIR_RULER_CONFIGMAP, mimirReplicationFactor, PROMETHEUS_HA_LABELS } from "../../helm-values/mimir";
import { PROMETHEUS_SELECTOR_LABELS } from "../../helm-values/selector-labels";

const profiles = loadProfiles();
const profileOf = (name: string): EnvironmentProfile => profiles.find((p) => p.name === name)!;

/** The mimir section of a profile, failing the test if there is none. */
function mimirOf(profile: EnvironmentProfile) {
  if (profile.mimir === undefined) throw new Error(`${profile.name} is expected to run Mimir`);
  return profile.mimir;
}

const COMPONENTS = [
  ["distributor", "distributor"],
  ["ingester", "ingester"],
  ["querier", "querier"],
  ["query_frontend", "queryFrontend"],
  ["query_scheduler", "queryScheduler"],
  ["store_gateway", "storeGateway"],
  ["compactor", "compactor"],
  ["gateway", "gateway"],
  ["ruler", "ruler"],
] as const;

describe("the Mimir release", () => {
  it("exists in staging and prod, after kube-prometheus-stack, and not in dev or local", () => {
    const releases = (name: string) => buildEnvironmentArtifacts(profileOf(name), []).releases;
    for (const env of ["staging", "prod"]) {
      const mimir = releases(env).filter((r) => r.chartKey === "mimirDistributed");
      expect(mimir.map((r) => r.releaseName)).toEqual(["mimir"]);
      expect(releases(env)[0]!.chartKey).toBe("kubePrometheusStack");
    }
    for (const env of ["dev", "local"]) expect(releases(env).some((r) => r.chartKey === "mimirDistributed")).toBe(false);
  });

  it("is refused for a profile without a mimir section, naming the profile", () => {
    expect(() => buildMimirValues(profileOf("dev"))).toThrow(/^mimir: buildMimirValues needs a profile with a mimir section, and profile "dev" has none$/);
  });
});

describe.each(["staging", "prod"])("mimir-distributed values (%s)", (env) => {
  const profile = profileOf(env);
  const mimir = mimirOf(profile);
  const values = buildMimirValues(profile);
  const config = values.mimir.structuredConfig;

  it("runs the classic architecture: no Kafka, distributors push to ingesters over gRPC", () => {
    expect(values.kafka).toEqual({ enabled: false });
    expect(config.ingest_storage.enabled).toBe(false);
    expect(config.ingester.push_grpc_method_enabled).toBe(true);
  });

  it("keeps blocks in the profile's S3 bucket for the profile's retention, and runs no MinIO", () => {
    expect(values.minio).toEqual({ enabled: false });
    expect(config.common.storage).toMatchObject({
      backend: "s3",
      s3: { endpoint: `s3.${mimir.storage.region}.amazonaws.com`, region: mimir.storage.region, insecure: false },
    });
    expect(config.blocks_storage.s3.bucket_name).toBe(`acme-${env}-mimir-blocks`);
    expect(config.limits.compactor_blocks_retention_period).toBe(mimir.retention);
  });

  it("reads the S3 credentials from the named Secret through the environment, holding none itself", () => {
    expect(values.global.extraEnvFrom).toEqual([{ secretRef: { name: "mimir-object-storage" } }]);
    // Expanded by Mimir's -config.expand-env from the variables the Secret sets.
    expect(config.common.storage.s3.access_key_id).toBe("${AWS_ACCESS_KEY_ID}");
    expect(config.common.storage.s3.secret_access_key).toBe("${AWS_SECRET_ACCESS_KEY}");
    expect(JSON.stringify(values)).not.toMatch(/AKIA[0-9A-Z]{4,}/);
  });

  it("deduplicates the Prometheus pair with the HA tracker on memberlist, on the operator's external labels", () => {
    expect(config.distributor.ha_tracker).toEqual({ enable_ha_tracker: true, kvstore: { store: "memberlist" } });
    expect(config.limits).toMatchObject({ accept_ha_samples: true, ha_cluster_label: "prometheus", ha_replica_label: "prometheus_replica" });
    expect(PROMETHEUS_HA_LABELS).toEqual({ cluster: "prometheus", replica: "prometheus_replica" });
  });

  it("sets the tenant's limits from the profile: series, late samples, exemplars", () => {
    expect(config.limits).toMatchObject({
      max_global_series_per_user: mimir.limits.maxGlobalSeriesPerTenant,
      out_of_order_time_window: "10m",
      max_global_exemplars_per_user: mimir.limits.maxGlobalExemplarsPerTenant,
    });
    expect(mimir.limits.maxGlobalExemplarsPerTenant).toBeGreaterThan(0);
  });

  it("runs every component with the profile's replicas and requests/limits, stateful ones on volumes", () => {
    for (const [key, name] of COMPONENTS) {
      expect([key, values[key].replicas, values[key].resources]).toEqual([key, mimir.components[name].replicas, mimir.components[name].resources]);
    }
    expect(values.ingester.persistentVolume).toMatchObject({ enabled: true, size: mimir.persistence.ingester.size });
    expect(values.store_gateway.persistentVolume).toMatchObject({ enabled: true, size: mimir.persistence.storeGateway.size });
    expect(values.compactor.persistentVolume).toMatchObject({ enabled: true, size: mimir.persistence.compactor.size });
  });

  it("replicates every series on 3 ingesters and every block on up to 3 store-gateways", () => {
    expect(config.ingester.ring.replication_factor).toBe(3);
    expect(config.store_gateway.sharding_ring.replication_factor).toBe(Math.min(3, mimir.components.storeGateway.replicas));
  });

  it("runs no Alertmanager or overrides-exporter: alerts stay on kube-prometheus-stack", () => {
    expect([values.alertmanager, values.overrides_exporter]).toEqual([{ enabled: false }, { enabled: false }]);
  });

  it("runs the ruler on local rule files: the rules ConfigMap, read-only and optional, as the tenant's directory", () => {
    expect(values.ruler.enabled).toBe(true);
    expect(config.ruler_storage).toEqual({ backend: "local", local: { directory: "/etc/mimir-ruler" } });
    expect(config.ruler.poll_interval).toBe("1m");
    expect(values.ruler.extraVolumes).toEqual([{ name: "rules", configMap: { name: "obs-mimir-ruler-rules", optional: true } }]);
    expect(MIMIR_RULER_CONFIGMAP).toBe("obs-mimir-ruler-rules");
    expect(values.ruler.extraVolumeMounts).toEqual([{ name: "rules", mountPath: "/etc/mimir-ruler/platform", readOnly: true }]);
    expect(mimir.tenant).toBe("platform");
    // The rules come only from the ConfigMap: Mimir's per-tenant caps (70 groups by default) lifted.
    expect(config.limits).toMatchObject({ ruler_max_rule_groups_per_tenant: 0, ruler_max_rules_per_rule_group: 0 });
  });

  it("is scraped through ServiceMonitors Prometheus selects", () => {
    expect(values.metaMonitoring.serviceMonitor).toEqual({ enabled: true, labels: PROMETHEUS_SELECTOR_LABELS });
  });

  it("names its Services mimir-*, whatever the release is called", () => {
    expect(values.fullnameOverride).toBe("mimir");
  });
});

describe("zone awareness", () => {
  it("prod: ingesters and store-gateways in three zones on different nodes, rolled out by the rollout-operator", () => {
    const prod = profileOf("prod");
    const values = buildMimirValues(prod);
    const zones = { enabled: true, topologyKey: "kubernetes.io/hostname" };
    expect(values.ingester.zoneAwareReplication).toEqual(zones);
    expect(values.store_gateway.zoneAwareReplication).toEqual(zones);
    expect(values.rollout_operator).toEqual({ enabled: true, resources: mimirOf(prod).zoneAwareReplication!.rolloutOperator });
    expect(values.ingester.persistentVolume.storageClass).toBe("gp3");
  });

  it("staging: one StatefulSet each, no rollout-operator", () => {
    const values = buildMimirValues(profileOf("staging"));
    expect(values.ingester.zoneAwareReplication).toEqual({ enabled: false });
    expect(values.store_gateway.zoneAwareReplication).toEqual({ enabled: false });
    expect(values.rollout_operator).toEqual({ enabled: false });
    expect(values.ingester.persistentVolume).not.toHaveProperty("storageClass");
  });
});

describe("replication factor", () => {
  it.each([
    [1, 1],
    [2, 2],
    [3, 3],
    [6, 3],
  ])("%d pods replicate %d times", (replicas, factor) => {
    expect(mimirReplicationFactor({ replicas, resources: profileOf("prod").mimir!.components.ingester.resources })).toBe(factor);
  });
});

describe("S3-compatible stores", () => {
  it("uses path-style requests and the profile's endpoint when one is set", () => {
    const staging = profileOf("staging");
    const custom = { ...staging, mimir: { ...mimirOf(staging), storage: { ...mimirOf(staging).storage, endpoint: "minio.storage.svc:9000", insecure: true } } };
    expect(buildMimirValues(custom).mimir.structuredConfig.common.storage.s3).toMatchObject({
      endpoint: "minio.storage.svc:9000",
      insecure: true,
      bucket_lookup_type: "path",
    });
  });
});
