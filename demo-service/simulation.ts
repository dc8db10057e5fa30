/**
 * The simulated workload of one service: requests, SLO events, socket clients, job runs, queues and
 * dependency pings, written into its metrics at a steady rate and bent by the current faults.
 * Deterministic (no randomness): an error ratio of 0.5 fails every other request, so alert timings
 * measured on the demo do not depend on luck.
 */
import type { ServiceSpec, SloSpec } from "../signals/service-spec";
import type { Faults } from "./faults";
import { demoRoutes, JOB_NAMES, SOCKET_NAMESPACES, type DependencyMetrics, type ServiceMetrics } from "./metrics";

/** Rates of the simulated workload. */
export interface WorkloadOptions {
  /** HTTP requests per second, spread over the routes. @default 20 */
  readonly requestsPerSecond?: number;
  /** Events per second of each events SLO. @default 5 */
  readonly eventsPerSecond?: number;
  /**
   * Runs per second of each background job. Enough runs per (compressed) 5m window keep the
   * failure and retry ratios smooth. @default 10
   */
  readonly jobRunsPerSecond?: number;
  /**
   * Seconds of the simulated world per real second, for values that measure elapsed time (the age
   * of the oldest queued message). Set it to the preview's time-compression factor so a queue's
   * SLA in seconds keeps its meaning. @default 1
   */
  readonly timeScale?: number;
}

/** The workload's defaults. */
export const DEFAULT_WORKLOAD: Required<WorkloadOptions> = { requestsPerSecond: 20, eventsPerSecond: 5, jobRunsPerSecond: 10, timeScale: 1 };

/** Request durations in seconds when nothing is wrong, cycled through: p95 well under 250 ms. */
export const BASELINE_LATENCIES: readonly number[] = [
  0.008, 0.012, 0.015, 0.018, 0.02, 0.022, 0.025, 0.03, 0.035, 0.04, 0.045, 0.05, 0.06, 0.07, 0.08, 0.09, 0.1, 0.12, 0.15, 0.19,
];

/** Dependency ping latency in seconds when it is up. */
export const BASELINE_PING_SECONDS = 0.002;
/** Messages waiting in each queue when consumers keep up. */
export const BASELINE_QUEUE_DEPTH = 3;
/** Age in (simulated) seconds of the oldest waiting message when consumers keep up. */
export const BASELINE_QUEUE_AGE_SECONDS = 2;
/** Retries per job run when nothing is wrong. */
export const BASELINE_RETRY_RATIO = 0.05;

/**
 * Turns a ratio into a deterministic sequence of yes/no: `next(0.25)` is true once every four
 * calls. Changing the ratio takes effect at once.
 */
export class RatioPacer {
  private credit = 0;

  next(ratio: number): boolean {
    if (ratio <= 0) return false;
    if (ratio >= 1) return true;
    this.credit += ratio;
    if (this.credit >= 1 - 1e-9) {
      this.credit -= 1;
      return true;
    }
    return false;
  }
}

/** Whole events due after `seconds` at `perSecond`, carrying the fraction over to the next call. */
export class RateCarry {
  private carry = 0;

  take(perSecond: number, seconds: number): number {
    this.carry += perSecond * seconds;
    const whole = Math.floor(this.carry);
    this.carry -= whole;
    return whole;
  }
}

/** Depth and oldest-message age of a queue whose consumers stalled at `stalledSinceMs` (or never). */
export function queueLevels(growthPerSecond: number, stalledSinceMs: number | undefined, nowMs: number, timeScale: number): { depth: number; ageSeconds: number } {
  if (growthPerSecond <= 0 || stalledSinceMs === undefined) return { depth: BASELINE_QUEUE_DEPTH, ageSeconds: BASELINE_QUEUE_AGE_SECONDS };
  const stalledSeconds = Math.max(0, (nowMs - stalledSinceMs) / 1000);
  return {
    depth: Math.round(BASELINE_QUEUE_DEPTH + growthPerSecond * stalledSeconds),
    ageSeconds: BASELINE_QUEUE_AGE_SECONDS + stalledSeconds * timeScale,
  };
}

/** Sets a dependency's up gauge and, when up, records one ping. */
export function reportDependency(dependency: DependencyMetrics, down: boolean): void {
  dependency.up.set({ ...dependency.spec.labels }, down ? 0 : 1);
  if (!down) dependency.latency?.observe({ ...dependency.spec.labels }, BASELINE_PING_SECONDS);
}

/** What the simulation reads each step: the service's faults and the state of every dependency. */
export interface SimulationInputs {
  readonly faults: () => Faults;
  /** True while the named dependency is down (faults of any service sharing it). */
  readonly isDependencyDown: (name: string) => boolean;
}

/** The workload of one service; call {@link step} periodically. */
export class WorkloadSimulator {
  private readonly requests = new RateCarry();
  private readonly events = new RateCarry();
  private readonly jobs = JOB_NAMES.map((name) => ({ name, runs: new RateCarry(), failures: new RatioPacer(), retries: new RatioPacer() }));
  private readonly errors = new RatioPacer();
  private readonly badEvents = new RatioPacer();
  private requestIndex = 0;
  private stalledSinceMs: number | undefined;
  private lastStepMs: number | undefined;
  private readonly rates: Required<WorkloadOptions>;

  constructor(
    private readonly spec: ServiceSpec,
    private readonly metrics: ServiceMetrics,
    private readonly inputs: SimulationInputs,
    options: WorkloadOptions = {},
  ) {
    this.rates = { ...DEFAULT_WORKLOAD, ...options };
  }

  /** Advances the workload to `nowMs`: everything that happened since the previous step. */
  step(nowMs: number): void {
    const seconds = this.lastStepMs === undefined ? 0.1 : Math.max(0, (nowMs - this.lastStepMs) / 1000);
    this.lastStepMs = nowMs;
    const faults = this.inputs.faults();
    const impaired = [...this.spec.dependencies.redis, ...this.spec.dependencies.postgres].some((d) => this.inputs.isDependencyDown(d.name));
    for (const dependency of this.metrics.dependencies) reportDependency(dependency, this.inputs.isDependencyDown(dependency.spec.name));
    this.serveRequests(this.requests.take(this.rates.requestsPerSecond, seconds), faults, impaired);
    this.countEvents(this.events.take(this.rates.eventsPerSecond, seconds), faults, impaired);
    this.reportSockets(faults);
    this.runJobs(seconds, faults, impaired);
    this.reportQueues(faults, nowMs);
  }

  private serveRequests(count: number, faults: Faults, impaired: boolean): void {
    const http = this.metrics.http;
    if (http === undefined) return;
    const { routeLabel, methodLabel, codeLabel } = this.spec.metrics;
    for (let i = 0; i < count; i++, this.requestIndex++) {
      const { route, method } = http.routes[this.requestIndex % http.routes.length]!;
      const failed = this.errors.next(faults.errorRatio);
      const status = impaired ? "503" : failed ? "500" : this.requestIndex % 50 === 49 ? "404" : method === "POST" ? "201" : "200";
      const seconds = BASELINE_LATENCIES[this.requestIndex % BASELINE_LATENCIES.length]! + (impaired ? 0 : faults.latencySeconds);
      http.requests.inc({ [routeLabel]: route, [methodLabel]: method, [codeLabel]: status });
      http.duration.observe({ [routeLabel]: route, [methodLabel]: method }, seconds);
    }
  }

  private countEvents(count: number, faults: Faults, impaired: boolean): void {
    for (let i = 0; i < count; i++) {
      const bad = this.badEvents.next(faults.errorRatio) || impaired;
      for (const e of this.metrics.events) e.counter.inc({ [e.outcomeLabel]: bad ? e.badOutcome : e.goodOutcome });
    }
  }

  private reportSockets(faults: Faults): void {
    const sockets = this.metrics.sockets;
    if (sockets === undefined) return;
    for (const { namespace, clients } of SOCKET_NAMESPACES) {
      sockets.clients.set({ [sockets.namespaceLabel]: namespace }, Math.round(clients * (1 - faults.socketDrop)));
    }
  }

  private runJobs(seconds: number, faults: Faults, impaired: boolean): void {
    const metrics = this.metrics.jobs;
    if (metrics === undefined) return;
    for (const job of this.jobs) {
      const labels = { [metrics.nameLabel]: job.name };
      for (let i = job.runs.take(this.rates.jobRunsPerSecond, seconds); i > 0; i--) {
        const failed = job.failures.next(faults.jobFailureRatio) || impaired;
        metrics.runs.inc({ ...labels, [metrics.resultLabel]: failed ? metrics.failure : "success" });
        // A failed run is retried once; healthy runs retry now and then.
        if (metrics.retries && (failed || job.retries.next(BASELINE_RETRY_RATIO))) metrics.retries.inc(labels);
      }
    }
  }

  private reportQueues(faults: Faults, nowMs: number): void {
    if (this.metrics.queues.length === 0) return;
    if (faults.backlogGrowthPerSecond > 0) this.stalledSinceMs ??= nowMs;
    else this.stalledSinceMs = undefined;
    const { depth, ageSeconds } = queueLevels(faults.backlogGrowthPerSecond, this.stalledSinceMs, nowMs, this.rates.timeScale);
    for (const queue of this.metrics.queues) {
      const labels = { [queue.spec.queueLabel]: queue.spec.name };
      queue.depth.set(labels, depth);
      queue.age.set(labels, ageSeconds);
      queue.deadLetter?.set(labels, 0);
    }
  }
}

/**
 * Good and total events per second of one SLI while nothing is wrong, as the simulation produces
 * them: what the SLO's recorded `slo:sli_good:rate5m` and `slo:sli_total:rate5m` read when healthy.
 */
export function healthySliRates(spec: ServiceSpec, slo: SloSpec, options: WorkloadOptions = {}): { good: number; total: number } {
  const workload = { ...DEFAULT_WORKLOAD, ...options };
  if (slo.kind === "events") return { good: workload.eventsPerSecond, total: workload.eventsPerSecond };
  const routes = demoRoutes(spec);
  const inScope = slo.routes === undefined ? routes.length : routes.filter((r) => slo.routes!.includes(r.route)).length;
  const total = (workload.requestsPerSecond * inScope) / routes.length;
  if (slo.kind === "availability") return { good: total, total };
  const fast = BASELINE_LATENCIES.filter((s) => s <= slo.latencyThresholdSeconds).length / BASELINE_LATENCIES.length;
  return { good: total * fast, total };
}
