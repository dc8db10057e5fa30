/**
 * HTTP RED: request rate, 5xx ratio and latency quantiles recorded per route and per service, and
 * the error-ratio and p95 alerts, thresholds keyed by severity (spec field `red`).
 */
import { defineSignalKind } from "../kind";
import { HTTP_FAULTS, httpTraffic } from "./simulation";
import { redRows, redVariables } from "./dashboard";
import { FIXTURE_ROUTE, healthyHttpSeries, redAbsentCases, redAlertCases } from "./promtool";
import { HTTP_ALERTS, redRuleGroups } from "./rules";
import { redSchema, refineRed } from "./spec";
import { THRESHOLD_ALERTS } from "./thresholds";
import { thresholdAlertCases, thresholdQuietGroups } from "./threshold-promtool";

export const httpKind = defineSignalKind({
  name: "http",
  part: { field: "red", schema: redSchema.prefault({}) },
  alertNames: [...Object.values(HTTP_ALERTS), ...Object.values(THRESHOLD_ALERTS)],
  identityLabels: ["route", "threshold"],
  severityDeclaredIn: { [HTTP_ALERTS.ServiceHighErrorRate]: "red.errorRatio", [HTTP_ALERTS.ServiceHighLatencyP95]: "red.latencyP95" },
  refine: refineRed,
  ruleGroups: redRuleGroups,
  dashboard: { rows: redRows, variables: (service) => redVariables(service) },
  faults: HTTP_FAULTS,
  // The traffic is shared with the HTTP SLOs; the demo steps it once.
  simulation: (service, _red, setup) => void httpTraffic(service, setup),
  faultExamples: () => [
    { patch: { errorRatio: 1 }, raises: "ServiceHighErrorRate (full outage)" },
    { patch: { latencySeconds: 1 }, raises: "ServiceHighLatencyP95" },
  ],
  promtool: {
    alertCases: (service, red, ctx, total) => [
      ...redAlertCases(service, red, ctx, total),
      ...thresholdAlertCases(service, red, ctx, total),
      ...redAbsentCases(service, red, ctx, total),
    ],
    testGroups: (service, red) => thresholdQuietGroups(service, red, 60),
    healthySeries: (service, _red, total) => healthyHttpSeries(service, FIXTURE_ROUTE, total),
  },
});
