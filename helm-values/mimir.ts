import type { EnvironmentProfile } from "../environments/profile-schema";
import type { PersistentVolume, Workload } from "../environments/primitives";
import { MIMIR_FULLNAME } from "./release-names";
import { PROMETHEUS_SELECTOR_LABELS } from "./selector-labels";

/**
 * Values of grafana/mimir-distributed 6.2.0 (Mimir 3.2.0): the one metrics store of an environment
 * whose profile has a `mimir` section. Both Prometheus replicas remote-write to it and its HA
 * tracker keeps one copy; the collector's OTLP metrics and Tempo's span metrics are pushed to it;
 * Grafana reads it. Every request names the profile's tenant.
 *
 * **Classic architecture, not ingest storage.** Chart 6.x defaults to ingest storage, writing
 * through Kafka (a single-node demo Kafka unless pointed elsewhere). Here the distributors push to
 * the ingesters over gRPC instead (`kafka.enabled: false`, `ingest_storage.enabled: false`,
 * `ingester.push_grpc_method_enabled: true`, as the chart's own classic-architecture.yaml does):
 * - the environments hold well under a million series, where ingest storage's gains (read and
 *   write paths scaled apart, replication moved into Kafka) buy little;
 * - the only Kafka in reach is the one prod's tempo-distributed writes through, an external
 *   dependency the profile assumes rather than provisions: putting every metric behind it too would
 *   tie the metrics of a Kafka incident to Kafka, and share its partitions and capacity between
 *   traces and metrics;
 * - classic is supported in Mimir 3.x and tested by the chart's CI. Moving later is a documented
 *   migration (a second cluster written in parallel), not a rewrite of these values.
 *
 * **Zone awareness** (`mimir.zoneAwareReplication`): on in prod, off in staging. Zone-aware
 * ingesters and store-gateways run as three StatefulSets rolled out by the rollout-operator, one
 * zone at a time, each zone on other nodes than the others (anti-affinity on the hostname): a node
 * or a whole zone can restart without losing a write. Staging runs three plain ingesters, enough
 * for replication factor 3 with one pod down, and saves the operator.
 *
 * **Ruler, for the long recording rules only.** Rule groups that read further back than Prometheus
 * keeps samples and hold no alert (an SLO's error budget over 90 days or a calendar month) are
 * evaluated by Mimir's ruler over Mimir's retention; everything else, every alert included, stays
 * on Prometheus, so alerting survives a Mimir outage and promtool tests what is deployed
 * (rules/placement.ts). The ruler reads its rules from local files (`ruler_storage.backend: local`):
 * the content stack's ConfigMap {@link MIMIR_RULER_CONFIGMAP}, one key per rule file, mounted at
 * `<directory>/<tenant>/`, the layout Mimir's local rule store reads (`<directory>/<tenant>/<file>`,
 * each file one rule namespace; symlinked files count, subdirectories do not, so a ConfigMap's
 * `..data` entries are skipped). Rules change with the ConfigMap, not through the ruler's API (the
 * local store refuses writes). The ruler evaluates recording rules only and sends no alert, so it
 * needs no Alertmanager (the Mimir one is off); it queries ingesters and store-gateways itself (the
 * default internal mode) and writes its results to the same tenant. Several rulers share the
 * groups through their ring, each group on one ruler. The volume is optional: the platform stack
 * starts the ruler before the content stack creates the ConfigMap, and the kubelet fills the
 * mount when it appears; the ruler picks a change up within `ruler.poll_interval`.
 *
 * Not run: Alertmanager (alerts go through kube-prometheus-stack's Alertmanager), the overrides-exporter, caches (the read path is small; turn the chart's
 * `*-cache` sections on when queries over months get slow), Kafka and MinIO (MinIO's default
 * credentials are public). The capacity check (environments/capacity.ts) counts every pod that runs.
 *
 * Key paths were read from the chart at 6.x: its templates (`ingester`, `store_gateway`,
 * `compactor`, `gateway`, `metaMonitoring.serviceMonitor`, `global.extraEnvFrom`, the ruler
 * Deployment's `ruler.enabled`, `ruler.replicas`, `ruler.resources`, `ruler.extraVolumes` and
 * `ruler.extraVolumeMounts` in templates/ruler/ruler-dep.yaml,
 * `zoneAwareReplication.topologyKey`), Chart.yaml (`minio.enabled`, `rollout_operator.enabled`)
 * and classic-architecture.yaml; Mimir's keys from its configuration structs and reference
 * (`ruler_storage.backend`, `ruler_storage.local.directory`, `ruler.poll_interval`, the limits
 * `ruler_max_rule_groups_per_tenant` and `ruler_max_rules_per_rule_group`, 0 for no limit) and the
 * local rule store (pkg/ruler/rulestore/local/local.go: tenants are the directories under
 * `directory`, namespaces the files in a tenant's directory, symlinks resolved).
 */

/**
 * The external labels the Prometheus operator puts on every series a replica sends: `prometheus`
 * (`<namespace>/<name>`, the same on both replicas) and `prometheus_replica` (the pod, different on
 * each). Mimir's HA tracker elects one replica per `prometheus` value and drops the other's samples.
 * kube-prometheus-stack's values name them explicitly with these constants, so both sides agree.
 */
export const PROMETHEUS_HA_LABELS = { cluster: "prometheus", replica: "prometheus_replica" } as const;

/**
 * The ConfigMap holding the rule files Mimir's ruler evaluates (one key per file), created by the
 * content stack and mounted by the ruler pods of the platform stack's release.
 */
export const MIMIR_RULER_CONFIGMAP = "obs-mimir-ruler-rules";

/** `ruler_storage.local.directory`: the ruler reads `<directory>/<tenant>/<file>.yaml`. */
export const MIMIR_RULER_RULES_DIRECTORY = "/etc/mimir-ruler";

/** The ruler pod's mount of {@link MIMIR_RULER_CONFIGMAP}: the tenant's directory under {@link MIMIR_RULER_RULES_DIRECTORY}. */
export function mimirRulerTenantDirectory(tenant: string): string {
  return `${MIMIR_RULER_RULES_DIRECTORY}/${tenant}`;
}

/**
 * How often the ruler re-reads its rule files: a changed ConfigMap is evaluated within this plus
 * the kubelet's sync of the volume (about a minute).
 */
export const MIMIR_RULER_POLL_INTERVAL = "1m";

/** Replication factor of ingesters and store-gateways: Mimir's 3, or every pod when there are fewer. */
export function mimirReplicationFactor(workload: Workload): number {
  return Math.min(3, workload.replicas);
}

/** A component's pods and requests/limits (the chart renders a PodDisruptionBudget per component). */
function component(workload: Workload) {
  return { replicas: workload.replicas, resources: workload.resources };
}

/** A component's persistent volume (`<component>.persistentVolume`, read by its StatefulSet template). */
function persistentVolume(volume: PersistentVolume) {
  return { enabled: true, size: volume.size, ...(volume.storageClassName ? { storageClass: volume.storageClassName } : {}) };
}

/**
 * `zoneAwareReplication` of a stateful component: three zones on different nodes, or off. The
 * hostname as topology key spreads the zones over nodes; a cluster with real availability zones
 * can pin each zone to one instead (`zones[].nodeSelector`).
 */
function zoneAwareness(enabled: boolean) {
  return enabled ? { enabled: true, topologyKey: "kubernetes.io/hostname" } : { enabled: false };
}

type MimirProfile = NonNullable<EnvironmentProfile["mimir"]>;

/**
 * S3 through Mimir's `common.storage`, credentials read from the environment: `-config.expand-env`
 * (which the chart passes to every component) replaces `${AWS_ACCESS_KEY_ID}` with the variable
 * `global.extraEnvFrom` loads from the profile's Secret, so no key is ever in these values.
 */
function commonStorage(storage: MimirProfile["storage"]) {
  return {
    backend: "s3",
    s3: {
      endpoint: storage.endpoint ?? `s3.${storage.region}.amazonaws.com`,
      region: storage.region,
      insecure: storage.insecure,
      access_key_id: "${AWS_ACCESS_KEY_ID}",
      secret_access_key: "${AWS_SECRET_ACCESS_KEY}",
      // S3-compatible stores (MinIO, Ceph) behind a custom endpoint expect path-style requests.
      ...(storage.endpoint ? { bucket_lookup_type: "path" } : {}),
    },
  };
}

/** Mimir's configuration on top of the chart's (`mimir.structuredConfig` is merged over it). */
function structuredConfig(mimir: MimirProfile) {
  return {
    usage_stats: { enabled: false },
    common: { storage: commonStorage(mimir.storage) },
    blocks_storage: { s3: { bucket_name: mimir.storage.bucketNames.blocks } },
    // Classic architecture: no Kafka between distributors and ingesters (see the file's TSDoc).
    ingest_storage: { enabled: false, kafka: { address: null, topic: null, auto_create_topic_default_partitions: null } },
    ingester: { push_grpc_method_enabled: true, ring: { replication_factor: mimirReplicationFactor(mimir.components.ingester) } },
    store_gateway: { sharding_ring: { replication_factor: mimirReplicationFactor(mimir.components.storeGateway) } },
    distributor: {
      // The chart's ingest-storage timeout; back to Mimir's default for gRPC pushes.
      remote_timeout: null,
      // Memberlist is the HA tracker's KV store since Mimir 3.0: no Consul or etcd to run.
      ha_tracker: { enable_ha_tracker: true, kvstore: { store: "memberlist" } },
    },
    limits: {
      accept_ha_samples: true,
      ha_cluster_label: PROMETHEUS_HA_LABELS.cluster,
      ha_replica_label: PROMETHEUS_HA_LABELS.replica,
      max_global_series_per_user: mimir.limits.maxGlobalSeriesPerTenant,
      out_of_order_time_window: mimir.limits.outOfOrderTimeWindow,
      max_global_exemplars_per_user: mimir.limits.maxGlobalExemplarsPerTenant,
      compactor_blocks_retention_period: mimir.retention,
      // Rules come only from the content stack's ConfigMap (the local store takes no API writes):
      // no per-tenant cap on groups or rules, which the catalog's SLO count would otherwise meet.
      ruler_max_rule_groups_per_tenant: 0,
      ruler_max_rules_per_rule_group: 0,
    },
    // Recording rules only (see the file's TSDoc): no Alertmanager to notify. Whatever
    // `alertmanager_url` the chart's base config sets is never used: a recording rule sends nothing.
    ruler: { poll_interval: MIMIR_RULER_POLL_INTERVAL },
    ruler_storage: { backend: "local", local: { directory: MIMIR_RULER_RULES_DIRECTORY } },
  };
}

/**
 * The ruler: the profile's replicas and resources, and the rules ConfigMap mounted read-only as
 * the tenant's directory. Optional, so the pod starts before the content stack creates it.
 */
function ruler(mimir: MimirProfile) {
  const volume = "rules";
  return {
    enabled: true,
    ...component(mimir.components.ruler),
    extraVolumes: [{ name: volume, configMap: { name: MIMIR_RULER_CONFIGMAP, optional: true } }],
    extraVolumeMounts: [{ name: volume, mountPath: mimirRulerTenantDirectory(mimir.tenant), readOnly: true }],
  };
}

/** The profile's `mimir` section, or an error naming the profile (the release exists only with it). */
function mimirOf(profile: EnvironmentProfile): MimirProfile {
  if (profile.mimir === undefined) {
    throw new Error(`mimir: buildMimirValues needs a profile with a mimir section, and profile "${profile.name}" has none`);
  }
  return profile.mimir;
}

/** Values of mimir-distributed for a profile with a `mimir` section (see the file's TSDoc). */
export function buildMimirValues(profile: EnvironmentProfile) {
  const mimir = mimirOf(profile);
  const c = mimir.components;
  const zoneAware = mimir.zoneAwareReplication;
  return {
    fullnameOverride: MIMIR_FULLNAME,
    global: {
      // AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY on every Mimir pod, for `${...}` in the config.
      extraEnvFrom: [{ secretRef: { name: mimir.storage.credentialsSecretName } }],
    },
    kafka: { enabled: false },
    minio: { enabled: false },
    mimir: { structuredConfig: structuredConfig(mimir) },
    distributor: component(c.distributor),
    ingester: {
      ...component(c.ingester),
      persistentVolume: persistentVolume(mimir.persistence.ingester),
      zoneAwareReplication: zoneAwareness(zoneAware !== undefined),
    },
    querier: component(c.querier),
    query_frontend: component(c.queryFrontend),
    query_scheduler: component(c.queryScheduler),
    store_gateway: {
      ...component(c.storeGateway),
      persistentVolume: persistentVolume(mimir.persistence.storeGateway),
      zoneAwareReplication: zoneAwareness(zoneAware !== undefined),
    },
    compactor: { ...component(c.compactor), persistentVolume: persistentVolume(mimir.persistence.compactor) },
    gateway: component(c.gateway),
    alertmanager: { enabled: false },
    ruler: ruler(mimir),
    overrides_exporter: { enabled: false },
    // The rollout-operator rolls zone-aware StatefulSets (updateStrategy OnDelete) one zone at a time.
    rollout_operator: zoneAware === undefined ? { enabled: false } : { enabled: true, resources: zoneAware.rolloutOperator },
    metaMonitoring: { serviceMonitor: { enabled: true, labels: { ...PROMETHEUS_SELECTOR_LABELS } } },
  };
}

/** The values object mimir-distributed is deployed with. */
export type MimirValues = ReturnType<typeof buildMimirValues>;
