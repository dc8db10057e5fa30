/**
 * The catalog's SLOs as OpenSLO v1 documents: per service a `Service` document (team, namespace,
 * tier and job as labels) and an `SLO` document per SLO with its SLI inline, budgeted by
 * Occurrences. Counter kinds become a ratioMetric of counters, with the product's own selectors
 * (the service's job matcher included), so what another tool counts is what the product counts:
 * - availability: requests not 5xx / requests;
 * - latency: the threshold's bucket (`le`, in any spelling the client writes) / the histogram's `_count`;
 * - events: outcomes in goodOutcomes / all; ratio: its numerator (good or bad) / its denominator.
 * Freshness is approximated (annotated): a thresholdMetric on the data's age, budgeted by
 * Timeslices of 1m, where the product counts fresh seconds. Deadline SLOs are skipped: OpenSLO has
 * no event that exists only after a deadline; each skipped SLO is returned with the reason.
 */
import { renderYaml } from "../../kit/render-yaml";
import { aggregate, anyOfRegex, bucketMatcher, eq, formatNumber, nre, re, selector, type LabelMatcher } from "../../kit/promql";
import type { ServiceCore } from "../../model/service-core";
import type { ServiceSpec } from "../service-spec";
import { DEFAULT_BURN_RATE_ALERTS } from "./burn-rate";
import { OPENSLO_API_VERSION, SERVICE_LABELS, SLO_ANNOTATIONS } from "./openslo";
import { thresholdInHistogramUnit, type SloSpec } from "./spec";

/** An SLO the export leaves out, and why. */
export interface SkippedSlo {
  readonly service: string;
  readonly slo: string;
  readonly reason: string;
}

/** What the export writes: documents per service, in catalog order, and the SLOs left out. */
export interface OpenSloExport {
  readonly documents: ReadonlyMap<string, readonly Record<string, unknown>[]>;
  readonly skipped: readonly SkippedSlo[];
}

/** Why a deadline SLO has no OpenSLO form. */
export const DEADLINE_SKIP_REASON =
  "OpenSLO v1 has no batch deadline: the product's events exist only in the 5m after each deadline, which neither a ratio of counters nor a threshold expresses";

/** The minimum event rate every kind but deadline defaults to (signals/slo/spec.ts). */
const DEFAULT_MIN_EVENTS_PER_SECOND = 0.1;

const equalities = (labels: Readonly<Record<string, string>>): LabelMatcher[] => Object.entries(labels).map(([l, v]) => eq(l, v));

const prometheus = (query: string) => ({ metricSource: { type: "Prometheus", spec: { query } } });

/** The good (or bad) and total counters of a counter kind; undefined for the gauge kinds. */
function counters(service: ServiceCore, slo: SloSpec): { side: "good" | "bad"; numerator: string; total: string } | undefined {
  const job = eq("job", service.metrics.job);
  const routes = (r: readonly string[] | undefined) => (r === undefined ? [] : [re(service.metrics.routeLabel, anyOfRegex(r))]);
  switch (slo.kind) {
    case "availability": {
      const scope = [job, ...routes(slo.routes)];
      const requests = service.metrics.requests;
      return { side: "good", numerator: selector(requests, [...scope, nre(service.metrics.codeLabel, "5..")]), total: selector(requests, scope) };
    }
    case "latency": {
      const histogram = slo.histogram?.metric ?? service.metrics.durationHistogram;
      const scope = [job, ...routes(slo.routes), ...equalities(slo.histogram?.matchers ?? {})];
      const bucket = bucketMatcher(thresholdInHistogramUnit(slo));
      return { side: "good", numerator: selector(`${histogram}_bucket`, [...scope, bucket]), total: selector(`${histogram}_count`, scope) };
    }
    case "events":
      return {
        side: "good",
        numerator: selector(slo.metric, [job, re(slo.outcomeLabel, anyOfRegex(slo.goodOutcomes))]),
        total: selector(slo.metric, [job]),
      };
    case "ratio":
      return {
        side: slo.numeratorCounts,
        numerator: selector(slo.numerator.metric, [job, ...equalities(slo.numerator.matchers)]),
        total: selector(slo.denominator.metric, [job, ...equalities(slo.denominator.matchers)]),
      };
    default:
      return undefined;
  }
}

function timeWindow(slo: SloSpec) {
  if (slo.period === "calendar-month") return [{ duration: "1M", isRolling: false, calendar: { startTime: "2020-01-01 00:00:00", timeZone: "UTC" } }];
  return [{ duration: slo.period, isRolling: true }];
}

/** The annotations of an SLO document: the product's name and kind, and what differs from the defaults. */
function annotations(slo: SloSpec, extra: Readonly<Record<string, string>>): Record<string, string> {
  return {
    [SLO_ANNOTATIONS.slo]: slo.name,
    [SLO_ANNOTATIONS.kind]: slo.kind,
    ...(slo.minEventsPerSecond !== DEFAULT_MIN_EVENTS_PER_SECOND && { [SLO_ANNOTATIONS.minEventsPerSecond]: formatNumber(slo.minEventsPerSecond) }),
    ...(JSON.stringify(slo.burnRateAlerts) !== JSON.stringify(DEFAULT_BURN_RATE_ALERTS) && {
      [SLO_ANNOTATIONS.burnRateAlerts]: JSON.stringify(slo.burnRateAlerts),
    }),
    ...extra,
  };
}

/** One SLO as an OpenSLO `SLO` document, or the reason it has none. */
function sloDocument(service: ServiceSpec, slo: SloSpec): Record<string, unknown> | string {
  const name = `${service.name}-${slo.name}`;
  const ratio = counters(service, slo);
  const document = (
    indicatorSpec: Record<string, unknown>,
    budgetingMethod: string,
    objective: Record<string, unknown>,
    extra: Record<string, string> = {},
  ) => ({
    apiVersion: OPENSLO_API_VERSION,
    kind: "SLO",
    metadata: { name, annotations: annotations(slo, extra) },
    spec: {
      service: service.name,
      indicator: { metadata: { name }, spec: indicatorSpec },
      timeWindow: timeWindow(slo),
      budgetingMethod,
      objectives: [objective],
    },
  });
  if (ratio !== undefined) {
    return document({ ratioMetric: { counter: true, [ratio.side]: prometheus(ratio.numerator), total: prometheus(ratio.total) } }, "Occurrences", {
      target: slo.objective,
    });
  }
  if (slo.kind === "freshness") {
    const gauge = selector(slo.gauge.metric, [eq("job", service.metrics.job), ...equalities(slo.gauge.matchers)]);
    const age = slo.gauge.holds === "timestamp" ? `time() - ${aggregate("max", [], gauge)}` : aggregate("min", [], gauge);
    return document(
      { thresholdMetric: prometheus(age) },
      "Timeslices",
      { op: "lte", value: slo.maxAgeSeconds, target: slo.objective, timeSliceTarget: 1, timeSliceWindow: "1m" },
      {
        [SLO_ANNOTATIONS.approximation]:
          "the product counts each second the data is fresh while its gauge exists; here a 1m slice is good when every point of it is at most value seconds old",
      },
    );
  }
  return DEADLINE_SKIP_REASON;
}

/** The `Service` document of a service: the product's core fields as labels. */
function serviceDocument(service: ServiceSpec): Record<string, unknown> {
  return {
    apiVersion: OPENSLO_API_VERSION,
    kind: "Service",
    metadata: {
      name: service.name,
      labels: {
        [SERVICE_LABELS.team]: service.team,
        [SERVICE_LABELS.namespace]: service.namespace,
        ...(service.tier !== undefined && { [SERVICE_LABELS.tier]: service.tier }),
        ...(service.metrics.job !== service.name && { [SERVICE_LABELS.job]: service.metrics.job }),
      },
    },
    spec: {},
  };
}

/** Every SLO of `services` as OpenSLO v1 documents, keyed by service name; services without SLOs are left out. */
export function exportOpenSlo(services: readonly ServiceSpec[]): OpenSloExport {
  const documents = new Map<string, Record<string, unknown>[]>();
  const skipped: SkippedSlo[] = [];
  for (const service of services) {
    const slos = service.slos.flatMap((slo) => {
      const doc = sloDocument(service, slo);
      if (typeof doc !== "string") return [doc];
      skipped.push({ service: service.name, slo: slo.name, reason: doc });
      return [];
    });
    if (slos.length > 0) documents.set(service.name, [serviceDocument(service), ...slos]);
  }
  return { documents, skipped };
}

/** Documents as one YAML stream, `---` between them. */
export function renderOpenSloYaml(documents: readonly Record<string, unknown>[]): string {
  return documents.map((d) => renderYaml(d)).join("---\n");
}
