/**
 * Synthetic, deterministic metrics of the generated services (catalog-generator.ts), with the
 * cardinality of a real HTTP service: `http_requests_total` per route x method x status code x pod
 * and `http_request_duration_seconds` per route x method x pod (12 buckets, `_count`, `_sum`), plus
 * the series every kind of signal declares healthy (its `syntheticSeries`).
 *
 * Every series is a pure function of time (counters grow at a fixed rate from `origin`), so the
 * backfilled history (OpenMetrics for `promtool tsdb create-blocks-from openmetrics`) and the live
 * scrape (the bench's exporter) are one continuous series.
 *
 * Traffic is healthy: 0.06% of requests answer 5xx (the 99.9% SLO's budget is 0.1%), 98.5% finish
 * within 0.5 s (the latency SLO asks 95%), p95 is about 0.3 s: no SLO or RED alert fires.
 */
import { DEFAULT_BUCKETS } from "../model/service-core";
import { formatNumber, pythonBucketLabel } from "../kit/promql";
import { gauge, syntheticLabels as labels, type SyntheticSeries } from "../kit/synthetic-series";
import { errorBudget } from "../signals/slo/burn-rate";
import { budgetRemainingRule, SLO_SERIES, sloRecordingRules } from "../signals/slo/rules";
import type { SloSpec } from "../signals/slo/spec";
import { SIGNAL_KINDS } from "../signals";
import type { ServiceSpec } from "../signals/service-spec";
import { ROUTES_PER_SERVICE } from "./catalog-generator";

export type { SyntheticSeries } from "../kit/synthetic-series";

export const METHODS = ["GET", "POST"] as const;
export const PODS_PER_SERVICE = 3;
/** Status codes and their share of requests. */
export const STATUS_CODES: readonly (readonly [code: string, share: number])[] = [
  ["200", 0.9794],
  ["404", 0.02],
  ["500", 0.0004],
  ["503", 0.0002],
];
/** Share of requests at or below each default bucket boundary (then +Inf = 1). */
const LATENCY_CDF = [0.05, 0.15, 0.35, 0.6, 0.8, 0.93, 0.985, 0.995, 0.999, 0.9997, 0.9999] as const;
const MEAN_LATENCY_SECONDS = 0.12;

/** Per-service cardinality, for the report. */
export function cardinality(): {
  requestSeries: number;
  histogramSeries: number;
  routes: number;
  methods: number;
  codes: number;
  pods: number;
  buckets: number;
} {
  const combos = ROUTES_PER_SERVICE.length * METHODS.length * PODS_PER_SERVICE;
  return {
    routes: ROUTES_PER_SERVICE.length,
    methods: METHODS.length,
    codes: STATUS_CODES.length,
    pods: PODS_PER_SERVICE,
    buckets: DEFAULT_BUCKETS.length + 1,
    requestSeries: combos * STATUS_CODES.length,
    histogramSeries: combos * (DEFAULT_BUCKETS.length + 3),
  };
}

/** Requests per second of one route x method x pod of service `index`: 0.2 to 2.0, deterministic. */
export function requestRate(serviceIndex: number, route: number, method: number, pod: number): number {
  return 0.2 + ((serviceIndex * 7 + route * 3 + method * 5 + pod) % 10) * 0.2;
}

function serviceIndexOf(service: ServiceSpec): number {
  const match = service.name.match(/(\d+)$/);
  if (!match) throw new Error(`synthetic metrics expect generated service names (bench-svc-0001), got ${service.name}`);
  return Number(match[1]) - 1;
}

/**
 * Every series of one service: its HTTP traffic, `up` and pod restarts here, then each kind's own
 * (signals/<kind>/); `scrapeInstance` is the `instance` label Prometheus gives `up` for its job.
 */
export function serviceSeries(service: ServiceSpec, scrapeInstance: string): SyntheticSeries[] {
  const index = serviceIndexOf(service);
  const job = service.metrics.job;
  const out: SyntheticSeries[] = [];
  const pods = Array.from({ length: PODS_PER_SERVICE }, (_, p) => `${service.name}-7d9f8-${p}`);
  ROUTES_PER_SERVICE.forEach((route, r) =>
    METHODS.forEach((method, m) =>
      pods.forEach((pod, p) => {
        const rps = requestRate(index, r, m, p);
        const base = { job, instance: `${pod}:8080`, pod, route, method };
        for (const [code, share] of STATUS_CODES) {
          out.push({ id: `${service.metrics.requests}${labels({ ...base, code })}`, kind: "counter", value: rps * share });
        }
        const histogram = service.metrics.durationHistogram;
        DEFAULT_BUCKETS.forEach((le, b) => {
          // Go clients' spelling of `le` for most services, Python's (`1.0`) for every third one.
          const spelled = index % 3 === 2 ? pythonBucketLabel(le) : formatNumber(le);
          out.push({ id: `${histogram}_bucket${labels({ ...base, le: spelled })}`, kind: "counter", value: rps * LATENCY_CDF[b]! });
        });
        out.push({ id: `${histogram}_bucket${labels({ ...base, le: "+Inf" })}`, kind: "counter", value: rps });
        out.push({ id: `${histogram}_count${labels(base)}`, kind: "counter", value: rps });
        out.push({ id: `${histogram}_sum${labels(base)}`, kind: "counter", value: rps * MEAN_LATENCY_SECONDS });
      }),
    ),
  );
  out.push({ id: `up${labels({ job, instance: scrapeInstance })}`, kind: "gauge", value: 1 });
  for (const pod of pods) {
    out.push({ id: `kube_pod_container_status_restarts_total${labels({ namespace: service.namespace, pod, container: "app" })}`, kind: "counter", value: 0 });
  }
  // Every kind's own healthy series (dependencies, sockets, jobs, queues, probes).
  for (const kind of SIGNAL_KINDS) out.push(...kind.syntheticSeries(service));
  return out;
}

/** Good and all events per second of one SLO of a generated service, as its raw series produce them. */
export function steadySli(service: ServiceSpec, slo: SloSpec): { good: number; total: number } {
  const index = serviceIndexOf(service);
  const routeIdx = ROUTES_PER_SERVICE.map((r, i) => (!("routes" in slo) || !slo.routes || slo.routes.includes(r) ? i : -1)).filter((i) => i >= 0);
  let total = 0;
  for (const r of routeIdx) for (let m = 0; m < METHODS.length; m++) for (let p = 0; p < PODS_PER_SERVICE; p++) total += requestRate(index, r, m, p);
  const goodShare =
    slo.kind === "availability"
      ? STATUS_CODES.filter(([c]) => !c.startsWith("5")).reduce((s, [, share]) => s + share, 0)
      : slo.kind === "latency"
        ? LATENCY_CDF[DEFAULT_BUCKETS.findIndex((b) => b === slo.latencyThresholdSeconds)]!
        : 1;
  return { good: total * goodShare, total };
}

/** The value a product SLO series holds under steady traffic, by its name (SLO_SERIES). */
function steadyValue(record: string, slo: SloSpec, sli: { good: number; total: number }): number {
  const ratio = (sli.total - sli.good) / sli.total;
  if (record.startsWith("slo:sli_good:rate")) return sli.good;
  if (record.startsWith("slo:sli_total:rate")) return sli.total;
  if (record.startsWith("slo:sli_error:ratio_rate")) return ratio;
  if (record.startsWith("slo:sli_error:rate")) return sli.total - sli.good;
  if (record === SLO_SERIES.objective) return slo.objective;
  if (record === SLO_SERIES.budgetRemaining) return 1 - ratio / errorBudget(slo.objective);
  throw new Error(`no steady value known for the product's SLO series ${record}: add it to bench/synthetic-metrics.ts`);
}

/**
 * Every series the product's SLO recording rules write, with the value they hold under the steady
 * traffic of {@link serviceSeries}: what a Prometheus that has run the product's rules holds.
 */
export function recordedSloSeries(service: ServiceSpec): SyntheticSeries[] {
  return service.slos.flatMap((slo) => {
    const sli = steadySli(service, slo);
    return [...sloRecordingRules(service, slo), budgetRemainingRule(service, slo)].map((rule) =>
      gauge(rule.record, rule.labels ?? {}, steadyValue(rule.record, slo, sli)),
    );
  });
}

/** Of {@link recordedSloSeries}, those a rule reads over the whole SLO period: the 1h rates. */
export function isPeriodSloSeries(series: SyntheticSeries): boolean {
  return series.id.startsWith(`${SLO_SERIES.errorRateOver("1h")}{`) || series.id.startsWith(`${SLO_SERIES.totalRateOver("1h")}{`);
}

/** The value of a series at `unixSeconds`; counters count whole events since `originSeconds`. */
export function valueAt(series: SyntheticSeries, unixSeconds: number, originSeconds: number): number {
  return series.kind === "gauge" ? series.value : Math.floor(series.value * (unixSeconds - originSeconds));
}

/** The exposition text of `series` at `unixSeconds` (Prometheus text format, untyped, no timestamps). */
export function exposition(series: readonly SyntheticSeries[], unixSeconds: number, originSeconds: number): string {
  return series.map((s) => `${s.id} ${valueAt(s, unixSeconds, originSeconds)}\n`).join("");
}

/**
 * {@link serviceSeries} of every service, a series shared by several services (a dependency they
 * share, under its exporter's job) kept only where it first appears, as one exporter exposes it once.
 */
export function catalogSeries(services: readonly ServiceSpec[], scrapeInstance: string): SyntheticSeries[][] {
  const seen = new Set<string>();
  return services.map((svc) =>
    serviceSeries(svc, scrapeInstance).filter((series) => {
      if (seen.has(series.id)) return false;
      seen.add(series.id);
      return true;
    }),
  );
}
