/**
 * prom-client metrics of one service, derived from its ServiceSpec and nothing else: metric names,
 * label names and buckets are the spec's, so the demo exports exactly what the rules select.
 *
 * Dependencies whose `job` is the service's own (`divan_redis_up`, the service pings Redis itself)
 * are exported by the service; dependencies watched through an exporter under another job
 * (`redis_up{job="core-redis-exporter"}`) are exported by {@link buildExporterMetrics}, once per
 * exporter job, so services sharing an exporter share its series as they do in a cluster.
 */
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { DependencySpec, QueueSpec, ServiceSpec } from "../signals/service-spec";

/** One route the simulated traffic hits. */
export interface DemoRoute {
  readonly route: string;
  readonly method: string;
}

/** Routes every HTTP demo serves; the routes an SLO is restricted to are added to these. */
export const DEMO_ROUTES: readonly DemoRoute[] = [
  { route: "/api/v1/items", method: "GET" },
  { route: "/api/v1/items", method: "POST" },
  { route: "/api/v1/items/{id}", method: "GET" },
  { route: "/api/v1/search", method: "GET" },
];

/** Socket.IO namespaces and their connected clients when nothing is wrong. */
export const SOCKET_NAMESPACES: readonly { readonly namespace: string; readonly clients: number }[] = [
  { namespace: "/", clients: 120 },
  { namespace: "/chat", clients: 60 },
];

/** Names of the simulated background jobs. */
export const JOB_NAMES: readonly string[] = ["digest", "cleanup"];

/** Outcome a failed event of an events SLO is counted under, unless the SLO calls it good. */
const BAD_OUTCOMES = ["failure", "error", "failed"] as const;

/** Request metrics: counter by route, method and status; histogram by route and method. */
export interface HttpMetrics {
  readonly requests: Counter<string>;
  readonly duration: Histogram<string>;
  readonly routes: readonly DemoRoute[];
}

/** The counter of one events SLO and the outcomes it is incremented with. */
export interface EventMetrics {
  readonly counter: Counter<string>;
  readonly outcomeLabel: string;
  readonly goodOutcome: string;
  readonly badOutcome: string;
}

/** The series of one Redis/Postgres dependency. */
export interface DependencyMetrics {
  readonly spec: DependencySpec;
  readonly up: Gauge<string>;
  readonly latency?: Histogram<string>;
}

/** The gauges of one queue. */
export interface QueueMetrics {
  readonly spec: QueueSpec;
  readonly depth: Gauge<string>;
  readonly age: Gauge<string>;
  readonly deadLetter?: Gauge<string>;
}

/** Everything one service exports on its own `/metrics`. */
export interface ServiceMetrics {
  readonly registry: Registry;
  /** Present when the service has RED rules or an availability/latency SLO. */
  readonly http?: HttpMetrics;
  readonly events: readonly EventMetrics[];
  readonly sockets?: { readonly clients: Gauge<string>; readonly namespaceLabel: string };
  readonly jobs?: { readonly runs: Counter<string>; readonly retries?: Counter<string>; readonly nameLabel: string; readonly resultLabel: string; readonly failure: string };
  readonly queues: readonly QueueMetrics[];
  /** Dependencies exported under the service's own job. */
  readonly dependencies: readonly DependencyMetrics[];
}

/**
 * Creates metrics in one registry, once per name: queues share `queue_depth`, dependencies may
 * share an up metric. Asking again for a name returns the metric made first.
 */
class MetricFactory {
  private readonly made = new Map<string, Counter<string> | Gauge<string> | Histogram<string>>();
  constructor(readonly registry: Registry) {}

  counter(name: string, help: string, labelNames: readonly string[]): Counter<string> {
    return this.once(name, () => new Counter({ name, help, labelNames, registers: [this.registry] })) as Counter<string>;
  }

  gauge(name: string, help: string, labelNames: readonly string[]): Gauge<string> {
    return this.once(name, () => new Gauge({ name, help, labelNames, registers: [this.registry] })) as Gauge<string>;
  }

  histogram(name: string, help: string, labelNames: readonly string[], buckets?: readonly number[]): Histogram<string> {
    return this.once(name, () => new Histogram({ name, help, labelNames, registers: [this.registry], ...(buckets ? { buckets: [...buckets] } : {}) })) as Histogram<string>;
  }

  private once<T extends Counter<string> | Gauge<string> | Histogram<string>>(name: string, make: () => T): T {
    const existing = this.made.get(name);
    if (existing !== undefined) return existing as T;
    const metric = make();
    this.made.set(name, metric);
    return metric;
  }
}

/** Whether the spec reads HTTP request metrics (RED rules, availability or latency SLOs). */
export function servesHttp(spec: ServiceSpec): boolean {
  return spec.red.enabled || spec.slos.some((slo) => slo.kind !== "events");
}

/** {@link DEMO_ROUTES} plus every route an SLO of the service is restricted to. */
export function demoRoutes(spec: ServiceSpec): DemoRoute[] {
  const sloRoutes = spec.slos.flatMap((slo) => (slo.kind !== "events" && slo.routes ? slo.routes : []));
  const extra = [...new Set(sloRoutes)].filter((route) => !DEMO_ROUTES.some((r) => r.route === route));
  return [...DEMO_ROUTES, ...extra.map((route) => ({ route, method: "POST" }))];
}

/** Dependencies of a service, Redis first, with the kind each is. */
export function dependenciesOf(spec: ServiceSpec): { readonly kind: "redis" | "postgres"; readonly spec: DependencySpec }[] {
  return [
    ...spec.dependencies.redis.map((d) => ({ kind: "redis" as const, spec: d })),
    ...spec.dependencies.postgres.map((d) => ({ kind: "postgres" as const, spec: d })),
  ];
}

/** Label names of an up (or latency) metric: the union of the `labels` keys of the dependencies sharing it. */
function dependencyLabelNames(dependencies: readonly DependencySpec[], metric: (d: DependencySpec) => string | undefined, name: string): string[] {
  return [...new Set(dependencies.filter((d) => metric(d) === name).flatMap((d) => Object.keys(d.labels)))].sort();
}

/** Up gauges (and latency histograms) of dependencies, in one registry. */
function dependencyMetrics(factory: MetricFactory, dependencies: readonly { kind: string; spec: DependencySpec }[]): DependencyMetrics[] {
  const specs = dependencies.map((d) => d.spec);
  return dependencies.map(({ kind, spec }) => {
    const up = factory.gauge(spec.upMetric, `1 when ${kind} is reachable, 0 when not (demo)`, dependencyLabelNames(specs, (d) => d.upMetric, spec.upMetric));
    const latency =
      spec.latencyMetric === undefined
        ? undefined
        : factory.histogram(spec.latencyMetric, `Latency of pings to ${kind} in seconds (demo)`, dependencyLabelNames(specs, (d) => d.latencyMetric, spec.latencyMetric));
    return latency === undefined ? { spec, up } : { spec, up, latency };
  });
}

/** The outcome a bad event is counted under: the first of failure/error/failed the SLO does not call good. */
export function badOutcomeFor(goodOutcomes: readonly string[]): string {
  return BAD_OUTCOMES.find((o) => !goodOutcomes.includes(o)) ?? `not-${goodOutcomes[0]}`;
}

/** The metrics a service exports on its own target, in a fresh registry. */
export function buildServiceMetrics(spec: ServiceSpec): ServiceMetrics {
  const registry = new Registry();
  const factory = new MetricFactory(registry);
  const m = spec.metrics;
  const http: HttpMetrics | undefined = servesHttp(spec)
    ? {
        requests: factory.counter(m.requests, "HTTP requests by route, method and status (demo)", [m.routeLabel, m.methodLabel, m.codeLabel]),
        duration: factory.histogram(m.durationHistogram, "HTTP request duration in seconds (demo)", [m.routeLabel, m.methodLabel], m.buckets),
        routes: demoRoutes(spec),
      }
    : undefined;
  const events = spec.slos.flatMap((slo): EventMetrics[] =>
    slo.kind !== "events"
      ? []
      : [
          {
            counter: factory.counter(slo.metric, `Events of the ${slo.name} SLO by outcome (demo)`, [slo.outcomeLabel]),
            outcomeLabel: slo.outcomeLabel,
            goodOutcome: slo.goodOutcomes[0]!,
            badOutcome: badOutcomeFor(slo.goodOutcomes),
          },
        ],
  );
  const sockets = spec.sockets && {
    clients: factory.gauge(spec.sockets.clientsMetric, "Connected Socket.IO clients by namespace (demo)", [spec.sockets.namespaceLabel]),
    namespaceLabel: spec.sockets.namespaceLabel,
  };
  const jobs = spec.jobs && {
    runs: factory.counter(spec.jobs.runsMetric, "Finished background job runs by job and result (demo)", [spec.jobs.nameLabel, spec.jobs.resultLabel]),
    ...(spec.jobs.retriesMetric ? { retries: factory.counter(spec.jobs.retriesMetric, "Background job retries by job (demo)", [spec.jobs.nameLabel]) } : {}),
    nameLabel: spec.jobs.nameLabel,
    resultLabel: spec.jobs.resultLabel,
    failure: spec.jobs.failureResults[0]!,
  };
  const queues = spec.queues.map((q): QueueMetrics => {
    const depth = factory.gauge(q.depthMetric, "Messages waiting in the queue (demo)", [q.queueLabel]);
    const age = factory.gauge(q.ageMetric, "Age in seconds of the oldest waiting message (demo)", [q.queueLabel]);
    return q.deadLetterMetric === undefined
      ? { spec: q, depth, age }
      : { spec: q, depth, age, deadLetter: factory.gauge(q.deadLetterMetric, "Dead-lettered messages (demo)", [q.queueLabel]) };
  });
  const own = dependenciesOf(spec).filter((d) => d.spec.job === m.job);
  return {
    registry,
    ...(http ? { http } : {}),
    events,
    ...(sockets ? { sockets } : {}),
    ...(jobs ? { jobs } : {}),
    queues,
    dependencies: dependencyMetrics(factory, own),
  };
}

/** The metrics of one exporter job (e.g. `core-redis-exporter`), shared by the services watching it. */
export interface ExporterMetrics {
  readonly job: string;
  readonly registry: Registry;
  readonly dependencies: readonly DependencyMetrics[];
}

/**
 * One registry per exporter job that the services' dependencies name (any job other than the
 * service's own), each dependency once even when several services declare it.
 */
export function buildExporterMetrics(specs: readonly ServiceSpec[]): ExporterMetrics[] {
  const byJob = new Map<string, Map<string, { kind: string; spec: DependencySpec }>>();
  for (const service of specs) {
    for (const dependency of dependenciesOf(service).filter((d) => d.spec.job !== service.metrics.job)) {
      const deps = byJob.get(dependency.spec.job) ?? new Map();
      if (!deps.has(dependency.spec.name)) deps.set(dependency.spec.name, dependency);
      byJob.set(dependency.spec.job, deps);
    }
  }
  return [...byJob.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([job, deps]) => {
      const registry = new Registry();
      return { job, registry, dependencies: dependencyMetrics(new MetricFactory(registry), [...deps.values()]) };
    });
}
