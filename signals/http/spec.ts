/** The `red` part of a service spec: RED alert thresholds keyed by severity. */
import { z } from "zod";
import { positiveDurationSchema } from "../../model/duration";
import { nonNegative, openRatio, positive } from "../../model/schema-primitives";
import { bucketsInSeconds } from "../../model/service-core";
import { SEVERITIES } from "../../model/severity";
import { formatNumber } from "../../kit/promql";
import type { IssueReporter, ParsedServiceView } from "../kind";
import { thresholdTierSchema, tierLevels } from "./thresholds";

const severity = z.enum(SEVERITIES);

const errorRatioThreshold = z.strictObject({
  /** Alert when the 5xx ratio exceeds this (0.05 = 5%). */
  maxRatio: openRatio,
  /** @default "10m" */
  for: positiveDurationSchema.default("10m"),
});

const latencyThreshold = z.strictObject({
  /** Alert when p95 latency exceeds this many seconds. */
  maxSeconds: positive,
  /** @default "15m" */
  for: positiveDurationSchema.default("15m"),
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
  /**
   * Threshold tiers: a spec's plain threshold alerts beside the burn-rate ones, each scoped to
   * routes, over its own window, keyed by severity (signals/http/thresholds.ts), e.g.
   * `[{ name: "api-v1-p95", kind: "latency", routes: ["/api/v1/*"], levels: { warning: { maxSeconds: 0.45 } } }]`.
   * @default []
   */
  thresholds: z.array(thresholdTierSchema).default([]),
});

/** The RED part of a validated spec. */
export type RedSpec = z.output<typeof redSchema>;

/** A p95 threshold outside the histogram's buckets can never be crossed (or always is). */
export function refineRed(service: ParsedServiceView, red: RedSpec, issue: IssueReporter): void {
  if (!red.enabled) return;
  if (service.metrics.buckets.some((b, i) => i > 0 && b <= service.metrics.buckets[i - 1]!)) return; // reported by the core
  const buckets = bucketsInSeconds(service.metrics);
  const top = buckets[buckets.length - 1]!;
  const names = red.thresholds.map((t) => t.name);
  red.thresholds.forEach((tier, i) => {
    if (names.indexOf(tier.name) !== i) issue(["thresholds", i, "name"], "must be unique among the service's threshold tiers");
    if (tier.kind !== "latency") return;
    for (const level of tierLevels(tier)) {
      if (level.max >= top || level.max < buckets[0]!) {
        issue(
          ["thresholds", i, "levels", level.severity, "maxSeconds"],
          `must be within the histogram's buckets [${formatNumber(buckets[0]!)}, ${formatNumber(top)}), or the quantile can never cross it`,
        );
      }
    }
  });
  for (const [severity, threshold] of Object.entries(red.latencyP95)) {
    if (threshold !== undefined && (threshold.maxSeconds >= top || threshold.maxSeconds < buckets[0]!)) {
      issue(
        ["latencyP95", severity, "maxSeconds"],
        `must be within the histogram's buckets [${formatNumber(buckets[0]!)}, ${formatNumber(top)}), or p95 can never cross it`,
      );
    }
  }
}
