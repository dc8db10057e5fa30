import type { EnvironmentProfile } from "../environments/profile-schema";
import type { PostgresProvision } from "../signals/dependency/exporter";
import { exporterReleaseName } from "../signals/dependency/exporter";
import { POSTGRES_CUSTOM_QUERIES_YAML } from "../signals/postgres/custom-queries";
import { STORE_EXPORTER_CONTAINER_SECURITY, STORE_EXPORTER_RESOURCES, storeExporterPodSecurity, storeExporterServiceMonitor } from "./store-exporter-common";

/** The user the chart runs quay.io/prometheuscommunity/postgres-exporter as by default. */
const POSTGRES_EXPORTER_UID = 1001;
/** Where the custom queries file is mounted, read through `--extend.query-path`. */
export const POSTGRES_QUERIES_DIR = "/etc/postgres-exporter/queries";
/** The file name of the custom queries in their ConfigMap and under {@link POSTGRES_QUERIES_DIR}. */
export const POSTGRES_QUERIES_FILE = "queries.yaml";

/** One Postgres exporter to provision: its dependency, job and connection. */
export interface PostgresExporterInput {
  readonly dependency: string;
  readonly job: string;
  readonly provision: PostgresProvision;
}

/** The ConfigMap of a release's custom queries. */
export function postgresQueriesConfigMapName(dependency: string): string {
  return `${exporterReleaseName(dependency)}-queries`;
}

/**
 * Values of the prometheus-postgres-exporter chart for one dependency: the data source from
 * `config.datasource` with the password read by the pod from `passwordSecret` (never a value, so
 * the chart creates no Secret of its own), and the product's custom queries (bloat,
 * signals/postgres/custom-queries.ts). Chart 8.2.0 has no key for a queries file, so it ships as a
 * ConfigMap in `extraManifests`, mounted through `extraVolumes` and read with `--extend.query-path`.
 * The chart's own hardening (non-root, read-only root filesystem) is kept and stated.
 */
export function buildPostgresExporterValues(profile: EnvironmentProfile, exporter: PostgresExporterInput) {
  const { host, port, database, user, sslMode, secret } = exporter.provision;
  const configMap = postgresQueriesConfigMapName(exporter.dependency);
  return {
    fullnameOverride: exporterReleaseName(exporter.dependency),
    replicaCount: 1,
    config: {
      datasource: {
        host,
        // The chart passes the port through `tpl`, which takes a string.
        port: String(port),
        user,
        database,
        sslmode: sslMode,
        passwordSecret: { name: secret.name, key: secret.key },
      },
      extraArgs: [`--extend.query-path=${POSTGRES_QUERIES_DIR}/${POSTGRES_QUERIES_FILE}`],
    },
    extraManifests: [
      {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: configMap, labels: { "app.kubernetes.io/part-of": exporterReleaseName(exporter.dependency) } },
        data: { [POSTGRES_QUERIES_FILE]: POSTGRES_CUSTOM_QUERIES_YAML },
      },
    ],
    extraVolumes: [{ name: "custom-queries", configMap: { name: configMap } }],
    extraVolumeMounts: [{ name: "custom-queries", mountPath: POSTGRES_QUERIES_DIR, readOnly: true }],
    // The chart's Role has no rules; nothing reads the API.
    rbac: { create: false },
    resources: STORE_EXPORTER_RESOURCES,
    podSecurityContext: storeExporterPodSecurity(POSTGRES_EXPORTER_UID),
    securityContext: STORE_EXPORTER_CONTAINER_SECURITY,
    serviceMonitor: storeExporterServiceMonitor(profile, exporter.job),
  };
}
