/**
 * One OpenSLO `SLO` document read as an item of a service's `slos` (a `ratio` SLO): its SLI (inline
 * or an `SLI` document), window, budgeting method, objective and the product's annotations. Each
 * field the product cannot express is reported with its path; openslo-import.ts formats them.
 */
import type { LabelMatcher } from "../../kit/promql";
import { readVectorSelector } from "../../kit/promql-selector";
import { SLO_ANNOTATIONS, OPENSLO_PREFIX, type OpenSloDocument, type OpenSloMetricSource, type OpenSloSliSpec, type OpenSloSlo } from "./openslo";
import { SLO_PERIODS, type SloPeriod } from "./spec";

/** A document of the file: its number (from 1), its text as parsed, and (once valid) its content. */
export interface Located<D = OpenSloDocument> {
  readonly index: number;
  readonly raw: unknown;
  readonly doc: D;
}

/** A field of a document: where a product field came from. */
export interface Origin {
  readonly at: Located;
  readonly path: readonly PropertyKey[];
}

/** Records a problem at `path` of a document. */
export type Report = (at: Located, path: readonly PropertyKey[], message: string) => void;

const ROLLING_PERIODS = SLO_PERIODS.filter((p) => p !== "calendar-month");
const UTC_ZONES = ["UTC", "Etc/UTC"];
const MONTH_START = /^\d{4}-(0[1-9]|1[0-2])-01([ T]00:00(:00)?)?$/;

/** `metric{label="value"}` read as the product's series selector, with the service's job left implicit. */
function readCounter(report: Report, at: Located, path: readonly PropertyKey[], source: OpenSloMetricSource, job: string) {
  const metricSource = source.metricSource;
  let usable = true;
  if (metricSource.type !== "Prometheus") {
    report(at, [...path, "metricSource", "type"], "must be Prometheus, the product's metrics store (a metricSourceRef alone is not read)");
    usable = false;
  }
  for (const key of Object.keys(metricSource.spec).filter((k) => k !== "query")) {
    report(at, [...path, "metricSource", "spec", key], "is not supported: a Prometheus metric source has only query here");
    usable = false;
  }
  const queryPath = [...path, "metricSource", "spec", "query"];
  const query = metricSource.spec.query;
  if (typeof query !== "string") {
    report(at, queryPath, 'must be a PromQL selector of a counter, metric{label="value",...}');
    return undefined;
  }
  const reading = readVectorSelector(query);
  if ("problem" in reading) {
    report(at, queryPath, `must be a plain selector of a counter, metric{label="value",...}; this one ${reading.problem}`);
    return undefined;
  }
  const show = (m: LabelMatcher) => `${m.label}${m.op}${JSON.stringify(m.value)}`;
  const inequalities = reading.selector.matchers.filter((m) => m.op !== "=");
  if (inequalities.length > 0) {
    report(at, queryPath, `must match labels by equality only (label="value"), not ${inequalities.map(show).join(", ")}`);
    usable = false;
  }
  const labels = reading.selector.matchers.map((m) => m.label);
  const repeated = [...new Set(labels.filter((l, i) => labels.indexOf(l) !== i))];
  if (repeated.length > 0) {
    report(at, queryPath, `must match each label once, not ${repeated.join(", ")} twice`);
    usable = false;
  }
  const otherJob = reading.selector.matchers.find((m) => m.label === "job" && m.op === "=" && m.value !== job);
  if (otherJob !== undefined) {
    report(
      at,
      queryPath,
      `must select the service's scrape job ${JSON.stringify(job)} or leave job out (every series is matched on it), not ${show(otherJob)}`,
    );
    usable = false;
  }
  if (!usable) return undefined;
  const matchers = Object.fromEntries(reading.selector.matchers.filter((m) => m.label !== "job").map((m) => [m.label, m.value]));
  return { metric: reading.selector.metric, matchers };
}

/** A ratio SLI's numerator and denominator, and where their queries are. */
function readSli(report: Report, at: Located, base: readonly PropertyKey[], spec: OpenSloSliSpec, job: string) {
  if (spec.thresholdMetric !== undefined) {
    report(at, [...base, "thresholdMetric"], "is not supported: an SLI here is good and total events, a ratioMetric of counters");
  }
  const ratio = spec.ratioMetric;
  if (ratio === undefined) {
    if (spec.thresholdMetric === undefined) report(at, base, "must have a ratioMetric");
    return undefined;
  }
  const r = [...base, "ratioMetric"];
  if (ratio.raw !== undefined) report(at, [...r, "raw"], "is not supported: a precomputed ratio has no events to budget; give good or bad, and total");
  if (ratio.rawType !== undefined) report(at, [...r, "rawType"], "is not supported: it goes with raw");
  if (ratio.counter !== true) report(at, [...r, "counter"], "must be true: the product reads counters, not gauges");
  if (ratio.good !== undefined && ratio.bad !== undefined) report(at, [...r, "bad"], "must be left out when good is given (one numerator)");
  if (ratio.good === undefined && ratio.bad === undefined && ratio.raw === undefined) report(at, r, "must have good or bad");
  if (ratio.total === undefined && ratio.raw === undefined) report(at, [...r, "total"], "must be set: the counter of every event");
  const side = ratio.good !== undefined ? "good" : "bad";
  const numeratorSource = ratio.good ?? ratio.bad;
  const numerator = numeratorSource && readCounter(report, at, [...r, side], numeratorSource, job);
  const denominator = ratio.total && readCounter(report, at, [...r, "total"], ratio.total, job);
  if (ratio.counter !== true || numerator === undefined || denominator === undefined || ratio.raw !== undefined || spec.thresholdMetric !== undefined) {
    return undefined;
  }
  const query = (s: string): Origin => ({ at, path: [...r, s, "metricSource", "spec", "query"] });
  return { numerator, numeratorCounts: side, denominator, origins: { numerator: query(side), denominator: query("total") } } as const;
}

/** The SLO's period, undefined for the product's default (no timeWindow), or null when refused. */
function readPeriod(report: Report, at: Located<OpenSloSlo>): SloPeriod | undefined | null {
  const windows = at.doc.spec.timeWindow;
  if (windows === undefined) return undefined;
  if (windows.length !== 1) {
    report(at, ["spec", "timeWindow"], "must hold exactly one window");
    return null;
  }
  const w = windows[0]!;
  const p = ["spec", "timeWindow", 0];
  if (w.calendar === undefined) {
    if (w.isRolling !== true) report(at, [...p, "isRolling"], "must be true, or calendar set for a calendar month");
    else if (!(ROLLING_PERIODS as readonly string[]).includes(w.duration)) {
      report(at, [...p, "duration"], `must be ${ROLLING_PERIODS.join(", ")} for a rolling window (1M on the calendar)`);
    } else return w.duration as SloPeriod;
    return null;
  }
  let refused = false;
  const refuse = (path: readonly PropertyKey[], message: string) => {
    report(at, path, message);
    refused = true;
  };
  if (w.isRolling === true) refuse([...p, "isRolling"], "must be false or left out with calendar");
  if (w.duration !== "1M") refuse([...p, "duration"], "must be 1M on the calendar: the product's calendar period is the month");
  if (!UTC_ZONES.includes(w.calendar.timeZone)) refuse([...p, "calendar", "timeZone"], "must be UTC: the product's month starts on the 1st at 00:00 UTC");
  if (!MONTH_START.test(w.calendar.startTime)) refuse([...p, "calendar", "startTime"], "must be the start of a month, YYYY-MM-01 00:00:00");
  return refused ? null : "calendar-month";
}

/** The objective, in (0, 1) as OpenSLO writes it; undefined when refused. */
function readObjective(report: Report, at: Located<OpenSloSlo>): { value: number; origin: Origin } | undefined {
  const objectives = at.doc.spec.objectives;
  if (objectives.length !== 1) {
    report(at, ["spec", "objectives"], "must hold one objective: an SLO of the product has one (declare an SLO per objective)");
    return undefined;
  }
  const o = objectives[0]!;
  const b = ["spec", "objectives", 0];
  const refused = [
    ...(["op", "value"] as const).filter((f) => o[f] !== undefined).map((f) => [f, "is only for a thresholdMetric, which is not supported"] as const),
    ...(["timeSliceTarget", "timeSliceWindow"] as const)
      .filter((f) => o[f] !== undefined)
      .map((f) => [f, "is only for Timeslices budgeting, which is not supported"] as const),
  ];
  for (const [field, message] of refused) report(at, [...b, field], message);
  if (o.target !== undefined && o.targetPercent !== undefined) {
    report(at, [...b, "targetPercent"], "must be left out when target is given");
    return undefined;
  }
  if (o.target === undefined && o.targetPercent === undefined) {
    report(at, b, "must have target or targetPercent");
    return undefined;
  }
  if (refused.length > 0) return undefined;
  if (o.target !== undefined) return { value: o.target, origin: { at, path: [...b, "target"] } };
  return { value: Number((o.targetPercent! / 100).toPrecision(12)), origin: { at, path: [...b, "targetPercent"] } };
}

/** The product's annotations of an SLO document. */
function readAnnotations(report: Report, at: Located<OpenSloSlo>) {
  const annotations = at.doc.metadata.annotations ?? {};
  const path = (key: string) => ["metadata", "annotations", key];
  const known = Object.values(SLO_ANNOTATIONS) as string[];
  for (const key of Object.keys(annotations).filter((k) => k.startsWith(`${OPENSLO_PREFIX}/`) && !known.includes(k))) {
    report(at, path(key), `is not a known annotation (${known.join(", ")})`);
  }
  const out: { name?: string; minEventsPerSecond?: number; burnRateAlerts?: unknown } = {};
  const origins: Record<string, Origin> = {};
  const slo = annotations[SLO_ANNOTATIONS.slo];
  if (slo !== undefined) [out.name, origins.name] = [slo, { at, path: path(SLO_ANNOTATIONS.slo) }];
  const min = annotations[SLO_ANNOTATIONS.minEventsPerSecond];
  if (min !== undefined) {
    const value = min.trim() === "" ? Number.NaN : Number(min);
    if (Number.isFinite(value)) [out.minEventsPerSecond, origins.minEventsPerSecond] = [value, { at, path: path(SLO_ANNOTATIONS.minEventsPerSecond) }];
    else report(at, path(SLO_ANNOTATIONS.minEventsPerSecond), "must be a number of events per second");
  }
  const burn = annotations[SLO_ANNOTATIONS.burnRateAlerts];
  if (burn !== undefined) {
    try {
      [out.burnRateAlerts, origins.burnRateAlerts] = [JSON.parse(burn) as unknown, { at, path: path(SLO_ANNOTATIONS.burnRateAlerts) }];
    } catch {
      report(at, path(SLO_ANNOTATIONS.burnRateAlerts), 'must be JSON: [{"severity":"critical","factor":14.4,"longWindow":"1h","shortWindow":"5m"}, ...]');
    }
  }
  return { values: out, origins };
}

/** One SLO document as an item of the service's `slos`, with where each of its fields came from. */
export function readSlo(report: Report, at: Located<OpenSloSlo>, slis: ReadonlyMap<string, Located>, job: string) {
  const spec = at.doc.spec;
  // Problems in the order of the specification's fields: indicator, timeWindow, budgetingMethod, objectives, alertPolicies.
  let sli: ReturnType<typeof readSli>;
  if (spec.indicator !== undefined && spec.indicatorRef !== undefined) report(at, ["spec", "indicatorRef"], "must be left out when indicator is given");
  else if (spec.indicator !== undefined) sli = readSli(report, at, ["spec", "indicator", "spec"], spec.indicator.spec, job);
  else if (spec.indicatorRef === undefined) report(at, ["spec"], "must have indicator or indicatorRef");
  else {
    const target = slis.get(spec.indicatorRef);
    if (target === undefined) report(at, ["spec", "indicatorRef"], `must name an SLI document of the file (${[...slis.keys()].join(", ") || "none"})`);
    else sli = readSli(report, target, ["spec"], (target.doc as Extract<OpenSloDocument, { kind: "SLI" }>).spec, job);
  }
  const period = readPeriod(report, at);
  if (spec.budgetingMethod !== "Occurrences") {
    report(
      at,
      ["spec", "budgetingMethod"],
      "must be Occurrences: the product budgets good and total events (Timeslices and RatioTimeslices are not supported)",
    );
  }
  const objective = readObjective(report, at);
  if ((spec.alertPolicies ?? []).length > 0) {
    report(at, ["spec", "alertPolicies"], `must be left out: the product builds its burn-rate alerts (annotation ${SLO_ANNOTATIONS.burnRateAlerts})`);
  }
  const annotations = readAnnotations(report, at);
  if (sli === undefined || period === null || objective === undefined) return undefined;
  const { numerator, numeratorCounts, denominator } = sli;
  const slo = {
    name: annotations.values.name ?? at.doc.metadata.name,
    kind: "ratio" as const,
    objective: objective.value,
    ...(period !== undefined && { period }),
    numerator,
    numeratorCounts,
    denominator,
    ...(annotations.values.minEventsPerSecond !== undefined && { minEventsPerSecond: annotations.values.minEventsPerSecond }),
    ...(annotations.values.burnRateAlerts !== undefined && { burnRateAlerts: annotations.values.burnRateAlerts }),
  };
  const origins: Record<string, Origin> = {
    "": { at, path: ["spec"] },
    name: { at, path: ["metadata", "name"] },
    objective: objective.origin,
    period: { at, path: ["spec", "timeWindow", 0, "duration"] },
    ...sli.origins,
    ...annotations.origins,
  };
  return { slo, origins };
}
