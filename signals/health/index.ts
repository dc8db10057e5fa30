/**
 * A service's health from outside: blackbox readiness failing for 2m, its scrape target missing for
 * 5m, its pods restarting more than 3 times in 15m (spec field `probes`; every service has it).
 */
import { defineSignalKind } from "../kind";
import { gauge } from "../../kit/synthetic-series";
import { probeRows } from "./dashboard";
import { healthAlertCases, healthHealthySeries } from "./promtool";
import { HEALTH_ALERTS, healthRuleGroups } from "./rules";
import { probesSchema } from "./spec";

export const healthKind = defineSignalKind({
  name: "health",
  part: { field: "probes", schema: probesSchema.prefault({}) },
  alertNames: Object.values(HEALTH_ALERTS),
  ruleGroups: healthRuleGroups,
  dashboard: { rows: probeRows },
  syntheticSeries: (_service, probes) => (probes.readinessUrl ? [gauge("probe_success", { job: "blackbox", instance: probes.readinessUrl }, 1)] : []),
  promtool: { alertCases: healthAlertCases, healthySeries: healthHealthySeries },
});
