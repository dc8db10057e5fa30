/**
 * One demo service: its spec's metrics on `GET /metrics`, a steady simulated workload, and fault
 * injection over HTTP. Binds 127.0.0.1 only.
 *
 *   GET  /metrics       Prometheus exposition of the service's metrics
 *   GET  /faults        the faults in effect
 *   POST /faults        JSON patch, e.g. {"errorRatio": 1} or {"dependencyDown": ["divan-redis"]}
 *   POST /faults/reset  back to healthy
 *   GET  /health/ready  200, or 503 while the `readinessFailing` fault is set (blackbox probes it)
 *   GET  /health/live   200 while the service runs
 *   ...                 the endpoints its canary flows call (./journeys.ts)
 */
import type { ServiceSpec } from "../signals/service-spec";
import type { ExporterTarget } from "../kit/simulation";
import { applyFaultPatch, dependencyNames, downDependencies, FaultPatchError, NO_FAULTS, parseFaultPatch, type FaultPatch, type Faults } from "./faults";
import { startJourneys, type DemoJourneys } from "./journeys";
import { listen, pathOf, readJson, sendJson, sendText, type ListeningServer } from "./http";
import { WorkloadSimulator, type WorkloadOptions } from "./simulation";

/** Options of {@link startDemoService}. */
export interface DemoServiceOptions extends WorkloadOptions {
  /** Port on 127.0.0.1. @default 0 (a free port) */
  readonly port?: number;
  /** Milliseconds between two workload steps. @default 100 */
  readonly stepMs?: number;
  /**
   * Whether a dependency is down, for dependencies shared with other services (an exporter's
   * `redis_up`). @default - down when this service's own faults say so
   */
  readonly isDependencyDown?: (name: string, own: Faults) => boolean;
  /** Targets of exporter jobs, shared by the fleet. @default - private to this service */
  readonly exporter?: (job: string) => ExporterTarget;
  /** One fault's values in every service of the fleet. @default - this service's own */
  readonly faultValues?: (name: string) => readonly unknown[];
}

/** A running demo service. */
export interface DemoService {
  readonly spec: ServiceSpec;
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** The path Prometheus scrapes. */
  readonly metricsPath: "/metrics";
  faults(): Faults;
  /** Applies a patch (validated like a `POST /faults` body); returns the faults now in effect. */
  injectFaults(patch: FaultPatch): Faults;
  resetFaults(): Faults;
  /** Stops the workload and the server, as a crash would: the next scrape fails. */
  stop(): Promise<void>;
}

/** What `GET /` answers: the service, its endpoints and the fault fields. */
function describeService(spec: ServiceSpec, url: string, faults: Faults): unknown {
  return {
    service: spec.name,
    job: spec.metrics.job,
    metrics: `${url}/metrics`,
    faults: { get: `${url}/faults`, post: `${url}/faults`, reset: `${url}/faults/reset`, current: faults, dependencies: dependencyNames(spec) },
  };
}

/** Starts the demo of one service; its workload runs until {@link DemoService.stop}. */
export async function startDemoService(spec: ServiceSpec, options: DemoServiceOptions = {}): Promise<DemoService> {
  let faults: Faults = NO_FAULTS;
  const isDown = options.isDependencyDown ?? ((name: string, own: Faults) => downDependencies(own).includes(name));
  const simulator = new WorkloadSimulator(
    spec,
    {
      faults: () => faults,
      isDependencyDown: (name) => isDown(name, faults),
      ...(options.exporter ? { exporter: options.exporter } : {}),
      ...(options.faultValues ? { faultValues: options.faultValues } : {}),
    },
    options,
  );
  const metrics = { registry: simulator.registry };
  const inject = (patch: unknown) => (faults = applyFaultPatch(faults, parseFaultPatch(spec, patch)));
  let server: ListeningServer | undefined;

  server = await listen(async (request, response) => {
    const path = pathOf(request);
    if (request.method === "GET" && path === "/metrics") {
      sendText(response, 200, await metrics.registry.metrics(), metrics.registry.contentType);
    } else if (request.method === "GET" && path === "/faults") {
      sendJson(response, 200, faults);
    } else if (request.method === "POST" && path === "/faults") {
      try {
        sendJson(response, 200, inject(await readJson(request)));
      } catch (error) {
        if (!(error instanceof FaultPatchError || error instanceof SyntaxError)) throw error;
        sendJson(response, 400, { error: error instanceof FaultPatchError ? error.problems : [`body must be JSON: ${error.message}`] });
      }
    } else if (request.method === "POST" && path === "/faults/reset") {
      faults = NO_FAULTS;
      sendJson(response, 200, faults);
    } else if (request.method === "GET" && path === "/health/ready") {
      const failing = faults.readinessFailing === true;
      sendText(response, failing ? 503 : 200, failing ? "not ready (readinessFailing fault)\n" : "ready\n");
    } else if (request.method === "GET" && path === "/health/live") {
      sendText(response, 200, "live\n");
    } else if (request.method === "GET" && path === "/") {
      sendJson(response, 200, describeService(spec, server!.url, faults));
    } else if (!(await journeys.handle(request, response))) {
      sendText(response, 404, "not found: GET /metrics, GET|POST /faults, POST /faults/reset, GET /health/ready, GET /health/live\n");
    }
  }, options.port ?? 0);

  // Declared once the server listens: no request reaches the handler before this line runs.
  const journeys: DemoJourneys = startJourneys(spec.canaries, server.server, () => faults);
  simulator.step(Date.now());
  const timer = setInterval(() => simulator.step(Date.now()), options.stepMs ?? 100);
  const running = server;
  return {
    spec,
    port: running.port,
    url: running.url,
    metricsPath: "/metrics",
    faults: () => faults,
    injectFaults: (patch) => inject(patch),
    resetFaults: () => (faults = NO_FAULTS),
    stop: async () => {
      clearInterval(timer);
      if (server === undefined) return;
      server = undefined;
      journeys.close();
      await running.close();
    },
  };
}
