/**
 * SLOs: recorded SLI rates and error ratios per window, objective and error budget, and the
 * multiwindow multi-burn-rate alerts (spec field `slos`).
 */
import { defineSignalKind } from "../kind";
import { isHttpSlo, sloSimulation } from "./simulation";
import { sloRows } from "./dashboard";
import { healthyHttpSeries } from "../http/promtool";
import { SLO_ALERTS } from "./alerts";
import { sliAbsentCases, sloBurnTestGroups, sloFixtureRoute, sloHealthySeries } from "./promtool";
import { sloRuleGroups } from "./rules";
import { refineSlos, sloSchema } from "./spec";
import { z } from "zod";

export const sloKind = defineSignalKind({
  name: "slo",
  part: { field: "slos", schema: z.array(sloSchema).default([]), itemLabels: { slos: "slo" } },
  alertNames: Object.values(SLO_ALERTS),
  identityLabels: ["slo"],
  severityDeclaredIn: { [SLO_ALERTS.SLOErrorBudgetBurn]: "slos[].burnRateAlerts" },
  refine: refineSlos,
  ruleGroups: sloRuleGroups,
  dashboard: { rows: sloRows },
  simulation: sloSimulation,
  faultExamples: () => [{ patch: { errorRatio: 1 }, raises: "SLOErrorBudgetBurn pages (full outage)" }],
  promtool: {
    alertCases: sliAbsentCases,
    // One healthy route serves RED and every HTTP SLI it is in scope of; other SLIs have their own series.
    healthySeries: (service, slos, total) =>
      slos.flatMap((slo) => (isHttpSlo(slo) ? healthyHttpSeries(service, sloFixtureRoute(slo), total) : sloHealthySeries(service, slo, total))),
    // A deadline's events come once a day or week: its cases run at a 5m step on its own rules.
    provenApart: (service, slos) =>
      slos
        .filter((slo) => slo.kind === "deadline")
        .map((slo) => ({
          alert: SLO_ALERTS.SLOErrorBudgetBurn,
          labels: { service: service.name, slo: slo.name },
          where: "deadlineSuite (signals/slo/promtool-periods.ts), run for the catalog in test/catalog/slo-burn-isolated.test.ts",
        })),
    testGroups: (service, slos, ctx) => slos.flatMap((slo) => sloBurnTestGroups(service, slo, ctx, "deployed")),
  },
});
