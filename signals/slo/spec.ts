/** The `slos` part of a service spec: availability, latency and event SLOs with their burn-rate alerts. */
import { z } from "zod";
import { kebabName, labelName, metricName, nonNegative, openRatio, positive } from "../../model/schema-primitives";
import { SEVERITIES } from "../../model/severity";
import { formatNumber } from "../../kit/promql";
import type { IssueReporter, ParsedServiceView } from "../kind";
import { burnThreshold, DEFAULT_BURN_RATE_ALERTS, SLO_WINDOWS } from "./burn-rate";

const burnRateAlertSchema = z
  .strictObject({ severity: z.enum(SEVERITIES), factor: positive, longWindow: z.enum(SLO_WINDOWS), shortWindow: z.enum(SLO_WINDOWS) })
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
  burnRateAlerts: z
    .array(burnRateAlertSchema)
    .min(1)
    .default([...DEFAULT_BURN_RATE_ALERTS]),
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

/** One SLO, discriminated by `kind`. */
export const sloSchema = z.discriminatedUnion("kind", [availabilitySloSchema, latencySloSchema, eventsSloSchema]);

/** One validated SLO. */
export type SloSpec = z.output<typeof sloSchema>;

/** Latency thresholds on a bucket boundary, burn thresholds below 1, unique names. */
export function refineSlos(service: ParsedServiceView, slos: readonly SloSpec[], issue: IssueReporter): void {
  const buckets = service.metrics.buckets;
  const bucketList = buckets.map(formatNumber).join(", ");
  slos.forEach((slo, i) => {
    if (slo.kind === "latency" && !buckets.some((b) => formatNumber(b) === formatNumber(slo.latencyThresholdSeconds))) {
      issue([i, "latencyThresholdSeconds"], `must be one of the histogram's bucket boundaries (${bucketList})`);
    }
    const unreachable = slo.burnRateAlerts.find((alert) => burnThreshold(alert.factor, slo.objective) >= 1);
    if (unreachable !== undefined) {
      const threshold = formatNumber(burnThreshold(unreachable.factor, slo.objective));
      issue(
        [i, "objective"],
        `must keep every burn-rate threshold below 1, an error ratio's maximum (${formatNumber(unreachable.factor)} x (1 - objective) = ${threshold})`,
      );
    }
  });
  const names = slos.map((s) => s.name);
  names.forEach((name, i) => {
    if (names.indexOf(name) !== i) issue([i, "name"], "must be unique among the service's SLOs");
  });
}
