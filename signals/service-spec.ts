/**
 * One service as the rule builders see it: names of its metrics and labels, RED thresholds, SLOs,
 * dependencies, queues, jobs, sockets and probes. Validated once by {@link parseServiceSpec};
 * everything downstream takes the resolved {@link ServiceSpec}.
 */
import { z } from "zod";
import { burnThreshold } from "./slo/burn-rate";
import { formatNumber } from "../kit/promql";
import {
  dependenciesSchema,
  jobsSchema,
  kebabName,
  metricsSchema,
  probesSchema,
  queueSchema,
  scrapeSchema,
  redSchema,
  sloSchema,
  socketsSchema,
} from "./spec-parts";

const schema = z.strictObject({
  /** kebab-case; the `service` label of every alert and recorded series. */
  name: kebabName,
  /** Owning team; must have receivers in every environment's alerting profile. */
  team: z.string().min(1, "must not be empty: every alert is routed by its team").pipe(kebabName),
  /** Kubernetes namespace the service runs in. */
  namespace: z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, "must be a Kubernetes namespace name"),
  /** Criticality, for dashboards and reviews. @default - untiered */
  tier: z.enum(["tier-1", "tier-2", "tier-3"]).optional(),
  /** @default - every default of {@link metricsSchema} */
  metrics: metricsSchema.prefault({}),
  /** @default - warning on 5xx ratio > 5% for 10m and p95 > 400 ms for 15m */
  red: redSchema.prefault({}),
  /** @default [] */
  slos: z.array(sloSchema).default([]),
  /** @default - none */
  dependencies: dependenciesSchema.prefault({}),
  /** @default [] */
  queues: z.array(queueSchema).default([]),
  /** @default - no job alerts */
  jobs: jobsSchema.optional(),
  /** @default - no socket alerts */
  sockets: socketsSchema.optional(),
  /** @default - no probe alerts */
  probes: probesSchema.prefault({}),
  /** @default - a ServiceMonitor on port "http", path "/metrics", selecting app.kubernetes.io/name=<name> */
  scrape: scrapeSchema.prefault({}),
  /** RE2 regex of the service's pod names, for the restart alert. @default "<name>-.*" */
  podNamePattern: z.string().min(1).optional(),
});

type Parsed = z.output<typeof schema>;

/** Checks that need more than one field: buckets, thresholds against buckets, unique names. */
function crossCheck(spec: Parsed, ctx: z.RefinementCtx): void {
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path, message });
  const buckets = spec.metrics.buckets;
  if (buckets.some((b, i) => i > 0 && b <= buckets[i - 1]!)) {
    issue(["metrics", "buckets"], "must be strictly ascending");
    return;
  }
  const top = buckets[buckets.length - 1]!;
  const bucketList = buckets.map(formatNumber).join(", ");
  for (const [severity, threshold] of spec.red.enabled ? Object.entries(spec.red.latencyP95) : []) {
    if (threshold !== undefined && (threshold.maxSeconds >= top || threshold.maxSeconds < buckets[0]!)) {
      issue(["red", "latencyP95", severity, "maxSeconds"], `must be within the histogram's buckets [${formatNumber(buckets[0]!)}, ${formatNumber(top)}), or p95 can never cross it`);
    }
  }
  spec.slos.forEach((slo, i) => {
    if (slo.kind === "latency" && !buckets.some((b) => formatNumber(b) === formatNumber(slo.latencyThresholdSeconds))) {
      issue(["slos", i, "latencyThresholdSeconds"], `must be one of the histogram's bucket boundaries (${bucketList})`);
    }
    const unreachable = slo.burnRateAlerts.find((alert) => burnThreshold(alert.factor, slo.objective) >= 1);
    if (unreachable !== undefined) {
      const threshold = formatNumber(burnThreshold(unreachable.factor, slo.objective));
      issue(["slos", i, "objective"], `must keep every burn-rate threshold below 1, an error ratio's maximum (${formatNumber(unreachable.factor)} x (1 - objective) = ${threshold})`);
    }
  });
  const unique = (prefix: (string | number)[], names: readonly string[], scope: string) =>
    names.forEach((name, i) => {
      if (names.indexOf(name) !== i) issue([...prefix, i, "name"], `must be unique ${scope}`);
    });
  unique(["slos"], spec.slos.map((s) => s.name), "among the service's SLOs");
  unique(["queues"], spec.queues.map((q) => q.name), "among the service's queues");
  unique(["probes", "canaries"], spec.probes.canaries.map((c) => c.name), "among the service's canaries");
  spec.dependencies.services.forEach((name, i) => {
    if (name === spec.name) issue(["dependencies", "services", i], "must name another service, not the service itself");
  });
  const redis = spec.dependencies.redis.map((d) => d.name);
  unique(["dependencies", "redis"], redis, "across redis and postgres dependencies");
  spec.dependencies.postgres.forEach((d, i) => {
    const earlier = spec.dependencies.postgres.slice(0, i).map((p) => p.name);
    if (redis.includes(d.name) || earlier.includes(d.name)) issue(["dependencies", "postgres", i, "name"], "must be unique across redis and postgres dependencies");
  });
}

/** Fills the defaults that depend on other fields (jobs and the pod pattern default to the name). */
function resolve(spec: Parsed) {
  const job = spec.metrics.job ?? spec.name;
  const withJob = <T extends { readonly job?: string | undefined }>(d: T) => ({ ...d, job: d.job ?? job });
  return {
    ...spec,
    metrics: { ...spec.metrics, job },
    dependencies: { ...spec.dependencies, redis: spec.dependencies.redis.map(withJob), postgres: spec.dependencies.postgres.map(withJob) },
    podNamePattern: spec.podNamePattern ?? `${spec.name}-.*`,
    scrape: { ...spec.scrape, selector: spec.scrape.selector ?? { "app.kubernetes.io/name": spec.name } },
  };
}

/** The zod schema of one service; its output is a {@link ServiceSpec} with every default resolved. */
export const serviceSpecSchema = schema.superRefine(crossCheck).transform(resolve);

/** A service spec as written in `services/`. */
export type ServiceSpecInput = z.input<typeof serviceSpecSchema>;
/** A validated service spec, every default resolved. */
export type ServiceSpec = Readonly<z.output<typeof serviceSpecSchema>>;
/** One SLO of a service. */
export type SloSpec = ServiceSpec["slos"][number];
/** One Redis or Postgres dependency. */
export type DependencySpec = ServiceSpec["dependencies"]["redis"][number];
/** One queue. */
export type QueueSpec = ServiceSpec["queues"][number];

/** `a.b[0].c` */
function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, key) => (typeof key === "number" ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)), "");
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>((v, key) => (v !== null && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[key] : undefined), input);
}

function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** `(service "edge", slo "availability")`: names of the service and of the list item the path is in. */
function context(input: unknown, path: readonly PropertyKey[]): string {
  const parts = [`service ${describe(valueAt(input, ["name"]))}`];
  const item: Record<string, readonly PropertyKey[]> = { slos: ["slos"], queues: ["queues"], redis: ["dependencies", "redis"], postgres: ["dependencies", "postgres"] };
  for (const [kind, prefix] of Object.entries(item)) {
    const index = path[prefix.length];
    if (prefix.every((p, i) => path[i] === p) && typeof index === "number") {
      const label = kind === "slos" ? "slo" : kind === "queues" ? "queue" : kind;
      parts.push(`${label} ${describe(valueAt(input, [...prefix, index, "name"]))}`);
    }
  }
  return `(${parts.join(", ")})`;
}

function message(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_type":
      return `must be ${/^[aeiou]/.test(issue.expected) ? "an" : "a"} ${issue.expected}`;
    case "invalid_value":
      return `must be one of ${issue.values.map((v) => String(v)).join(", ")}`;
    case "too_small":
      return issue.origin === "array" ? `must have at least ${String(issue.minimum)} item(s)` : issue.message.startsWith("must") ? issue.message : `must be >= ${String(issue.minimum)}`;
    case "invalid_union": {
      // A discriminated union's unknown discriminator: "Invalid discriminator value. Expected 'a' | 'b'".
      const expected = issue.message.match(/Expected (.*)$/)?.[1];
      return expected ? `must be one of ${expected.replace(/'/g, "").split(" | ").join(", ")}` : `must match one of its forms`;
    }
    default:
      return issue.message.startsWith("must") ? issue.message : `must be valid: ${issue.message.toLowerCase()}`;
  }
}

/** One line per problem: `<path> <what is allowed>, got <value> (service "x"[, slo "y"])`. */
export function formatServiceSpecIssues(input: unknown, issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.flatMap((issue): string[] => {
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => `${formatPath([...issue.path, key])} is not a known field ${context(input, issue.path)}`);
    }
    if (issue.code === "invalid_union" && issue.errors.length > 0 && issue.errors.every((e) => e.length > 0)) {
      const best = issue.errors.reduce((a, b) => (a.length <= b.length ? a : b));
      return formatServiceSpecIssues(input, best.map((nested) => ({ ...nested, path: [...issue.path, ...nested.path] })));
    }
    const path = issue.path;
    return [`${formatPath(path) || "(root)"} ${message(issue)}, got ${describe(valueAt(input, path))} ${context(input, path)}`];
  });
}

/** Thrown by {@link parseServiceSpec}; `problems` has one line per issue. */
export class ServiceSpecError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid service spec:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ServiceSpecError";
  }
}

/** Validates one service and resolves its defaults; throws {@link ServiceSpecError} naming every problem. */
export function parseServiceSpec(input: unknown): ServiceSpec {
  const result = serviceSpecSchema.safeParse(input);
  if (!result.success) throw new ServiceSpecError(formatServiceSpecIssues(input, result.error.issues));
  return result.data;
}

/** A service's health URLs the blackbox exporter probes: readiness, then liveness. */
export function healthProbeUrls(service: Pick<ServiceSpec, "probes">): string[] {
  return [service.probes.readinessUrl, service.probes.livenessUrl].filter((u): u is string => u !== undefined);
}

/** Every URL probed for a service: its health URLs, then its canaries. */
export function probedUrls(service: Pick<ServiceSpec, "probes">): string[] {
  return [...healthProbeUrls(service), ...service.probes.canaries.map((c) => c.url)];
}

/** {@link parseServiceSpec} with the input type-checked: what `services/*.ts` call. */
export function defineService(input: ServiceSpecInput): ServiceSpec {
  return parseServiceSpec(input);
}
