/**
 * The demo's HTTP traffic: requests on a fixed set of routes (plus the routes HTTP SLOs are
 * restricted to), counted by route, method and status and timed in the service's own histogram.
 * Shared by the RED and SLO kinds, both of which read it.
 */
import { z } from "zod";
import { SECONDS_PER_DURATION_UNIT, type ServiceCore } from "../../model/service-core";
import {
  numberFault,
  RateCarry,
  RatioPacer,
  ratioFault,
  type FaultField,
  type KindSimulation,
  type SimulationSetup,
  type StepContext,
} from "../../kit/simulation";
import type { Counter, Histogram } from "prom-client";

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

/** Request durations in seconds when nothing is wrong, cycled through: p95 well under 250 ms. */
export const BASELINE_LATENCIES: readonly number[] = [
  0.008, 0.012, 0.015, 0.018, 0.02, 0.022, 0.025, 0.03, 0.035, 0.04, 0.045, 0.05, 0.06, 0.07, 0.08, 0.09, 0.1, 0.12, 0.15, 0.19,
];

/** The faults of HTTP traffic. */
export const HTTP_FAULTS: Readonly<Record<string, FaultField>> = {
  /** Share of requests answered 500 (and of SLO events counted bad), in [0, 1]. */
  errorRatio: ratioFault,
  /** Seconds added to every request's duration. */
  latencySeconds: { schema: () => z.number().min(0, "must be >= 0").max(60, "must be <= 60"), healthy: 0 },
};

/** {@link DEMO_ROUTES} plus `extra` routes (an SLO's), each once, served as POST. */
export function demoRoutes(extra: readonly string[] = []): DemoRoute[] {
  const added = [...new Set(extra)].filter((route) => !DEMO_ROUTES.some((r) => r.route === route));
  return [...DEMO_ROUTES, ...added.map((route) => ({ route, method: "POST" }))];
}

/** Requests of one service: a counter by route, method and status, a histogram by route and method. */
export class HttpTraffic implements KindSimulation {
  private readonly requests: Counter<string>;
  private readonly failures: Counter<string> | undefined;
  private readonly duration: Histogram<string>;
  private readonly carry = new RateCarry();
  private readonly errors = new RatioPacer();
  private readonly extraRoutes: string[] = [];
  private readonly rate: number;
  private index = 0;

  constructor(
    private readonly service: ServiceCore,
    setup: SimulationSetup,
  ) {
    const m = service.metrics;
    this.requests = setup.metrics.counter(m.requests, "HTTP requests by route, method and status (demo)", [m.routeLabel, m.methodLabel, m.codeLabel]);
    this.failures =
      m.errors === undefined ? undefined : setup.metrics.counter(m.errors, "Failed HTTP requests by route and method (demo)", [m.routeLabel, m.methodLabel]);
    this.duration = setup.metrics.histogram(m.durationHistogram, `HTTP request duration in ${m.durationUnit} (demo)`, [m.routeLabel, m.methodLabel], m.buckets);
    this.rate = setup.workload.requestsPerSecond;
  }

  /** Adds routes that must see traffic (the routes an SLO is restricted to). */
  addRoutes(routes: readonly string[]): void {
    this.extraRoutes.push(...routes);
  }

  /** The routes served, in the order requests cycle through them. */
  routes(): DemoRoute[] {
    return demoRoutes(this.extraRoutes);
  }

  step(context: StepContext): void {
    const { routeLabel, methodLabel, codeLabel } = this.service.metrics;
    const routes = this.routes();
    const errorRatio = numberFault(context.faults, "errorRatio");
    const latency = numberFault(context.faults, "latencySeconds");
    for (let i = this.carry.take(this.rate, context.seconds); i > 0; i--, this.index++) {
      const { route, method } = routes[this.index % routes.length]!;
      const failed = this.errors.next(errorRatio);
      const status = context.impaired ? "503" : failed ? "500" : this.index % 50 === 49 ? "404" : method === "POST" ? "201" : "200";
      const seconds = BASELINE_LATENCIES[this.index % BASELINE_LATENCIES.length]! + (context.impaired ? 0 : latency);
      this.requests.inc({ [routeLabel]: route, [methodLabel]: method, [codeLabel]: status });
      if (status.startsWith("5")) this.failures?.inc({ [routeLabel]: route, [methodLabel]: method });
      this.duration.observe({ [routeLabel]: route, [methodLabel]: method }, seconds / SECONDS_PER_DURATION_UNIT[this.service.metrics.durationUnit]);
    }
  }
}

/** The service's HTTP traffic, made once and shared by every kind that reads it. */
export function httpTraffic(service: ServiceCore, setup: SimulationSetup): HttpTraffic {
  return setup.shared("http", () => new HttpTraffic(service, setup));
}
