/**
 * Every writer and reader of a multi-tenant store uses the store's one tenant. Mimir and Loki keep
 * each tenant's data apart by the `X-Scope-OrgID` header: a writer sending another tenant writes
 * where no dashboard looks, one sending none writes to Mimir's `anonymous` tenant or is refused by
 * Loki (401 "no org id"), and Grafana reading another tenant shows nothing. Checked on the rendered
 * values of every release, whatever builder produced them. Mimir's ruler is one more writer and
 * reader: it evaluates the rules under `<ruler_storage.local.directory>/<tenant>/` for that tenant,
 * so the directory it mounts the rules ConfigMap as must be named after the store's tenant.
 */
import { clusterEndpoints, TENANT_HEADER } from "../../helm-values/cluster-endpoints";
import { MIMIR_RULER_CONFIGMAP } from "../../helm-values/mimir";
import { RELEASES } from "../../helm-values/release-names";
import type { EnvironmentArtifacts } from "../environment-artifacts";

/** A multi-tenant store of the environment: where it is reached and the tenant everyone must use. */
interface TenantStore {
  readonly name: "Mimir" | "Loki";
  /** The store's in-cluster base URL; a reference is any address under it. */
  readonly baseUrl: string;
  readonly tenant: string;
  /** The store's own release, whose values configure it rather than reach it. */
  readonly releaseName: string;
  /** What the store does with a request that names no tenant. */
  readonly withoutTenant: string;
}

/** One place a release's values reach a store, and the tenant it sends there (undefined: none). */
interface StoreReference {
  readonly releaseName: string;
  readonly path: string;
  readonly url: string;
  readonly tenant: string | undefined;
}

type Json = Readonly<Record<string, unknown>>;
const isObject = (value: unknown): value is Json => value !== null && typeof value === "object" && !Array.isArray(value);

/** The environment's multi-tenant stores: Mimir when the profile has it, and Loki (auth is on in every profile). */
function tenantStores(artifacts: EnvironmentArtifacts): TenantStore[] {
  const profile = artifacts.profile;
  const endpoints = clusterEndpoints(profile);
  const stores: TenantStore[] = [];
  if (profile.mimir !== undefined && endpoints.mimirGatewayUrl !== undefined) {
    stores.push({
      name: "Mimir",
      baseUrl: endpoints.mimirGatewayUrl,
      tenant: profile.mimir.tenant,
      releaseName: RELEASES.mimir,
      withoutTenant: 'which files it under tenant "anonymous"',
    });
  }
  stores.push({
    name: "Loki",
    baseUrl: endpoints.lokiUrl,
    tenant: profile.loki.tenant,
    releaseName: RELEASES.loki,
    withoutTenant: 'which refuses it (401 "no org id")',
  });
  return stores;
}

/**
 * The tenant an object that reaches a store sends: an `X-Scope-OrgID` entry of its `headers`
 * (Prometheus remoteWrite, Tempo remote_write, collector exporters, any letter case), or a
 * Grafana datasource's `httpHeaderNameN` with its `secureJsonData.httpHeaderValueN`.
 */
function tenantOf(reference: Json): string | undefined {
  const headers = reference.headers;
  if (isObject(headers)) {
    const entry = Object.entries(headers).find(([name]) => name.toLowerCase() === TENANT_HEADER.toLowerCase());
    if (entry !== undefined) return String(entry[1]);
  }
  const jsonData = reference.jsonData;
  if (isObject(jsonData)) {
    for (const [key, name] of Object.entries(jsonData)) {
      const index = /^httpHeaderName(\d+)$/.exec(key)?.[1];
      if (index === undefined || String(name).toLowerCase() !== TENANT_HEADER.toLowerCase()) continue;
      const secure = reference.secureJsonData;
      return isObject(secure) && secure[`httpHeaderValue${index}`] !== undefined ? String(secure[`httpHeaderValue${index}`]) : undefined;
    }
  }
  return undefined;
}

/** True when `url` is the store's base URL or a path under it. */
const isUnder = (url: string, baseUrl: string) => url === baseUrl || url.startsWith(`${baseUrl}/`);

/**
 * Every object in `values` whose `url` or `endpoint` is under the store's base URL: a Prometheus
 * remoteWrite entry, Tempo's remote_write, a Grafana datasource, a collector exporter of any
 * release and any name (the collector's tiers are releases of their own), with its path.
 */
function referencesIn(values: unknown, store: TenantStore, releaseName: string, path: string): StoreReference[] {
  if (Array.isArray(values)) return values.flatMap((v, i) => referencesIn(v, store, releaseName, `${path}[${i}]`));
  if (!isObject(values)) return [];
  const here = ["url", "endpoint"]
    .map((key) => values[key])
    .filter((url): url is string => typeof url === "string" && isUnder(url, store.baseUrl))
    .slice(0, 1)
    .map((url) => ({ releaseName, path: path === "" ? "(values)" : path, url, tenant: tenantOf(values) }));
  const below = Object.entries(values).flatMap(([key, v]) => referencesIn(v, store, releaseName, path === "" ? key : `${path}.${key}`));
  return [...here, ...below];
}

/**
 * Messages naming the environment, the release, the path and the tenant of every reference to a
 * multi-tenant store (Mimir, Loki) that does not send the store's tenant, in any release but the
 * store's own. References are recognized by the store's in-cluster URL as helm-values/cluster-endpoints.ts
 * names it.
 */
export function storeTenantProblems(artifacts: EnvironmentArtifacts): string[] {
  const env = artifacts.profile.name;
  return tenantStores(artifacts).flatMap((store) =>
    artifacts.releases
      .filter((release) => release.releaseName !== store.releaseName)
      .flatMap((release) => referencesIn(release.values, store, release.releaseName, ""))
      .filter((ref) => ref.tenant !== store.tenant)
      .map((ref) => {
        const sends =
          ref.tenant === undefined ? `sends no ${TENANT_HEADER} to ${store.name}, ${store.withoutTenant}` : `uses ${store.name} tenant "${ref.tenant}"`;
        return `${env}: release ${ref.releaseName} ${ref.path} (${ref.url}) ${sends}; every writer and reader of ${store.name} must use "${store.tenant}"`;
      }),
  );
}

/** `value` at `path` of a JSON-like object, or undefined. */
function at(value: unknown, path: readonly string[]): unknown {
  return path.reduce<unknown>((v, key) => (isObject(v) ? v[key] : undefined), value);
}

/**
 * Messages naming the environment and the mount when Mimir's ruler is enabled and does not read
 * the rules ConfigMap as the store tenant's directory: the mount of {@link MIMIR_RULER_CONFIGMAP}
 * (`ruler.extraVolumes` and `ruler.extraVolumeMounts`) must be `<ruler_storage.local.directory>/<tenant>`.
 * A ruler reading another tenant's directory would query a tenant with no data and write its
 * results where no dashboard looks.
 */
export function rulerTenantProblems(artifacts: EnvironmentArtifacts): string[] {
  const env = artifacts.profile.name;
  const tenant = artifacts.profile.mimir?.tenant;
  const release = artifacts.releases.find((r) => r.releaseName === RELEASES.mimir);
  if (tenant === undefined || release === undefined || at(release.values, ["ruler", "enabled"]) !== true) return [];
  const where = `${env}: release ${release.releaseName}`;
  const storage = at(release.values, ["mimir", "structuredConfig", "ruler_storage"]);
  const directory = at(storage, ["local", "directory"]);
  if (at(storage, ["backend"]) !== "local" || typeof directory !== "string") {
    return [`${where} mimir.structuredConfig.ruler_storage must be backend "local" with local.directory, got ${JSON.stringify(storage)}`];
  }
  const volumes = at(release.values, ["ruler", "extraVolumes"]);
  const volume = (Array.isArray(volumes) ? (volumes as unknown[]) : []).find((v) => at(v, ["configMap", "name"]) === MIMIR_RULER_CONFIGMAP);
  const mounts = at(release.values, ["ruler", "extraVolumeMounts"]);
  const mount = (Array.isArray(mounts) ? (mounts as unknown[]) : []).find((m) => isObject(m) && isObject(volume) && m.name === volume.name);
  const mountPath = at(mount, ["mountPath"]);
  if (typeof mountPath !== "string") {
    return [
      `${where} ruler does not mount ConfigMap "${MIMIR_RULER_CONFIGMAP}" (ruler.extraVolumes, ruler.extraVolumeMounts); its rules must be at ${directory}/${tenant}`,
    ];
  }
  const expected = `${directory.replace(/\/+$/, "")}/${tenant}`;
  if (mountPath.replace(/\/+$/, "") === expected) return [];
  return [
    `${where} ruler mounts ConfigMap "${MIMIR_RULER_CONFIGMAP}" at ${mountPath}, so it evaluates those rules ` +
      `for another tenant than Mimir's "${tenant}"; it must be ${expected} (ruler_storage.local.directory/<tenant>)`,
  ];
}
