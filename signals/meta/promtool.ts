/** Fixtures of the platform's meta alerts, `Watchdog` and `InfoInhibitor`. */
import { META_ALERTS } from "./alerts";
import { infoInhibitorRule, watchdogRule } from "./rules";
import type { RuleContext } from "../../kit/rule-types";
import { alertCaseGroup, expectedAlert } from "../../kit/promtool/alert-case";
import { FIXTURE_STEP, gaugeValues, inputSeries, minutes } from "../../kit/promtool/series";
import type { PromtoolTestGroup } from "../../kit/promtool/types";

const NAMESPACE = "fixture-namespace";

function alertsSeries(alertname: string, severity: string, total: number) {
  return inputSeries("ALERTS", { alertname, alertstate: "firing", namespace: NAMESPACE, severity }, gaugeValues([[0, 1]], total));
}

/** The platform file's test groups. `Watchdog` has no healthy case: it must always fire. */
export function metaTestGroups(ctx: RuleContext, total: number): PromtoolTestGroup[] {
  const watchdog = watchdogRule(ctx);
  const inhibitor = infoInhibitorRule(ctx);
  return [
    {
      name: "Watchdog fires at every evaluation, from the first",
      interval: FIXTURE_STEP,
      input_series: [],
      alert_rule_test: [0, total].map((t) => ({
        eval_time: minutes(t),
        alertname: META_ALERTS.Watchdog,
        exp_alerts: [expectedAlert({ rule: watchdog, exprLabels: {}, activeAtMinute: 0 })],
      })),
    },
    alertCaseGroup({
      name: "InfoInhibitor fires while an info alert fires alone in its namespace",
      target: { rule: inhibitor, exprLabels: { namespace: NAMESPACE }, activeAtMinute: 0 },
      series: [alertsSeries("FixtureInfo", "info", total)],
    }),
    {
      name: "InfoInhibitor stays quiet while a warning fires in the same namespace",
      interval: FIXTURE_STEP,
      input_series: [alertsSeries("FixtureInfo", "info", total), alertsSeries("FixtureWarning", "warning", total)],
      alert_rule_test: [{ eval_time: minutes(total), alertname: META_ALERTS.InfoInhibitor, exp_alerts: [] }],
    },
  ];
}
