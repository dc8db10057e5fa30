/**
 * The parts of a service spec (metrics, RED thresholds, SLOs, dependencies, queues, jobs, sockets,
 * probes) as zod schemas. Every optional field states its default here, once; `service-spec.ts`
 * assembles them and adds the checks that need the whole service.
 */
import { z } from "zod";
import { DEFAULT_BURN_RATE_ALERTS, SLO_WINDOWS } from "./slo/burn-rate";
import { isDuration } from "../model/duration";
import { SEVERITIES } from "../model/severity";

/** Lowercase words joined by `-`: service, team, SLO and dependency names. */
export const kebabName = z.string().regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, "must be kebab-case (a-z, 0-9 and '-')");
/** A raw metric name; `:` is reserved for recorded series. */
export const metricName = z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, "must be a metric name ([a-zA-Z_][a-zA-Z0-9_]*)");
/** A label name. */
export const labelName = z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, "must be a label name ([a-zA-Z_][a-zA-Z0-9_]*)");
/** A Prometheus duration. */
export const duration = z.string().refine(isDuration, "must be a duration such as 30s, 5m, 1h");
/** A ratio strictly between 0 and 1. */
export const openRatio = z.number().gt(0, "must be in (0, 1)").lt(1, "must be in (0, 1)");
const positive = z.number().positive("must be > 0");
const nonNegative = z.number().nonnegative("must be >= 0");
const severity = z.enum(SEVERITIES);

/** The Prometheus client libraries' default histogram buckets, in seconds. */
export const DEFAULT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

/** Names of a service's HTTP metrics and of their labels. */
export const metricsSchema = z.strictObject({
  /** Request counter. @default "http_requests_total" */
  requests: metricName.default("http_requests_total"),
  /** Label of the HTTP status code on the counter. @default "code" */
  codeLabel: labelName.default("code"),
  /** Label of the route template. @default "route" */
  routeLabel: labelName.default("route"),
  /** Label of the HTTP method. @default "method" */
  methodLabel: labelName.default("method"),
  /** Request duration histogram, without `_bucket`. @default "http_request_duration_seconds" */
  durationHistogram: metricName.default("http_request_duration_seconds"),
  /** The histogram's bucket boundaries in seconds, ascending. @default DEFAULT_BUCKETS */
  buckets: z.array(positive).min(1, "must name at least one bucket").default([...DEFAULT_BUCKETS]),
  /** The `job` label of the service's scrape. @default - the service name */
  job: z.string().min(1).optional(),
});

const errorRatioThreshold = z.strictObject({
  /** Alert when the 5xx ratio exceeds this (0.05 = 5%). */
  maxRatio: openRatio,
  /** @default "10m" */
  for: duration.default("10m"),
});

const latencyThreshold = z.strictObject({
  /** Alert when p95 latency exceeds this many seconds. */
  maxSeconds: positive,
  /** @default "15m" */
  for: duration.default("15m"),
});

/** RED alert thresholds, keyed by severity; recording rules need no input. */
export const redSchema = z.strictObject({
  /** False for services that serve no HTTP (workers): no RED rules at all. @default true */
  enabled: z.boolean().default(true),
  /** 5xx ratio thresholds. @default { warning: { maxRatio: 0.05, for: "10m" } } */
  errorRatio: z.partialRecord(severity, errorRatioThreshold).default({ warning: { maxRatio: 0.05, for: "10m" } }),
  /** p95 latency thresholds. @default { warning: { maxSeconds: 0.4, for: "15m" } } */
  latencyP95: z.partialRecord(severity, latencyThreshold).default({ warning: { maxSeconds: 0.4, for: "15m" } }),
  /** Below this request rate RED alerts stay quiet: one failure of three is no incident. @default 0.1 */
  minRequestsPerSecond: nonNegative.default(0.1),
  /** Alert once per service, or once per route (`route` label). @default "service" */
  alertPer: z.enum(["service", "route"]).default("service"),
});

const burnRateAlertSchema = z
  .strictObject({ severity, factor: positive, longWindow: z.enum(SLO_WINDOWS), shortWindow: z.enum(SLO_WINDOWS) })
  .refine((a) => SLO_WINDOWS.indexOf(a.shortWindow) < SLO_WINDOWS.indexOf(a.longWindow), {
    message: "must be shorter than longWindow",
    path: ["shortWindow"],
  });

const sloCommon = {
  /** kebab-case, unique in the service; the `slo` label. */
  name: kebabName,
  /** Share of good events, in (0, 1): 0.999 for 99.9%. */
  objective: openRatio,
  /** Rolling period of the error budget. @default 30 */
  periodDays: z.number().int("must be a whole number of days").positive("must be > 0").default(30),
  /** Below this event rate (per second, averaged over the long window) burn alerts stay quiet. @default 0.1 */
  minEventsPerSecond: nonNegative.default(0.1),
  /** @default DEFAULT_BURN_RATE_ALERTS (14.4x 1h/5m and 6x 6h/30m page; 3x 1d/2h and 1x 3d/6h ticket) */
  burnRateAlerts: z.array(burnRateAlertSchema).min(1).default([...DEFAULT_BURN_RATE_ALERTS]),
};

/** Route templates an HTTP SLI is restricted to. @default - every route */
const routes = z.array(z.string().min(1)).min(1).optional();

/** Availability: requests not answered 5xx / all requests. */
export const availabilitySloSchema = z.strictObject({ kind: z.literal("availability"), ...sloCommon, routes });
/** Latency: requests in the `latencyThresholdSeconds` bucket / all requests. */
export const latencySloSchema = z.strictObject({
  kind: z.literal("latency"),
  ...sloCommon,
  routes,
  /** Must be one of the service's bucket boundaries. */
  latencyThresholdSeconds: positive,
});
/** Events: a counter whose outcome label says good or bad (push deliveries, uploads). */
export const eventsSloSchema = z.strictObject({
  kind: z.literal("events"),
  ...sloCommon,
  /** Counter of all attempts. */
  metric: metricName,
  /** @default "result" */
  outcomeLabel: labelName.default("result"),
  /** Outcomes that count as good; any other value is bad. @default ["success"] */
  goodOutcomes: z.array(z.string().min(1)).min(1).default(["success"]),
});
export const sloSchema = z.discriminatedUnion("kind", [availabilitySloSchema, latencySloSchema, eventsSloSchema]);

function dependencySchema(defaultLatencySeconds: number) {
  return z.strictObject({
    /** kebab-case; the `dependency` label Alertmanager inhibition keys on. */
    name: kebabName,
    /** 0/1 gauge: the service's own ping (`divan_redis_up`) or an exporter's (`redis_up`, `pg_up`, `up`). */
    upMetric: metricName,
    /** `job` of the series. @default - the service's job */
    job: z.string().min(1).optional(),
    /** Further equality matchers, e.g. `{ instance: "cache:6379" }`. @default {} */
    labels: z.record(labelName, z.string()).default({}),
    /** Summary or histogram (without `_sum`/`_count`) of the ping latency. @default - no latency alert */
    latencyMetric: metricName.optional(),
    /** Mean latency above which the latency alert fires. */
    latencyThresholdSeconds: positive.default(defaultLatencySeconds),
  });
}

/** Redis (readiness budget 200 ms) and Postgres (300 ms) instances the service needs, and the services it calls. */
export const dependenciesSchema = z.strictObject({
  /** @default [] */
  redis: z.array(dependencySchema(0.2)).default([]),
  /** @default [] */
  postgres: z.array(dependencySchema(0.3)).default([]),
  /** Names of catalog services this one calls; each must exist in the catalog. @default [] */
  services: z.array(kebabName).default([]),
});

/** How Prometheus scrapes the service: a ServiceMonitor (behind a Service) or a PodMonitor. */
export const scrapeSchema = z.strictObject({
  /** @default "serviceMonitor" */
  kind: z.enum(["serviceMonitor", "podMonitor"]).default("serviceMonitor"),
  /** Name of the Service's (or container's) metrics port. @default "http" */
  port: z.string().regex(/^[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?$/, "must be a port name (IANA_SVC_NAME, at most 15)").default("http"),
  /** @default "/metrics" */
  path: z.string().regex(/^\//, "must start with /").default("/metrics"),
  /** @default - Prometheus' global scrape interval */
  interval: duration.optional(),
  /** Labels of the Service (or pods) to scrape. @default { "app.kubernetes.io/name": <service name> } */
  selector: z.record(z.string().min(1), z.string()).optional(),
});

/** One work queue. */
export const queueSchema = z.strictObject({
  /** Value of `queueLabel` on the queue's series; the `queue` label of its alerts. */
  name: z.string().regex(/^[a-zA-Z0-9_.:-]+$/, "must be a queue name ([a-zA-Z0-9_.:-]+)"),
  /** @default "queue" */
  queueLabel: labelName.default("queue"),
  /** Gauge: messages waiting. */
  depthMetric: metricName,
  /** Gauge: age in seconds of the oldest waiting message. */
  ageMetric: metricName,
  /** Gauge (or counter) of dead-lettered messages. @default - no dead-letter alert */
  deadLetterMetric: metricName.optional(),
  /** Oldest-message age the queue promises not to exceed. */
  slaSeconds: positive,
  /** Depth above which the backlog alert fires. */
  maxDepth: positive,
  /** How far ahead the age forecast looks; at least 15m, or it warns barely before the breach. @default 3600 */
  forecastHorizonSeconds: z.number().min(900, "must be at least 900 (15m)").default(3600),
});

/** Background job runs. */
export const jobsSchema = z.strictObject({
  /** Counter of finished runs, e.g. `divan_jobs_runs_total{name,result}`. */
  runsMetric: metricName,
  /** @default "name" */
  nameLabel: labelName.default("name"),
  /** @default "result" */
  resultLabel: labelName.default("result"),
  /** @default ["failure"] */
  failureResults: z.array(z.string().min(1)).min(1).default(["failure"]),
  /** Counter of retries, labelled by `nameLabel`. @default - no retry alert */
  retriesMetric: metricName.optional(),
  /** @default 0.1 */
  maxFailureRatio: openRatio.default(0.1),
  /** Retries per finished run. @default 0.2 */
  maxRetryRatio: positive.default(0.2),
  /** @default "10m" */
  for: duration.default("10m"),
});

/** Socket.IO connected clients. */
export const socketsSchema = z.strictObject({
  /** Gauge, e.g. `divan_socketio_clients{namespace}`. */
  clientsMetric: metricName,
  /**
   * Label of the Socket.IO namespace. Note: scraped through a ServiceMonitor without
   * `honorLabels`, an app's `namespace` label arrives as `exported_namespace`.
   * @default "namespace"
   */
  namespaceLabel: labelName.default("namespace"),
  /** @default 0.5 */
  maxDropRatio: openRatio.default(0.5),
  /** Drops from fewer clients than this are not alerted on. @default 10 */
  minClients: nonNegative.default(10),
});

/** A synthetic canary flow: a URL the blackbox exporter calls like a user would. */
export const canarySchema = z.strictObject({
  /** kebab-case, unique in the service. */
  name: kebabName,
  url: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }),
  /** Blackbox module (helm-values/blackbox-exporter.ts). @default "http_2xx_json" */
  module: z.enum(["http_2xx", "http_2xx_json"]).default("http_2xx_json"),
});

/** Blackbox probes; `probe_success` carries `instance` = URL. */
export const probesSchema = z.strictObject({
  /** Canary flows, probed for dashboards. @default [] */
  canaries: z.array(canarySchema).default([]),
  /** @default - no readiness alert */
  readinessUrl: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).optional(),
  /** Probed for dashboards; no alert of its own (readiness covers serving). @default - not probed */
  livenessUrl: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).optional(),
});
