/**
 * A fleet of demo services (one per ServiceSpec, each on its own port) plus one server for the
 * exporter jobs their dependencies are watched through (`redis_up{job="core-redis-exporter"}`,
 * `GET /metrics/<job>`). A dependency is down while the faults of any service declaring it say so,
 * so a shared Redis looks down to every service that uses it, as it would in a cluster.
 */
import { Registry } from "prom-client";
import { MetricFactory, type ExporterTarget } from "../kit/simulation";
import type { ServiceSpec } from "../signals/service-spec";
import { downDependencies } from "./faults";
import { listen, pathOf, sendText, type ListeningServer } from "./http";
import { startDemoService, type DemoService, type DemoServiceOptions } from "./service";

/** One Prometheus scrape job the fleet serves. */
export interface ScrapeTarget {
  /** The `job` label the rules select (`spec.metrics.job`, or a dependency's exporter job). */
  readonly job: string;
  /** `127.0.0.1:<port>` */
  readonly address: string;
  readonly metricsPath: string;
  /** The service the target belongs to; undefined for a shared exporter. */
  readonly service?: string;
}

/**
 * Dependencies run for real beside the fleet (the preview's redis-server and Postgres with their
 * exporters): the fleet no longer simulates their exporter jobs, and a service is impaired (503s,
 * failing jobs) while the real server is down.
 */
export interface RealDependencyState {
  /** Exporter jobs scraped from the real exporters: not simulated, not among the fleet's targets. */
  readonly exporterJobs: readonly string[];
  /** True while the named real dependency is down; false for any other name. */
  readonly isDown: (name: string) => boolean;
}

/** Options of {@link startDemoFleet}: the workload of every service, and the dependencies run for real. */
export type DemoFleetOptions = Omit<DemoServiceOptions, "port" | "isDependencyDown" | "exporter" | "faultValues"> & {
  /** @default - every dependency simulated */
  readonly realDependencies?: RealDependencyState;
};

/** An exporter job's registry and what to update before it is scraped. */
interface Exporter extends ExporterTarget {
  readonly job: string;
  readonly registry: Registry;
  scrape(): Promise<string>;
}

function makeExporter(job: string): Exporter {
  const registry = new Registry();
  const updates = new Map<string, () => void>();
  return {
    job,
    registry,
    metrics: new MetricFactory(registry),
    onScrape: (key, update) => void updates.set(key, update),
    scrape: async () => {
      for (const update of updates.values()) update();
      return registry.metrics();
    },
  };
}

/** Running demo services and exporters. */
export interface DemoFleet {
  /** The running services by name (a stopped service is absent until started again). */
  readonly services: ReadonlyMap<string, DemoService>;
  /** The service by name; throws naming the fleet's services when it is not running. */
  service(name: string): DemoService;
  /** Every scrape job; ports stay the same when a service is stopped and started again. */
  readonly targets: readonly ScrapeTarget[];
  /** Stops one service, as a crash would: its target goes down. */
  stopService(name: string): Promise<void>;
  /** Starts a stopped service again on its port, with fresh counters and no faults (a restart). */
  startService(name: string): Promise<DemoService>;
  /** Stops every service and the exporter server. */
  stop(): Promise<void>;
}

/** Starts one demo per spec, and the exporter server when a dependency names another job. */
export async function startDemoFleet(specs: readonly ServiceSpec[], fleetOptions: DemoFleetOptions = {}): Promise<DemoFleet> {
  const { realDependencies, ...options } = fleetOptions;
  const running = new Map<string, DemoService>();
  const ports = new Map<string, number>();
  const isDependencyDown = (name: string) =>
    realDependencies?.isDown(name) === true || [...running.values()].some((s) => downDependencies(s.faults()).includes(name));
  const faultValues = (name: string) => [...running.values()].map((s) => s.faults()[name]);
  const exporterByJob = new Map<string, Exporter>();
  const exporter = (job: string): Exporter => {
    if (!exporterByJob.has(job)) exporterByJob.set(job, makeExporter(job));
    return exporterByJob.get(job)!;
  };
  const specOf = (name: string) => {
    const spec = specs.find((s) => s.name === name);
    if (spec === undefined) throw new Error(`service must be one of the fleet (${specs.map((s) => s.name).join(", ")}), got "${name}"`);
    return spec;
  };
  const start = async (spec: ServiceSpec) => {
    const service = await startDemoService(spec, { ...options, port: ports.get(spec.name) ?? 0, isDependencyDown, exporter, faultValues });
    running.set(spec.name, service);
    ports.set(spec.name, service.port);
    return service;
  };

  let exporters: Exporter[] = [];
  let exporterServer: ListeningServer | undefined;
  const stopAll = async () => {
    await Promise.all([...running.values()].map((s) => s.stop()));
    running.clear();
    await exporterServer?.close();
    exporterServer = undefined;
  };
  try {
    for (const spec of specs) await start(spec);
    // A job a real exporter serves is simulated into a registry nobody scrapes.
    const real = new Set(realDependencies?.exporterJobs ?? []);
    exporters = [...exporterByJob.values()].filter((e) => !real.has(e.job)).sort((a, b) => a.job.localeCompare(b.job));
    if (exporters.length > 0) {
      exporterServer = await listen(async (request, response) => {
        const exporter = exporters.find((e) => `/metrics/${e.job}` === pathOf(request));
        if (request.method !== "GET" || exporter === undefined) {
          sendText(response, 404, `not found: ${exporters.map((e) => `GET /metrics/${e.job}`).join(", ")}\n`);
          return;
        }
        sendText(response, 200, await exporter.scrape(), exporter.registry.contentType);
      });
    }
  } catch (error) {
    await stopAll();
    throw error;
  }

  const targets: ScrapeTarget[] = [
    ...specs.map((s) => ({ job: s.metrics.job, address: `127.0.0.1:${ports.get(s.name)!}`, metricsPath: "/metrics", service: s.name })),
    ...exporters.map((e) => ({ job: e.job, address: `127.0.0.1:${exporterServer!.port}`, metricsPath: `/metrics/${e.job}` })),
  ];
  return {
    services: running,
    service: (name) => {
      const service = running.get(name);
      if (service === undefined) throw new Error(`service "${specOf(name).name}" is not running`);
      return service;
    },
    targets,
    stopService: async (name) => {
      specOf(name);
      await running.get(name)?.stop();
      running.delete(name);
    },
    startService: async (name) => running.get(name) ?? start(specOf(name)),
    stop: stopAll,
  };
}
