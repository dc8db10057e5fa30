/** Fixtures of MigrationFailed: the gauge at 0 (healthy) and 1, or the counter flat and rising. */
import type { ServiceCore } from "../../model/service-core";
import type { AlertCase } from "../../kit/promtool/alert-case";
import { gaugeValues, inputSeries } from "../../kit/promtool/series";
import type { PromtoolSeries } from "../../kit/promtool/types";
import type { RuleContext } from "../../kit/rule-types";
import { migrationAlertRule, migrationJob } from "./rules";
import type { MigrationsSpec } from "./spec";

/** The failure happens at this minute. */
const FAILS_AT_MINUTE = 3;

function series(service: ServiceCore, m: MigrationsSpec, failAt: number | undefined, total: number): PromtoolSeries[] {
  const labels = { job: migrationJob(service, m), ...m.labels };
  const values =
    failAt === undefined
      ? gaugeValues([[0, 0]], total)
      : gaugeValues(
          [
            [0, 0],
            [failAt, 1],
          ],
          total,
        );
  return [inputSeries(m.failedMetric, labels, values)];
}

export function migrationHealthySeries(service: ServiceCore, m: MigrationsSpec, total: number): PromtoolSeries[] {
  return series(service, m, undefined, total);
}

/** The gauge turns 1 (or the counter steps by 1) at minute 3: the alert fires at that evaluation. */
export function migrationAlertCases(service: ServiceCore, m: MigrationsSpec, ctx: RuleContext, total: number): AlertCase[] {
  const rule = migrationAlertRule(service, m, ctx);
  return [
    {
      name: `MigrationFailed: fires when ${m.failedMetric} ${m.type === "gauge" ? "turns 1" : "rises"}`,
      target: { rule, exprLabels: { job: migrationJob(service, m) }, activeAtMinute: FAILS_AT_MINUTE },
      series: series(service, m, FAILS_AT_MINUTE, total),
    },
  ];
}
