/**
 * The demo's store dependencies: each one's up gauge (0 while the `dependencyDown` fault names it,
 * in any service sharing it) and its ping latency. A dependency under the service's own job is
 * exported by the service; one watched through an exporter (`redis_up{job="core-redis-exporter"}`)
 * goes to that exporter's registry, shared by every service watching it, as in a cluster.
 */
import type { Gauge, Histogram } from "prom-client";
import type { ServiceCore } from "../../model/service-core";
import type { KindSimulation, MetricFactory, SimulationSetup, StepContext } from "../../kit/simulation";
import type { StoreDependency } from "./spec";

/** Dependency ping latency in seconds when it is up. */
export const BASELINE_PING_SECONDS = 0.002;

interface DependencyMetrics {
  readonly dependency: StoreDependency;
  readonly up: Gauge<string>;
  readonly latency?: Histogram<string>;
}

/** Label names of a metric: the union of the `labels` keys of the dependencies sharing it. */
function labelNames(dependencies: readonly StoreDependency[], metric: (d: StoreDependency) => string | undefined, name: string): string[] {
  return [...new Set(dependencies.filter((d) => metric(d) === name).flatMap((d) => Object.keys(d.labels)))].sort();
}

/** Sets the up gauge and, when up, records one ping. */
function report({ dependency, up, latency }: DependencyMetrics, down: boolean): void {
  up.set({ ...dependency.labels }, down ? 0 : 1);
  if (!down) latency?.observe({ ...dependency.labels }, BASELINE_PING_SECONDS);
}

class StoreDependencies implements KindSimulation {
  constructor(private readonly own: readonly DependencyMetrics[]) {}

  step(context: StepContext): void {
    for (const metrics of this.own) report(metrics, context.isDependencyDown(metrics.dependency.name));
  }
}

/** The up gauges and latency histograms of a store kind's dependencies of one service. */
export function storeSimulation(service: ServiceCore, title: string, dependencies: readonly StoreDependency[], setup: SimulationSetup): KindSimulation {
  const own: DependencyMetrics[] = [];
  for (const dependency of dependencies) {
    const isOwn = dependency.job === service.metrics.job;
    const exporter = isOwn ? undefined : setup.exporter(dependency.job);
    const metrics = dependencyMetrics(dependency, dependencies, title, exporter?.metrics ?? setup.metrics);
    // An exporter reports what it sees when it is scraped, whichever service is running.
    if (exporter === undefined) own.push(metrics);
    else exporter.onScrape(dependency.name, () => report(metrics, setup.isDependencyDown(dependency.name)));
  }
  return new StoreDependencies(own);
}

function dependencyMetrics(dependency: StoreDependency, dependencies: readonly StoreDependency[], title: string, factory: MetricFactory): DependencyMetrics {
  const up = factory.gauge(
    dependency.upMetric,
    `1 when ${title} is reachable, 0 when not (demo)`,
    labelNames(dependencies, (d) => d.upMetric, dependency.upMetric),
  );
  if (dependency.latencyMetric === undefined) return { dependency, up };
  const names = labelNames(dependencies, (d) => d.latencyMetric, dependency.latencyMetric);
  return { dependency, up, latency: factory.histogram(dependency.latencyMetric, `Latency of pings to ${title} in seconds (demo)`, names) };
}
