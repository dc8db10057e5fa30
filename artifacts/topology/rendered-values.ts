/**
 * Reading rendered release values the way the charts and the collector will: which releases run
 * the OpenTelemetry Collector, their pipelines and components, and which in-cluster Service an
 * address names. The topology invariants see only these values, never the builders that made them.
 */
import type { EnvironmentArtifacts, ReleaseArtifact } from "../environment-artifacts";

type Json = Readonly<Record<string, unknown>>;

const isObject = (value: unknown): value is Json => value !== null && typeof value === "object" && !Array.isArray(value);
const asObject = (value: unknown): Json => (isObject(value) ? value : {});
const asStrings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : []);

/** The value at a dotted path of plain keys, or undefined. */
export function valueAtPath(values: unknown, path: readonly string[]): unknown {
  return path.reduce<unknown>((v, key) => (isObject(v) ? v[key] : undefined), values);
}

/** A component's type: its id up to the first `/` (`otlp_http/loki` is an `otlp_http`). */
export const componentType = (id: string): string => id.split("/")[0]!;

/** One pipeline as rendered; pipelines set to `null` (removed chart defaults) are not listed. */
export interface RenderedPipeline {
  readonly name: string;
  /** `traces`, `metrics` or `logs`: the pipeline's name up to the first `/`. */
  readonly signal: string;
  readonly receivers: readonly string[];
  readonly processors: readonly string[];
  readonly exporters: readonly string[];
}

/** A release of the opentelemetry-collector chart, with its collector configuration. */
export interface CollectorRelease {
  readonly release: ReleaseArtifact;
  readonly config: Json;
  readonly pipelines: readonly RenderedPipeline[];
}

/** The releases of the opentelemetry-collector chart. */
export function collectorReleases(artifacts: EnvironmentArtifacts): CollectorRelease[] {
  return artifacts.releases
    .filter((release) => release.chartKey === "openTelemetryCollector")
    .map((release) => {
      const config = asObject(release.values.config);
      const pipelines = Object.entries(asObject(valueAtPath(config, ["service", "pipelines"])))
        .filter(([, pipeline]) => isObject(pipeline))
        .map(([name, pipeline]) => ({
          name,
          signal: componentType(name),
          receivers: asStrings(asObject(pipeline).receivers),
          processors: asStrings(asObject(pipeline).processors),
          exporters: asStrings(asObject(pipeline).exporters),
        }));
      return { release, config, pipelines };
    });
}

/** The configuration of one component (`exporters`, `processors`, ...) of a collector, or `{}`. */
export function componentConfig(collector: CollectorRelease, kind: "receivers" | "processors" | "exporters" | "connectors", id: string): Json {
  return asObject(asObject(collector.config[kind])[id]);
}

/**
 * The name of the Service (and workload) the opentelemetry-collector chart creates for a release:
 * `fullnameOverride`, else the release name when it contains the chart's name, else
 * `<release>-opentelemetry-collector` (the chart's `fullname` template).
 */
export function collectorFullname(release: ReleaseArtifact): string {
  const override = release.values.fullnameOverride;
  if (typeof override === "string" && override !== "") return override;
  return release.releaseName.includes("opentelemetry-collector") ? release.releaseName : `${release.releaseName}-opentelemetry-collector`;
}

/** An in-cluster Service an address names: `name`, `name.namespace`, `name.namespace.svc[.cluster.local]`. */
export interface ServiceRef {
  readonly name: string;
  /** @default - the namespace of whoever resolves the name */
  readonly namespace?: string;
}

/**
 * The Service an address names, from a URL (`http://kps-prometheus.observability.svc:9090/api`),
 * a `host:port` or a bare host; undefined for an address that is not a string.
 */
export function serviceOf(address: unknown): ServiceRef | undefined {
  if (typeof address !== "string" || address === "") return undefined;
  const host = address
    .replace(/^[a-z][a-z0-9+.-]*:\/\/\/?/i, "")
    .split("/")[0]!
    .replace(/:\d+$/, "");
  const [name, namespace] = host.split(".");
  return namespace === undefined ? { name: name! } : { name: name!, namespace };
}

/** Whether an address names the given Service of the environment's namespace. */
export function namesService(address: unknown, service: string, namespace: string): boolean {
  const ref = serviceOf(address);
  return ref !== undefined && ref.name === service && (ref.namespace === undefined || ref.namespace === namespace);
}

/** A string value found under a key, with the dotted path it was found at. */
export interface FoundValue {
  readonly path: string;
  readonly value: string;
}

/**
 * Every URL a release's values give for pushing metrics by remote write: `url` of each entry of a
 * `remoteWrite` or `remote_write` list (kube-prometheus-stack's Prometheus, Tempo's metrics
 * generator) and every `remoteWriteUrl` string, wherever they sit.
 */
export function remoteWriteUrls(values: unknown, path = ""): FoundValue[] {
  const at = (key: string | number) => (typeof key === "number" ? `${path}[${key}]` : path === "" ? key : `${path}.${key}`);
  if (Array.isArray(values)) return values.flatMap((v, i) => remoteWriteUrls(v, at(i)));
  if (!isObject(values)) return [];
  return Object.entries(values).flatMap(([key, value]): FoundValue[] => {
    if (key === "remoteWriteUrl" && typeof value === "string") return [{ path: at(key), value }];
    if ((key === "remoteWrite" || key === "remote_write") && Array.isArray(value)) {
      return value.flatMap((entry, i) => {
        const url = asObject(entry).url;
        return typeof url === "string" ? [{ path: `${at(key)}[${i}].url`, value: url }] : [];
      });
    }
    return remoteWriteUrls(value, at(key));
  });
}
