/**
 * Threshold tiers: a spec's plain threshold alerts on HTTP traffic, declared beside the burn-rate
 * alerts (spec field `red.thresholds`). Each tier reads the raw counter and histogram of the routes
 * it is scoped to over its own window, e.g. spec 004's "p95 of `/api/v1/*` above 450 ms in any
 * 5-minute window" or spec 003's "5xx above 2% over 5 minutes"; thresholds are keyed by severity,
 * so a tier's critical mutes its warning (both carry the tier's name as label `threshold`).
 */
import { z } from "zod";
import { durationSchema, positiveDurationSchema, type Duration } from "../../model/duration";
import { SECONDS_PER_DURATION_UNIT, type ServiceCore } from "../../model/service-core";
import { kebabName, openRatio, positive } from "../../model/schema-primitives";
import { SEVERITIES, type Severity } from "../../model/severity";
import { eq, formatNumber, histogramQuantile, rate, selector, sumBy, type LabelMatcher } from "../../kit/promql";
import { alertingRule } from "../../kit/rule";
import { routePatternMatchers, routePatternSchema } from "../../kit/route-patterns";
import type { AlertingRule, RuleContext } from "../../kit/rule-types";
import { errorSelector } from "./selectors";

/** The alerts of the tiers. */
export const THRESHOLD_ALERTS = {
  /** A quantile of the latency of a tier's routes above its threshold. */
  HttpLatencyThresholdExceeded: "HttpLatencyThresholdExceeded",
  /** The 5xx ratio of a tier's routes above its threshold. */
  HttpErrorRateThresholdExceeded: "HttpErrorRateThresholdExceeded",
} as const;

const severity = z.enum(SEVERITIES);

const common = {
  /** kebab-case, unique among the service's tiers; the `threshold` label of its alerts. */
  name: kebabName,
  /** Routes the tier reads, exact or as prefixes (`/api/v1/*`), summed together. @default - every route */
  routes: z.array(routePatternSchema).min(1, "must name at least one route (omit it for every route)").optional(),
  /** The window the quantile or ratio is computed over ("in any 5-minute window"). @default "5m" */
  window: positiveDurationSchema.default("5m"),
};

const latencyLevel = z.strictObject({
  /** Alert when the quantile exceeds this many seconds. */
  maxSeconds: positive,
  /** How long it must stay above; "0s" alerts on the first window above. @default "0s" */
  for: durationSchema.default("0s"),
});

const errorLevel = z.strictObject({
  /** Alert when the 5xx ratio exceeds this (0.02 = 2%). */
  maxRatio: openRatio,
  /** How long it must stay above; "0s" alerts on the first window above. @default "0s" */
  for: durationSchema.default("0s"),
});

/** A latency tier: `quantile` of the routes' request duration over `window`, per severity. */
const latencyTier = z.strictObject({
  ...common,
  kind: z.literal("latency"),
  /** @default 0.95 */
  quantile: openRatio.default(0.95),
  /** Thresholds by severity, e.g. `{ warning: { maxSeconds: 0.45 } }`. */
  levels: z.partialRecord(severity, latencyLevel).refine((l) => Object.keys(l).length > 0, "must give at least one severity"),
});

/** An error tier: the routes' 5xx ratio over `window`, per severity. */
const errorTier = z.strictObject({
  ...common,
  kind: z.literal("errors"),
  /** Thresholds by severity, e.g. `{ critical: { maxRatio: 0.05, for: "10m" } }`. */
  levels: z.partialRecord(severity, errorLevel).refine((l) => Object.keys(l).length > 0, "must give at least one severity"),
});

/** One threshold tier. */
export const thresholdTierSchema = z.discriminatedUnion("kind", [latencyTier, errorTier]);

/** One validated tier. */
export type ThresholdTier = z.output<typeof thresholdTierSchema>;
export type LatencyTier = Extract<ThresholdTier, { kind: "latency" }>;

/** One rule of a tier: its severity, threshold (seconds or ratio) and `for`. */
export interface TierLevel {
  readonly severity: Severity;
  readonly max: number;
  readonly for: Duration;
}

/** The tier's levels, lowest threshold first. */
export function tierLevels(tier: ThresholdTier): TierLevel[] {
  const entries = Object.entries(tier.levels) as [Severity, { maxSeconds?: number; maxRatio?: number; for: Duration } | undefined][];
  return entries
    .filter((e): e is [Severity, { maxSeconds?: number; maxRatio?: number; for: Duration }] => e[1] !== undefined)
    .map(([sev, l]) => ({ severity: sev, max: (l.maxSeconds ?? l.maxRatio)!, for: l.for }))
    .sort((a, b) => a.max - b.max);
}

/** The route matcher of a tier: exact routes and prefixes as one RE2 alternation, or none. */
export function routeMatchers(service: ServiceCore, tier: ThresholdTier): LabelMatcher[] {
  return routePatternMatchers(service.metrics.routeLabel, tier.routes);
}

/** `/api/v1/*, /health` or "every route", for summaries. */
function scopeText(tier: ThresholdTier): string {
  return tier.routes === undefined ? "every route" : tier.routes.join(", ");
}

/** The tier's expression above `max`, guarded by the request rate of its routes. */
function tierExpr(service: ServiceCore, tier: ThresholdTier, max: number, minRequestsPerSecond: number): string {
  const m = service.metrics;
  const scope = [eq("job", m.job), ...routeMatchers(service, tier)];
  const requests = sumBy([], rate(selector(m.requests, scope), tier.window));
  // Latency is compared in the histogram's own unit, so the expression reads like its buckets.
  const value =
    tier.kind === "latency"
      ? histogramQuantile(tier.quantile, sumBy(["le"], rate(selector(`${m.durationHistogram}_bucket`, scope), tier.window)))
      : `${sumBy([], rate(errorSelector(service, scope), tier.window))}\n/\n${requests}`;
  const threshold = tier.kind === "latency" ? Number((max / SECONDS_PER_DURATION_UNIT[m.durationUnit]).toPrecision(12)) : max;
  const above = `${value} > ${formatNumber(threshold)}`;
  // Both sides are aggregated to no labels: `on ()` only says so.
  return minRequestsPerSecond > 0 ? `(${above})\nand on ()\n${requests} >= ${formatNumber(minRequestsPerSecond)}` : above;
}

/** The alerting rule of one level of a tier. */
export function tierRule(service: ServiceCore, tier: ThresholdTier, level: TierLevel, minRequestsPerSecond: number, ctx: RuleContext): AlertingRule {
  const scope = scopeText(tier);
  const guard = `alerting from ${formatNumber(minRequestsPerSecond)} requests/s`;
  const text =
    tier.kind === "latency"
      ? {
          alert: THRESHOLD_ALERTS.HttpLatencyThresholdExceeded,
          summary: `${service.name} (${scope}): p${formatNumber(tier.quantile * 100)} latency above ${formatNumber(level.max * 1000)} ms over ${tier.window}`,
          description: `The ${formatNumber(tier.quantile * 100)}th percentile of request latency of ${service.name} on ${scope} over the last ${tier.window} has been above ${formatNumber(level.max * 1000)} ms for ${level.for} (threshold tier ${tier.name}, ${guard}).`,
        }
      : {
          alert: THRESHOLD_ALERTS.HttpErrorRateThresholdExceeded,
          summary: `${service.name} (${scope}): more than ${formatNumber(level.max * 100)}% of requests fail with 5xx over ${tier.window}`,
          description: `More than ${formatNumber(level.max * 100)}% of the requests to ${service.name} on ${scope} over the last ${tier.window} were answered 5xx, for ${level.for} (threshold tier ${tier.name}, ${guard}).`,
        };
  return alertingRule(
    {
      ...text,
      expr: tierExpr(service, tier, level.max, minRequestsPerSecond),
      for: level.for,
      severity: level.severity,
      service: service.name,
      team: service.team,
      labels: { threshold: tier.name },
    },
    ctx,
  );
}

/** Every rule of the tiers, tier by tier, lowest threshold first. */
export function thresholdRules(service: ServiceCore, tiers: readonly ThresholdTier[], minRequestsPerSecond: number, ctx: RuleContext): AlertingRule[] {
  return tiers.flatMap((tier) => tierLevels(tier).map((level) => tierRule(service, tier, level, minRequestsPerSecond, ctx)));
}
