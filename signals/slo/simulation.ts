/**
 * The demo's SLO events: one counter per events SLO, incremented with a good or a bad outcome; and
 * the routes HTTP SLOs are restricted to, added to the service's HTTP traffic.
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
import type { SloSpec } from "./spec";

/** Outcome a failed event of an events SLO is counted under, unless the SLO calls it good. */
const BAD_OUTCOMES = ["failure", "error", "failed"] as const;

/** The outcome a bad event is counted under: the first of failure/error/failed the SLO does not call good. */
export function badOutcomeFor(goodOutcomes: readonly string[]): string {
  return BAD_OUTCOMES.find((o) => !goodOutcomes.includes(o)) ?? `not-${goodOutcomes[0]}`;
}

/** Routes the HTTP SLOs of a service are restricted to. */
export function sloRoutes(slos: readonly SloSpec[]): string[] {
  return slos.flatMap((slo) => (slo.kind !== "events" && slo.routes ? slo.routes : []));
}

interface EventCounter {
  readonly counter: Counter<string>;
  readonly outcomeLabel: string;
  readonly goodOutcome: string;
  readonly badOutcome: string;
}

/** Events of every events SLO of a service, bad at the `errorRatio` fault (or all while impaired). */
class SloEvents implements KindSimulation {
  private readonly carry = new RateCarry();
  private readonly bad = new RatioPacer();

  constructor(
    private readonly counters: readonly EventCounter[],
    private readonly eventsPerSecond: number,
  ) {}

  step(context: StepContext): void {
    const errorRatio = numberFault(context.faults, "errorRatio");
    for (let i = this.carry.take(this.eventsPerSecond, context.seconds); i > 0; i--) {
      const bad = this.bad.next(errorRatio) || context.impaired;
      for (const e of this.counters) e.counter.inc({ [e.outcomeLabel]: bad ? e.badOutcome : e.goodOutcome });
    }
  }
}

/** The SLO kind's demo: HTTP SLOs make the service serve HTTP (on their routes too); events SLOs count events. */
export function sloSimulation(service: ServiceCore, slos: readonly SloSpec[], setup: SimulationSetup): KindSimulation | undefined {
  if (slos.some((slo) => slo.kind !== "events")) httpTraffic(service, setup).addRoutes(sloRoutes(slos));
  const counters = slos.flatMap((slo): EventCounter[] =>
    slo.kind !== "events"
      ? []
      : [
          {
            counter: setup.metrics.counter(slo.metric, `Events of the ${slo.name} SLO by outcome (demo)`, [slo.outcomeLabel]),
            outcomeLabel: slo.outcomeLabel,
            goodOutcome: slo.goodOutcomes[0]!,
            badOutcome: badOutcomeFor(slo.goodOutcomes),
          },
        ],
  );
  return counters.length === 0 ? undefined : new SloEvents(counters, setup.workload.eventsPerSecond);
}

/**
 * Good and total events per second of one SLI while nothing is wrong, as the simulation produces
 * them: what the SLO's recorded `slo:sli_good:rate5m` and `slo:sli_total:rate5m` read when healthy.
 */
export function healthySliRates(slos: readonly SloSpec[], slo: SloSpec, options: WorkloadOptions = {}): { good: number; total: number } {
  const workload = { ...DEFAULT_WORKLOAD, ...options };
  if (slo.kind === "events") return { good: workload.eventsPerSecond, total: workload.eventsPerSecond };
  const routes = demoRoutes(sloRoutes(slos));
  const inScope = slo.routes === undefined ? routes.length : routes.filter((r) => slo.routes!.includes(r.route)).length;
  const total = (workload.requestsPerSecond * inScope) / routes.length;
  if (slo.kind === "availability") return { good: total, total };
  const fast = BASELINE_LATENCIES.filter((s) => s <= slo.latencyThresholdSeconds).length / BASELINE_LATENCIES.length;
  return { good: total * fast, total };
}
