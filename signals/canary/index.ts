/**
 * Canaries: scheduled flows that call a service like a user would (spec field `canaries`). One
 * request is a blackbox module and a Probe; several steps run in the canary runner (engine.ts).
 * Alerts: `CanaryFailing` after consecutive failed runs, `CanarySlow` after consecutive runs over
 * budget, `CanaryNotRunning` when no run happened within twice the schedule.
 */
import { defineSignalKind } from "../kind";
import { CANARY_ALERTS } from "./alerts";
import { CANARY_FAULTS } from "./faults";
import { canaryRows } from "./dashboard";
import { canaryAlertCases, canaryHealthySeries } from "./promtool";
import { canaryRuleGroups } from "./rules";
import { canariesSchema, refineCanaries } from "./spec";
import { canarySyntheticSeries } from "./synthetic";

export const canaryKind = defineSignalKind({
  name: "canary",
  part: { field: "canaries", schema: canariesSchema, itemLabels: { canaries: "canary", steps: "step" } },
  alertNames: Object.values(CANARY_ALERTS),
  identityLabels: ["canary"],
  refine: refineCanaries,
  faults: CANARY_FAULTS,
  faultExamples: (_service, canaries) => {
    const first = canaries[0]!;
    const budgeted = canaries.some((c) => c.budget !== undefined || c.steps.some((s) => s.budget !== undefined));
    return [
      { patch: { canaryStepsFailing: [`${first.name}/${first.steps[0]!.name}`] }, raises: "CanaryFailing" },
      ...(budgeted ? [{ patch: { canaryStepsSlowSeconds: 1 }, raises: "CanarySlow" }] : []),
    ];
  },
  ruleGroups: canaryRuleGroups,
  dashboard: { rows: canaryRows },
  syntheticSeries: canarySyntheticSeries,
  promtool: { alertCases: canaryAlertCases, healthySeries: canaryHealthySeries },
});
