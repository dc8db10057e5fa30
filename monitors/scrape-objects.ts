/**
 * The prometheus-operator objects that make Prometheus watch a service: a ServiceMonitor or
 * PodMonitor for its metrics and a Probe for its synthetic checks. Pure: a service spec in, plain
 * Kubernetes manifests out; the content stack applies them and synth writes them to
 * generated/<env>/monitors/<service>.yaml.
 */
import { healthProbeUrls } from "../signals/health/spec";
import { BLACKBOX_CANARY_JOB } from "../signals/canary/metrics";
import type { CanarySpec } from "../signals/canary/spec";
import type { ServiceSpec } from "../signals/service-spec";
import { blackboxCanaryFlows, blackboxCanaryTimeoutSeconds, secondsDuration } from "../helm-values/blackbox-exporter";
import { SCRAPE_SELECTOR_LABELS } from "../helm-values/selector-labels";

/** A Kubernetes manifest as a plain object. */
export interface KubernetesManifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace: string; readonly labels: Readonly<Record<string, string>> };
  readonly spec: Readonly<Record<string, unknown>>;
}

/** One service's monitoring objects. */
export interface MonitorFile {
  /** `<service>.yaml` */
  readonly fileName: string;
  readonly manifests: readonly KubernetesManifest[];
}

/** What the builders need of the environment. */
export interface MonitorContext {
  /** Namespace the monitoring objects live in (the stack's). */
  readonly namespace: string;
  /** `host:port` of the blackbox exporter Probe objects send their targets to. */
  readonly blackboxProber: string;
}

const API_VERSION = "monitoring.coreos.com/v1";

function metadata(name: string, ctx: MonitorContext, service: ServiceSpec) {
  return {
    name,
    namespace: ctx.namespace,
    labels: { ...SCRAPE_SELECTOR_LABELS, "app.kubernetes.io/managed-by": "observability-stack", "observability-stack/service": service.name },
  };
}

/**
 * The scrape endpoint. The `job` label is set to the spec's `metrics.job`, which every rule of the
 * service selects on, instead of the operator's default (the Service's name), so a renamed Service
 * cannot silently detach the rules. Service labels `service`/`team` are added for queries.
 */
function endpoint(service: ServiceSpec) {
  return {
    port: service.scrape.port,
    path: service.scrape.path,
    ...(service.scrape.interval ? { interval: service.scrape.interval } : {}),
    relabelings: [
      { action: "replace", targetLabel: "job", replacement: service.metrics.job },
      { action: "replace", targetLabel: "team", replacement: service.team },
    ],
  };
}

/** The ServiceMonitor or PodMonitor of a service, in the stack's namespace, selecting its namespace. */
export function scrapeObject(service: ServiceSpec, ctx: MonitorContext): KubernetesManifest {
  const common = {
    namespaceSelector: { matchNames: [service.namespace] },
    selector: { matchLabels: { ...service.scrape.selector } },
  };
  if (service.scrape.kind === "podMonitor") {
    return {
      apiVersion: API_VERSION,
      kind: "PodMonitor",
      metadata: metadata(service.name, ctx, service),
      spec: { ...common, podMetricsEndpoints: [endpoint(service)] },
    };
  }
  return {
    apiVersion: API_VERSION,
    kind: "ServiceMonitor",
    metadata: metadata(service.name, ctx, service),
    spec: { ...common, endpoints: [endpoint(service)] },
  };
}

/** Targets of one blackbox module. */
function probeObject(service: ServiceSpec, ctx: MonitorContext, name: string, module: string, urls: readonly string[]): KubernetesManifest {
  return {
    apiVersion: API_VERSION,
    kind: "Probe",
    metadata: metadata(name, ctx, service),
    spec: {
      jobName: "blackbox",
      prober: { url: ctx.blackboxProber, path: "/probe" },
      module,
      targets: { staticConfig: { static: [...urls], labels: { service: service.name, team: service.team } } },
    },
  };
}

/**
 * The absolute URL a blackbox flow requests: its request's URL when absolute, else that path on the
 * flow's `baseUrl` (appended to the base's own path, one `/` between them).
 */
export function canaryTargetUrl(canary: CanarySpec): string {
  const url = canary.steps[0]!.request!.url;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return url;
  return `${canary.baseUrl.replace(/\/+$/, "")}/${url.replace(/^\/+/, "")}`;
}

/**
 * The Probe of each blackbox canary flow of a service (the flows already filtered to the
 * environment): job {@link BLACKBOX_CANARY_JOB}, the flow's own module, its schedule as the
 * interval and the module's timeout as the scrape timeout, labelled `service`, `team` and `canary`
 * as the canary rules select.
 */
export function canaryProbeObjects(service: ServiceSpec, ctx: MonitorContext): KubernetesManifest[] {
  return blackboxCanaryFlows([service]).map(({ canary, module }) => ({
    apiVersion: API_VERSION,
    kind: "Probe",
    metadata: metadata(`${service.name}-canary-${canary.name}`, ctx, service),
    spec: {
      jobName: BLACKBOX_CANARY_JOB,
      prober: { url: ctx.blackboxProber, path: "/probe" },
      module,
      interval: canary.every,
      scrapeTimeout: secondsDuration(blackboxCanaryTimeoutSeconds(canary)),
      targets: { staticConfig: { static: [canaryTargetUrl(canary)], labels: { service: service.name, team: service.team, canary: canary.name } } },
    },
  }));
}

/**
 * Probe objects of a service: readiness and liveness with `http_2xx`, then one per blackbox canary
 * flow. `probe_success` then carries `instance` = the URL, as the readiness alert expects.
 */
export function probeObjects(service: ServiceSpec, ctx: MonitorContext): KubernetesManifest[] {
  const health = healthProbeUrls(service.probes);
  const probes: KubernetesManifest[] = [];
  if (health.length > 0) probes.push(probeObject(service, ctx, `${service.name}-health`, "http_2xx", health));
  return [...probes, ...canaryProbeObjects(service, ctx)];
}

/** Every monitoring object of every service, one file per service, sorted by service name. */
export function buildMonitorFiles(services: readonly ServiceSpec[], ctx: MonitorContext): MonitorFile[] {
  return [...services]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((s) => ({ fileName: `${s.name}.yaml`, manifests: [scrapeObject(s, ctx), ...probeObjects(s, ctx)] }));
}
