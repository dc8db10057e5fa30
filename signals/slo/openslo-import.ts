/**
 * OpenSLO v1 documents read as the product's service specs: a `Service` document per service (its
 * team, namespace, tier and scrape job from the labels of {@link SERVICE_LABELS}), and `SLO`
 * documents, each with an inline SLI or an `indicatorRef` to an `SLI` document of the same file.
 *
 * What maps: budgetingMethod Occurrences, one ratioMetric of counters (good or bad over total)
 * whose queries are plain selectors with label equalities, one objective (target or
 * targetPercent), a rolling 7d/28d/30d/90d window or the calendar month in UTC. Everything else is
 * refused naming the document, the field and its value; every problem of the file at once, and
 * nothing is returned unless all of it maps. The result then goes through the service schema, as a
 * service written in TypeScript does, and its problems name the document field they came from.
 */
import { parseAllDocuments } from "yaml";
import type { LabelMatcher } from "../../kit/promql";
import { readVectorSelector } from "../../kit/promql-selector";
import { formatIssues, formatPath, formatProblems, ValidationError } from "../../model/validation-error";
import { serviceErrorContext, serviceSpecSchema, type ServiceSpecInput } from "../service-spec";
import {
  openSloDocumentSchema,
  OPENSLO_PREFIX,
  SERVICE_LABELS,
  SLO_ANNOTATIONS,
  type OpenSloDocument,
  type OpenSloMetricSource,
  type OpenSloService,
  type OpenSloSliSpec,
  type OpenSloSlo,
} from "./openslo";
import { SLO_PERIODS, type SloPeriod } from "./spec";

/** Thrown when an OpenSLO file does not map to service specs; one line per problem. */
export class OpenSloImportError extends ValidationError {
  constructor(file: string, problems: readonly string[]) {
    super(`invalid OpenSLO file ${JSON.stringify(file)}`, problems);
    this.name = "OpenSloImportError";
  }
}

/** A document of the file: its number (from 1), its text as parsed, and (once valid) its content. */
interface Located<D = OpenSloDocument> {
  readonly index: number;
  readonly raw: unknown;
  readonly doc: D;
}

/** A field of a document: where a product field came from. */
interface Origin {
  readonly at: Located;
  readonly path: readonly PropertyKey[];
}

type Report = (at: Located, path: readonly PropertyKey[], message: string) => void;

const ROLLING_PERIODS = SLO_PERIODS.filter((p) => p !== "calendar-month");
const UTC_ZONES = ["UTC", "Etc/UTC"];
const MONTH_START = /^\d{4}-(0[1-9]|1[0-2])-01([ T]00:00(:00)?)?$/;

function describeDocument(file: string, index: number, kind: unknown, name: unknown): string {
  const what = typeof kind === "string" ? kind : "document";
  return `${what}${typeof name === "string" ? ` ${JSON.stringify(name)}` : ""}, document ${index} of ${file}`;
}

function whereOf(file: string, at: Located): string {
  return describeDocument(file, at.index, at.doc.kind, at.doc.metadata.name);
}

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
function readSlo(report: Report, at: Located<OpenSloSlo>, slis: ReadonlyMap<string, Located>, job: string) {
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

/** A label value of a Service document, which must be one string. */
function readLabel(report: Report, at: Located<OpenSloService>, key: string, required: boolean): string | undefined {
  const value = at.doc.metadata.labels?.[key];
  if (typeof value === "string") return value;
  if (value !== undefined || required) report(at, ["metadata", "labels", key], required ? "must be set to one value" : "must be one value");
  return undefined;
}

/** One Service document and its SLOs as a service spec input, with the origin of each field. */
function readService(report: Report, at: Located<OpenSloService>, slos: readonly Located<OpenSloSlo>[], slis: ReadonlyMap<string, Located>) {
  const known = Object.values(SERVICE_LABELS) as string[];
  for (const key of Object.keys(at.doc.metadata.labels ?? {}).filter((k) => k.startsWith(`${OPENSLO_PREFIX}/`) && !known.includes(k))) {
    report(at, ["metadata", "labels", key], `is not a known label (${known.join(", ")})`);
  }
  const team = readLabel(report, at, SERVICE_LABELS.team, true);
  const namespace = readLabel(report, at, SERVICE_LABELS.namespace, true);
  const tier = readLabel(report, at, SERVICE_LABELS.tier, false);
  const job = readLabel(report, at, SERVICE_LABELS.job, false);
  const name = at.doc.metadata.name;
  const read = slos.map((slo) => readSlo(report, slo, slis, job ?? name));
  const input = {
    name,
    team,
    namespace,
    ...(tier !== undefined && { tier }),
    ...(job !== undefined && { metrics: { job } }),
    // OpenSLO declares SLOs only: no HTTP RED rules on metrics the service may not export.
    red: { enabled: false },
    slos: read.map((r) => r?.slo),
  };
  const label = (key: string): Origin => ({ at, path: ["metadata", "labels", key] });
  const origins = new Map<string, Origin>([
    ["", { at, path: [] }],
    ["name", { at, path: ["metadata", "name"] }],
    ["team", label(SERVICE_LABELS.team)],
    ["namespace", label(SERVICE_LABELS.namespace)],
    ["tier", label(SERVICE_LABELS.tier)],
    ["metrics.job", label(SERVICE_LABELS.job)],
  ]);
  read.forEach((r, i) =>
    Object.entries(r?.origins ?? {}).forEach(([field, origin]) => origins.set(formatPath(["slos", i, ...(field ? [field] : [])]), origin)),
  );
  return { input, origins };
}

/** The origin of the longest prefix of `path` that has one. */
function originOf(origins: ReadonlyMap<string, Origin>, path: readonly PropertyKey[]): Origin | undefined {
  for (let n = path.length; n >= 0; n--) {
    const origin = origins.get(formatPath(path.slice(0, n)));
    if (origin !== undefined) return origin;
  }
  return undefined;
}

/** The documents of a YAML stream, each checked against the OpenSLO schema. */
function readDocuments(file: string, text: string, problems: string[]): Located[] {
  const located: Located[] = [];
  parseAllDocuments(text).forEach((document, i) => {
    const index = i + 1;
    if (document.errors.length > 0) {
      for (const e of document.errors) problems.push(`document ${index} of ${file} is not valid YAML: ${e.message.split("\n")[0]}`);
      return;
    }
    const raw: unknown = document.toJS();
    if (raw === null || raw === undefined) return;
    const result = openSloDocumentSchema.safeParse(raw);
    if (result.success) located.push({ index, raw, doc: result.data });
    else {
      const r = raw as { kind?: unknown; metadata?: { name?: unknown } };
      const where = describeDocument(file, index, r.kind, r.metadata?.name);
      problems.push(...formatIssues(result.error.issues, { input: raw, context: () => [where] }));
    }
  });
  return located;
}

/** The `spec.indicatorRef` of every document that has one, valid or not. */
function readRefs(text: string): string[] {
  return parseAllDocuments(text).flatMap((d) => {
    const ref = (d.errors.length === 0 ? (d.toJS() as { spec?: { indicatorRef?: unknown } } | null) : null)?.spec?.indicatorRef;
    return typeof ref === "string" ? [ref] : [];
  });
}

/** Documents of one kind by name; a name given twice is a problem. */
function byName<K extends OpenSloDocument["kind"]>(
  report: Report,
  docs: readonly Located[],
  kind: K,
): Map<string, Located<Extract<OpenSloDocument, { kind: K }>>> {
  const map = new Map<string, Located<Extract<OpenSloDocument, { kind: K }>>>();
  for (const at of docs.filter((d) => d.doc.kind === kind)) {
    if (map.has(at.doc.metadata.name)) report(at, ["metadata", "name"], `must be unique among the file's ${kind} documents`);
    else map.set(at.doc.metadata.name, at as Located<Extract<OpenSloDocument, { kind: K }>>);
  }
  return map;
}

/**
 * The services an OpenSLO v1 file declares, as spec inputs validated by the service schema (the
 * catalog's own checks, unique names across services, come with buildCatalog). `file` names the
 * file in messages. Throws {@link OpenSloImportError} with every problem.
 */
export function importOpenSlo(file: string, text: string): ServiceSpecInput[] {
  const problems: string[] = [];
  const report: Report = (at, path, message) => problems.push(...formatProblems([{ path, message }], { input: at.raw, context: () => [whereOf(file, at)] }));
  const docs = readDocuments(file, text, problems);
  const services = byName(report, docs, "Service");
  const slos = [...byName(report, docs, "SLO").values()];
  const slis = byName(report, docs, "SLI") as Map<string, Located>;
  for (const slo of slos.filter((s) => !services.has(s.doc.spec.service))) {
    report(slo, ["spec", "service"], `must name a Service document of the file (${[...services.keys()].join(", ") || "none"})`);
  }
  // Read from every document as written, so an SLO refused for its shape does not make its SLI look unused.
  const refs = new Set(readRefs(text));
  for (const sli of slis.values()) if (!refs.has(sli.doc.metadata.name)) report(sli, ["metadata", "name"], "must be named by an SLO's indicatorRef");
  if (services.size === 0 && docs.length > 0) problems.push(`${file} must hold a Service document: its labels give the team and namespace`);
  const read = [...services.values()].map((service) =>
    readService(
      report,
      service,
      slos.filter((s) => s.doc.spec.service === service.doc.metadata.name),
      slis,
    ),
  );
  if (problems.length > 0) throw new OpenSloImportError(file, [...new Set(problems)]);
  for (const { input, origins } of read) {
    const result = serviceSpecSchema.safeParse(input);
    if (result.success) continue;
    const context = (path: readonly PropertyKey[]) => {
      const origin = originOf(origins, path);
      const from = origin === undefined ? [] : [`from ${formatPath(origin.path) || "the document"} of ${whereOf(file, origin.at)}`];
      return [...serviceErrorContext(input, path), ...from];
    };
    problems.push(...formatIssues(result.error.issues, { input, context }));
  }
  if (problems.length > 0) throw new OpenSloImportError(file, [...new Set(problems)]);
  return read.map((r) => r.input as ServiceSpecInput);
}
