/** The `ALERTS` series of an SLO's burn-rate alert, as promtool cases query and expect them. */
import { SLO_ALERTS } from "./alerts";
import { eq, selector } from "../../kit/promql";
import type { ServiceCore } from "../../model/service-core";
import type { Severity } from "../../model/severity";
import type { RuleContext } from "../../kit/rule-types";
import { expectedAlert, type FiringRule } from "../../kit/promtool/alert-case";
import { burnRateAlertRule, sloLabels } from "./rules";
import type { SloSpec } from "./spec";

/** `ALERTS{alertname="SLOErrorBudgetBurn", alertstate="firing", severity, service, slo}`. */
export function burnAlertsQuery(service: ServiceCore, slo: SloSpec, severity: Severity): string {
  return selector("ALERTS", [
    eq("alertname", SLO_ALERTS.SLOErrorBudgetBurn),
    eq("alertstate", "firing"),
    eq("severity", severity),
    eq("service", service.name),
    eq("slo", slo.name),
  ]);
}

/** The burn-rate alert of one severity, firing on the SLO's labels. */
export function firingBurnRule(service: ServiceCore, slo: SloSpec, severity: Severity, ctx: RuleContext): FiringRule {
  return { rule: burnRateAlertRule(service, slo, severity, ctx), exprLabels: sloLabels(service, slo), activeAtMinute: 0 };
}

/** The `ALERTS` sample of that alert firing, every label of the alert included. */
export function burnAlertsSample(service: ServiceCore, slo: SloSpec, severity: Severity, ctx: RuleContext): { labels: string; value: number } {
  const labels = { ...expectedAlert(firingBurnRule(service, slo, severity, ctx)).exp_labels, alertname: SLO_ALERTS.SLOErrorBudgetBurn, alertstate: "firing" };
  const text = Object.entries(labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}="${v}"`)
    .join(", ");
  return { labels: `ALERTS{${text}}`, value: 1 };
}
