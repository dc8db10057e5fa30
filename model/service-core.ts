/**
 * The part of a service spec every kind of signal reads: who the service is (name, team,
 * namespace), how its HTTP metrics are named, how it is scraped, its pods, and the names of its
 * dependencies. The kinds' own parts (RED thresholds, SLOs, queues, ...) live in `signals/<kind>/`;
 * `signals/service-spec.ts` assembles the whole spec from the registry.
 */
import { z } from "zod";
import { alertOverridesSchema } from "./alert-overrides";
import { positiveDurationSchema } from "./duration";
import { kebabName, kubernetesLabels, kubernetesName, labelName, metricName, portName, positive, re2Regex } from "./schema-primitives";
import { teamName } from "./teams";

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
  /**
   * Counter of failed requests, for a service that counts them apart from `requests`
   * (`ai_request_errors_total`, with the same route and method labels): the error rate is its rate
   * over the rate of `requests`, and `codeLabel` is not read.
   * @default - `requests` answered 5xx (`codeLabel` matching 5..)
   */
  errors: metricName.optional(),
  /** Request duration histogram, without `_bucket`. @default "http_request_duration_seconds" */
  durationHistogram: metricName.default("http_request_duration_seconds"),
  /**
   * Unit of the histogram's observations and of `buckets` (`ai_request_duration_ms` observes
   * milliseconds). Recorded quantiles and every threshold stay in seconds.
   * @default "seconds"
   */
  durationUnit: z.enum(["seconds", "milliseconds"]).default("seconds"),
  /** The histogram's bucket boundaries in `durationUnit`, ascending. @default DEFAULT_BUCKETS (seconds) */
  buckets: z
    .array(positive)
    .min(1, "must name at least one bucket")
    .default([...DEFAULT_BUCKETS]),
  /** The `job` label of the service's scrape. @default - the service name */
  job: z.string().min(1).optional(),
});

/** Seconds per unit of a duration histogram. */
export const SECONDS_PER_DURATION_UNIT = { seconds: 1, milliseconds: 0.001 } as const;

/** The histogram's bucket boundaries in seconds, whatever unit it observes. */
export function bucketsInSeconds(metrics: { readonly buckets: readonly number[]; readonly durationUnit: keyof typeof SECONDS_PER_DURATION_UNIT }): number[] {
  const perUnit = SECONDS_PER_DURATION_UNIT[metrics.durationUnit];
  return metrics.buckets.map((b) => Number((b * perUnit).toPrecision(12)));
}

/** How Prometheus scrapes the service: a ServiceMonitor (behind a Service) or a PodMonitor. */
export const scrapeSchema = z.strictObject({
  /** @default "serviceMonitor" */
  kind: z.enum(["serviceMonitor", "podMonitor"]).default("serviceMonitor"),
  /** Name of the Service's (or container's) metrics port. @default "http" */
  port: portName.default("http"),
  /** @default "/metrics" */
  path: z.string().regex(/^\//, "must start with /").default("/metrics"),
  /** @default - Prometheus' global scrape interval */
  interval: positiveDurationSchema.optional(),
  /** Labels of the Service (or pods) to scrape. @default { "app.kubernetes.io/name": <service name> } */
  selector: kubernetesLabels.optional(),
});

/** A downstream service of the catalog this one calls: `{ kind: "service", name: "core-api" }`. */
export const serviceDependencySchema = z.strictObject({
  kind: z.literal("service"),
  /** Name of a service of the catalog; the catalog checks it exists. */
  name: kebabName,
});

/** The fields of the spec that are not a kind's part. */
export const serviceCoreShape = {
  /** kebab-case; the `service` label of every alert and recorded series. */
  name: kebabName,
  /** Owning team, one of model/teams.ts; every environment's profile gives it receivers. */
  team: z.string().min(1, "must not be empty: every alert is routed by its team").pipe(teamName),
  /** Kubernetes namespace the service runs in. */
  namespace: kubernetesName,
  /** Criticality, for dashboards and reviews. @default - untiered */
  tier: z.enum(["tier-1", "tier-2", "tier-3"]).optional(),
  /** @default - every default of {@link metricsSchema} */
  metrics: metricsSchema.prefault({}),
  /** @default - a ServiceMonitor on port "http", path "/metrics", selecting app.kubernetes.io/name=<name> */
  scrape: scrapeSchema.prefault({}),
  /** RE2 regex of the service's pod names, for the restart alert. @default "<name>-.*" */
  podNamePattern: re2Regex.optional(),
  /**
   * Per-alert severity and team overrides (model/alert-overrides.ts), e.g.
   * `[{ alert: "QueueBacklogHigh", where: { queue: "q_import" }, severity: "critical" }]`.
   * @default [] - every alert as its kind raises it
   */
  alertOverrides: alertOverridesSchema,
};

/** What every dependency of the list is: its kind (`redis`, `postgres`, `service`, ...) and its name. */
export interface DependencyRef {
  readonly kind: string;
  /** kebab-case, unique among the service's dependencies; the `dependency` label of its alerts. */
  readonly name: string;
}

type ParsedCore = z.output<z.ZodObject<typeof serviceCoreShape>>;

/** The resolved core of a service: defaults that depend on other fields filled in. */
export interface ServiceCore extends Omit<ParsedCore, "metrics" | "scrape" | "podNamePattern"> {
  readonly metrics: ParsedCore["metrics"] & { readonly job: string };
  readonly scrape: ParsedCore["scrape"] & { readonly selector: Readonly<Record<string, string>> };
  readonly podNamePattern: string;
  readonly dependencies: readonly DependencyRef[];
}

/** Fills the core's defaults that depend on other fields: the job and pod pattern follow the name. */
export function resolveCore<T extends ParsedCore & { readonly dependencies: readonly DependencyRef[] }>(spec: T) {
  return {
    ...spec,
    metrics: { ...spec.metrics, job: spec.metrics.job ?? spec.name },
    podNamePattern: spec.podNamePattern ?? `${spec.name}-.*`,
    scrape: { ...spec.scrape, selector: spec.scrape.selector ?? { "app.kubernetes.io/name": spec.name } },
  };
}
