import type { EnvironmentProfile } from "../environments/profile-schema";
import type { RedisProvision } from "../signals/dependency/exporter";
import { exporterReleaseName } from "../signals/dependency/exporter";
import { STORE_EXPORTER_CONTAINER_SECURITY, STORE_EXPORTER_RESOURCES, storeExporterPodSecurity, storeExporterServiceMonitor } from "./store-exporter-common";

/** The user of the oliver006/redis_exporter image. */
const REDIS_EXPORTER_UID = 59000;

/** One Redis exporter to provision: its dependency, job and connection. */
export interface RedisExporterInput {
  readonly dependency: string;
  readonly job: string;
  readonly provision: RedisProvision;
}

/**
 * Values of the prometheus-redis-exporter chart for one dependency: `REDIS_ADDR` from
 * `redisAddress`, the password (when the dependency names a Secret) through `auth.secret`, read by
 * the pod from the Secret, never written into the values. Its Service and ServiceMonitor are named
 * after the release.
 */
export function buildRedisExporterValues(profile: EnvironmentProfile, exporter: RedisExporterInput) {
  const { address, secret } = exporter.provision;
  return {
    fullnameOverride: exporterReleaseName(exporter.dependency),
    replicaCount: 1,
    redisAddress: address,
    auth: secret === undefined ? { enabled: false } : { enabled: true, secret: { name: secret.name, key: secret.key } },
    // The chart's Role only ever granted PodSecurityPolicy use; nothing reads the API.
    rbac: { create: false },
    resources: STORE_EXPORTER_RESOURCES,
    podSecurityContext: storeExporterPodSecurity(REDIS_EXPORTER_UID),
    securityContext: STORE_EXPORTER_CONTAINER_SECURITY,
    service: { type: "ClusterIP", port: 9121 },
    serviceMonitor: storeExporterServiceMonitor(profile, exporter.job),
  };
}
