/**
 * The demo's SLO signals: the routes HTTP SLOs are restricted to, added to the service's HTTP
 * traffic; and, per SLO of another source, the series its SLI reads (an event counter, a histogram,
 * a ratio's counters, a freshness gauge, a batch's gauges), bad at the `errorRatio` fault.
 */
import type { Counter } from "prom-client";
import type { ServiceCore } from "../../model/service-core";
import {
  DEFAULT_WORKLOAD,
  numberFault,
  RateCarry,
  RatioPacer,
  type KindSimulation,
  type SimulationSetup,
  type StepContext,
  type WorkloadOptions,
} from "../../kit/simulation";
import { BASELINE_LATENCIES, demoRoutes, httpTraffic } from "../http/simulation";
import { thresholdInHistogramUnit, type SloSpec } from "./spec";
import { concreteRoute, routeMatchesPatterns } from "../../kit/route-patterns";

/** Outcome a failed event of an events SLO is counted under, unless the SLO calls it good. */
const BAD_OUTCOMES = ["failure", "error", "failed"] as const;

/** The outcome a bad event is counted under: the first of failure/error/failed the SLO does not call good. */
export function badOutcomeFor(goodOutcomes: readonly string[]): string {
  return BAD_OUTCOMES.find((o) => !goodOutcomes.includes(o)) ?? `not-${goodOutcomes[0]}`;
}

/** Routes the HTTP SLOs of a service are restricted to. */
export function sloRoutes(slos: readonly SloSpec[]): string[] {
  return slos.flatMap((slo) => ("routes" in slo && slo.routes ? slo.routes.map(concreteRoute) : []));
}

/** True for an SLO read from the service's HTTP metrics (requests, or the default histogram). */
export function isHttpSlo(slo: SloSpec): boolean {
  return slo.kind === "availability" || (slo.kind === "latency" && slo.histogram === undefined);
}

/** What one SLO does per event (`good` or not) and per step. */
interface SloSignal {
  event?(good: boolean): void;
  step?(context: StepContext, errorRatio: number): void;
}

/** Label names of every metric the SLOs read, so an SLO sharing a metric with another gets one metric. */
function labelNamesByMetric(slos: readonly SloSpec[]): Map<string, string[]> {
  const names = new Map<string, Set<string>>();
  const add = (metric: string, labels: readonly string[]) => names.set(metric, new Set([...(names.get(metric) ?? []), ...labels]));
  for (const slo of slos) {
    if (slo.kind === "events") add(slo.metric, [slo.outcomeLabel]);
    if (slo.kind === "latency" && slo.histogram !== undefined) add(slo.histogram.metric, Object.keys(slo.histogram.matchers));
    if (slo.kind === "ratio") for (const s of [slo.numerator, slo.denominator]) add(s.metric, Object.keys(s.matchers));
    if (slo.kind === "freshness") add(slo.gauge.metric, Object.keys(slo.gauge.matchers));
    if (slo.kind === "deadline") for (const s of [slo.batchSize, slo.deliveredOnTime]) add(s.metric, Object.keys(s.matchers));
  }
  return new Map([...names].map(([metric, labels]) => [metric, [...labels]]));
}

function sloSignal(slo: SloSpec, setup: SimulationSetup, labelNames: Map<string, string[]>): SloSignal | undefined {
  const counter = (metric: string): Counter<string> => setup.metrics.counter(metric, `Events of SLO ${slo.name} (demo)`, labelNames.get(metric) ?? []);
  switch (slo.kind) {
    case "availability":
      return undefined;
    case "latency": {
      const h = slo.histogram;
      if (h === undefined) return undefined;
      const histogram = setup.metrics.histogram(
        h.metric,
        `Durations of SLO ${slo.name} (demo)`,
        labelNames.get(h.metric) ?? Object.keys(h.matchers),
        h.buckets,
      );
      const threshold = thresholdInHistogramUnit(slo);
      return { event: (good) => histogram.observe(h.matchers, good ? threshold / 2 : threshold * 2) };
    }
    case "events": {
      const events = counter(slo.metric);
      const [good, bad] = [slo.goodOutcomes[0]!, badOutcomeFor(slo.goodOutcomes)];
      return { event: (ok) => events.inc({ [slo.outcomeLabel]: ok ? good : bad }) };
    }
    case "ratio": {
      const [numerator, denominator] = [counter(slo.numerator.metric), counter(slo.denominator.metric)];
      return {
        event: (good) => {
          denominator.inc(slo.denominator.matchers);
          if (good === (slo.numeratorCounts === "good")) numerator.inc(slo.numerator.matchers);
        },
      };
    }
    case "freshness": {
      const gauge = setup.metrics.gauge(slo.gauge.metric, `Freshness of SLO ${slo.name} (demo)`, labelNames.get(slo.gauge.metric) ?? []);
      const pacer = new RatioPacer();
      let lastSuccessMs: number | undefined;
      return {
        // One sync attempt per step, failing at the error ratio: a failing sync leaves the data ageing.
        step: (context, errorRatio) => {
          if (!(pacer.next(errorRatio) || context.impaired) || lastSuccessMs === undefined) lastSuccessMs = context.nowMs;
          const value = slo.gauge.holds === "timestamp" ? lastSuccessMs / 1000 : (context.nowMs - lastSuccessMs) / 1000;
          gauge.set(slo.gauge.matchers, value);
        },
      };
    }
    case "deadline": {
      const size = setup.metrics.gauge(
        slo.batchSize.metric,
        `Items of the current batch of SLO ${slo.name} (demo)`,
        labelNames.get(slo.batchSize.metric) ?? [],
      );
      const onTime = setup.metrics.gauge(
        slo.deliveredOnTime.metric,
        `Items of the current batch delivered before the deadline of SLO ${slo.name} (demo)`,
        labelNames.get(slo.deliveredOnTime.metric) ?? [],
      );
      const batch = 1000;
      return {
        step: (context, errorRatio) => {
          size.set(slo.batchSize.matchers, batch);
          onTime.set(slo.deliveredOnTime.matchers, context.impaired ? 0 : Math.round(batch * (1 - errorRatio)));
        },
      };
    }
  }
}

/** The SLO signals of a service that are not HTTP: events at the workload's rate, gauges every step. */
class SloSignals implements KindSimulation {
  private readonly carry = new RateCarry();
  private readonly bad = new RatioPacer();

  constructor(
    private readonly signals: readonly SloSignal[],
    private readonly eventsPerSecond: number,
  ) {}

  step(context: StepContext): void {
    const errorRatio = numberFault(context.faults, "errorRatio");
    for (let i = this.carry.take(this.eventsPerSecond, context.seconds); i > 0; i--) {
      const good = !(this.bad.next(errorRatio) || context.impaired);
      for (const s of this.signals) s.event?.(good);
    }
    for (const s of this.signals) s.step?.(context, errorRatio);
  }
}

/** The SLO kind's demo: HTTP SLOs make the service serve HTTP (on their routes too); the others get their own series. */
export function sloSimulation(service: ServiceCore, slos: readonly SloSpec[], setup: SimulationSetup): KindSimulation | undefined {
  if (slos.some(isHttpSlo)) httpTraffic(service, setup).addRoutes(sloRoutes(slos));
  const labelNames = labelNamesByMetric(slos);
  const signals = slos.flatMap((slo) => sloSignal(slo, setup, labelNames) ?? []);
  return signals.length === 0 ? undefined : new SloSignals(signals, setup.workload.eventsPerSecond);
}

/**
 * Good and total events per second of one SLI while nothing is wrong, as the simulation produces
 * them: what the SLO's recorded `slo:sli_good:rate5m` and `slo:sli_total:rate5m` read when healthy
 * (a deadline's batch counts only after its deadline: none in between).
 */
export function healthySliRates(slos: readonly SloSpec[], slo: SloSpec, options: WorkloadOptions = {}): { good: number; total: number } {
  const workload = { ...DEFAULT_WORKLOAD, ...options };
  if (slo.kind === "freshness") return { good: 1, total: 1 };
  if (slo.kind === "deadline") return { good: 0, total: 0 };
  if (!isHttpSlo(slo)) return { good: workload.eventsPerSecond, total: workload.eventsPerSecond };
  const routes = demoRoutes(sloRoutes(slos));
  const scoped = "routes" in slo ? slo.routes : undefined;
  const inScope = routes.filter((r) => routeMatchesPatterns(r.route, scoped)).length;
  const total = (workload.requestsPerSecond * inScope) / routes.length;
  if (slo.kind !== "latency") return { good: total, total };
  const fast = BASELINE_LATENCIES.filter((s) => s <= slo.latencyThresholdSeconds).length / BASELINE_LATENCIES.length;
  return { good: total * fast, total };
}
