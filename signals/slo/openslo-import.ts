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
import { formatIssues, formatPath, formatProblems, ValidationError } from "../../model/validation-error";
import { serviceErrorContext, serviceSpecSchema, type ServiceSpecInput } from "../service-spec";
import { openSloDocumentSchema, OPENSLO_PREFIX, SERVICE_LABELS, type OpenSloDocument, type OpenSloService, type OpenSloSlo } from "./openslo";
import { readSlo, type Located, type Origin, type Report } from "./openslo-slo";

/** Thrown when an OpenSLO file does not map to service specs; one line per problem. */
export class OpenSloImportError extends ValidationError {
  constructor(file: string, problems: readonly string[]) {
    super(`invalid OpenSLO file ${JSON.stringify(file)}`, problems);
    this.name = "OpenSloImportError";
  }
}

function describeDocument(file: string, index: number, kind: unknown, name: unknown): string {
  const what = typeof kind === "string" ? kind : "document";
  return `${what}${typeof name === "string" ? ` ${JSON.stringify(name)}` : ""}, document ${index} of ${file}`;
}

function whereOf(file: string, at: Located): string {
  return describeDocument(file, at.index, at.doc.kind, at.doc.metadata.name);
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
