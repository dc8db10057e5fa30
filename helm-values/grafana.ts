import type { GrafanaDatabase, GrafanaProfile } from "../environments/grafana-schema";
import type { EnvironmentProfile } from "../environments/profile-schema";
import type { GrafanaDatasource } from "./grafana-datasources";
import { GRAFANA_FULLNAME } from "./release-names";
import { PROMETHEUS_SELECTOR_LABELS } from "./selector-labels";
import { SIDECAR_RESOURCES } from "./sidecar-resources";

/** Label and value the Grafana sidecar discovers dashboard ConfigMaps by. */
export const GRAFANA_DASHBOARD_SIDECAR_LABEL = { name: "grafana_dashboard", value: "1" } as const;

/** Port Grafana's built-in alertmanagers gossip on (TCP and UDP); the chart's headless Service exposes it. */
export const GRAFANA_GOSSIP_PORT = 9094;

/** The Service grafana chart 12.11.1 renders with `headlessService: true`: `<fullname>-headless`. */
export const GRAFANA_HEADLESS_SERVICE = `${GRAFANA_FULLNAME}-headless`;

/**
 * What a Grafana pod listens on and advertises for alerting gossip: its own IP, which the chart
 * passes as `POD_IP`. Written with Grafana's `$__env{}` expansion: its `${POD_IP}` shorthand would
 * be read as a Terraform interpolation inside the helm_release values.
 */
const POD_GOSSIP_ADDRESS = `$__env{POD_IP}:${GRAFANA_GOSSIP_PORT}`;

/**
 * Where Grafana keeps its state. On a shared database: nothing on disk, so any number of pods
 * (and a rolling update) is safe. Without one: SQLite on one ReadWriteOnce volume, so one pod,
 * replaced with Recreate: a rolling update would start the new pod beside the old one, and the
 * second attach of the volume fails (Multi-Attach) or two processes write one SQLite file.
 */
function storageValues(grafana: GrafanaProfile) {
  if (grafana.database !== undefined) return { persistence: { enabled: false }, headlessService: true };
  const volume = grafana.persistence;
  if (volume === undefined) {
    // environments/grafana-problems.ts rejects such a profile before any values are built.
    throw new Error("grafana.persistence: Grafana without grafana.database keeps SQLite on this volume, and the profile names none");
  }
  return {
    persistence: {
      enabled: true,
      type: "pvc",
      accessModes: ["ReadWriteOnce"],
      size: volume.size,
      ...(volume.storageClassName ? { storageClassName: volume.storageClassName } : {}),
    },
    deploymentStrategy: { type: "Recreate" },
  };
}

/** `[database]` of grafana.ini: everything but the password, which comes from the environment. */
function databaseSettings(database: GrafanaDatabase) {
  const common = { type: database.type, host: database.host, name: database.name, user: database.user };
  return database.type === "postgres" ? { ...common, ssl_mode: database.sslMode } : common;
}

/** The database password as `GF_DATABASE_PASSWORD`, read by the pod from its Secret (never a value here). */
function databasePasswordEnv(database: GrafanaDatabase) {
  return { GF_DATABASE_PASSWORD: { secretKeyRef: { name: database.passwordSecret.name, key: database.passwordSecret.key } } };
}

/**
 * `[unified_alerting]` HA: every pod joins the others through the headless Service (whose DNS
 * name resolves to every pod's IP) and gossips silences and notification state, so a
 * notification goes out once, not once per replica.
 */
function alertingHaSettings(namespace: string) {
  return {
    ha_peers: `${GRAFANA_HEADLESS_SERVICE}.${namespace}.svc:${GRAFANA_GOSSIP_PORT}`,
    ha_listen_address: POD_GOSSIP_ADDRESS,
    ha_advertise_address: POD_GOSSIP_ADDRESS,
  };
}

/**
 * Values of kube-prometheus-stack's Grafana subchart (grafana 12.11.1, Grafana 13.2): replicas on
 * a shared Postgres or MySQL with alerting HA when the profile names `grafana.database`, else one
 * pod on SQLite; admin credentials from an existing Secret; the product's datasources and
 * dashboards through the sidecars.
 */
export function buildGrafanaValues(profile: EnvironmentProfile, datasources: readonly GrafanaDatasource[]) {
  const g = profile.grafana;
  const database = g.database;
  return {
    fullnameOverride: GRAFANA_FULLNAME,
    replicas: g.replicas,
    resources: g.resources,
    // Never let the chart generate a password: it changes on every render and perma-diffs.
    admin: { existingSecret: g.adminSecret.name, userKey: g.adminSecret.userKey, passwordKey: g.adminSecret.passwordKey },
    ...storageValues(g),
    ...(database !== undefined ? { envValueFrom: databasePasswordEnv(database) } : {}),
    podDisruptionBudget: g.replicas > 1 ? { maxUnavailable: 1 } : {},
    "grafana.ini": {
      server: { root_url: g.url },
      "auth.anonymous": { enabled: false },
      users: { allow_sign_up: false },
      analytics: { reporting_enabled: false, check_for_updates: false },
      ...(database !== undefined ? { database: databaseSettings(database), unified_alerting: alertingHaSettings(profile.namespace) } : {}),
    },
    sidecar: {
      resources: SIDECAR_RESOURCES,
      dashboards: {
        enabled: true,
        label: GRAFANA_DASHBOARD_SIDECAR_LABEL.name,
        labelValue: GRAFANA_DASHBOARD_SIDECAR_LABEL.value,
        searchNamespace: "ALL",
        folderAnnotation: "grafana_folder",
        provider: { foldersFromFilesStructure: true, allowUiUpdates: false },
      },
      // Every datasource is provisioned explicitly below, with fixed uids dashboards refer to.
      datasources: { enabled: true, defaultDatasourceEnabled: false, alertmanager: { enabled: false } },
    },
    additionalDataSources: datasources,
    serviceMonitor: { enabled: true, labels: { ...PROMETHEUS_SELECTOR_LABELS } },
  };
}
