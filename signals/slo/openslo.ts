/**
 * OpenSLO v1 documents (github.com/OpenSLO/OpenSLO, README "v1"): the `Service`, `SLO` and `SLI`
 * kinds as the specification writes them, and the label and annotation keys by which the product
 * carries what OpenSLO has no field for (team, namespace, tier, scrape job; burn-rate alerts).
 *
 * The schema accepts every field the specification defines, so that what the product cannot
 * express (Timeslices, thresholdMetric, raw ratios, ...) is refused by the mapping with the field
 * and its value (openslo-import.ts); a field the specification does not define is refused here.
 */
import { z } from "zod";

/** The `apiVersion` of every document. */
export const OPENSLO_API_VERSION = "openslo/v1";

/** The prefix of the product's labels and annotations (a DNS label, as OpenSLO asks of prefixes). */
export const OPENSLO_PREFIX = "observability-stack";

/** Labels of a `Service` document that give the product's service core. */
export const SERVICE_LABELS = {
  /** Owning team (model/teams.ts); required. */
  team: `${OPENSLO_PREFIX}/team`,
  /** Kubernetes namespace the service runs in; required. */
  namespace: `${OPENSLO_PREFIX}/namespace`,
  /** `tier-1`, `tier-2` or `tier-3`. @default - untiered */
  tier: `${OPENSLO_PREFIX}/tier`,
  /** The `job` label of the service's scrape. @default - the service name */
  job: `${OPENSLO_PREFIX}/job`,
} as const;

/** Annotations of an `SLO` document. */
export const SLO_ANNOTATIONS = {
  /** The product's SLO name, when `metadata.name` is made unique across services (`<service>-<slo>`). @default - metadata.name */
  slo: `${OPENSLO_PREFIX}/slo`,
  /** Burn alerts stay quiet below this event rate per second. @default "0.1" */
  minEventsPerSecond: `${OPENSLO_PREFIX}/min-events-per-second`,
  /** The burn-rate alerts as JSON, `[{"severity":"critical","factor":14.4,"longWindow":"1h","shortWindow":"5m"}, ...]`. @default - the product's four */
  burnRateAlerts: `${OPENSLO_PREFIX}/burn-rate-alerts`,
  /** Written by the export: the product kind the SLO was exported from (read back as `ratio` whatever it says). */
  kind: `${OPENSLO_PREFIX}/kind`,
  /** Written by the export: how the document differs from what the product measures. */
  approximation: `${OPENSLO_PREFIX}/approximation`,
} as const;

/** Labels: string values, or lists of them (OpenSLO allows both). */
const labels = z.record(z.string(), z.union([z.string(), z.array(z.string())]));

const metadataSchema = z.strictObject({
  name: z.string().min(1),
  displayName: z.string().optional(),
  labels: labels.optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});

/** Where a metric is read: a data source's type (and reference) and its query fields. */
const metricSourceSchema = z.strictObject({
  metricSource: z.strictObject({
    metricSourceRef: z.string().optional(),
    type: z.string().optional(),
    /** The data source's own fields; for Prometheus, `query`. */
    spec: z.record(z.string(), z.unknown()),
  }),
});

/** Metric source of one side of a ratio, or of a threshold SLI. */
export type OpenSloMetricSource = z.output<typeof metricSourceSchema>;

const ratioMetricSchema = z.strictObject({
  counter: z.boolean().optional(),
  good: metricSourceSchema.optional(),
  bad: metricSourceSchema.optional(),
  total: metricSourceSchema.optional(),
  rawType: z.enum(["success", "failure"]).optional(),
  raw: metricSourceSchema.optional(),
});

/** The `spec` of an SLI, inline or its own document. */
export const sliSpecSchema = z.strictObject({
  description: z.string().max(1050).optional(),
  thresholdMetric: metricSourceSchema.optional(),
  ratioMetric: ratioMetricSchema.optional(),
});

/** An SLI's `spec`. */
export type OpenSloSliSpec = z.output<typeof sliSpecSchema>;

const timeWindowSchema = z.strictObject({
  duration: z.string().min(1),
  isRolling: z.boolean().optional(),
  calendar: z.strictObject({ startTime: z.string().min(1), timeZone: z.string().min(1) }).optional(),
});

const objectiveSchema = z.strictObject({
  displayName: z.string().optional(),
  op: z.enum(["lte", "gte", "lt", "gt"]).optional(),
  value: z.number().optional(),
  target: z.number().min(0).lt(1).optional(),
  targetPercent: z.number().min(0).lt(100).optional(),
  timeSliceTarget: z.number().gt(0).max(1).optional(),
  timeSliceWindow: z.union([z.number(), z.string()]).optional(),
});

/** The `spec` of an SLO. */
const sloSpecSchema = z.strictObject({
  description: z.string().max(1050).optional(),
  service: z.string().min(1),
  indicator: z.strictObject({ metadata: metadataSchema, spec: sliSpecSchema }).optional(),
  indicatorRef: z.string().min(1).optional(),
  timeWindow: z.array(timeWindowSchema).optional(),
  budgetingMethod: z.enum(["Occurrences", "Timeslices", "RatioTimeslices"]),
  objectives: z.array(objectiveSchema).min(1),
  alertPolicies: z.array(z.unknown()).optional(),
});

const envelope = { apiVersion: z.literal(OPENSLO_API_VERSION), metadata: metadataSchema };

/** One OpenSLO v1 document the product reads: a Service, an SLO or an SLI. */
export const openSloDocumentSchema = z.discriminatedUnion("kind", [
  z.strictObject({ ...envelope, kind: z.literal("Service"), spec: z.strictObject({ description: z.string().max(1050).optional() }).prefault({}) }),
  z.strictObject({ ...envelope, kind: z.literal("SLO"), spec: sloSpecSchema }),
  z.strictObject({ ...envelope, kind: z.literal("SLI"), spec: sliSpecSchema }),
]);

/** A validated OpenSLO document. */
export type OpenSloDocument = z.output<typeof openSloDocumentSchema>;
/** A validated `SLO` document. */
export type OpenSloSlo = Extract<OpenSloDocument, { kind: "SLO" }>;
/** A validated `Service` document. */
export type OpenSloService = Extract<OpenSloDocument, { kind: "Service" }>;
