/**
 * Platform-wide meta alerts: `Watchdog`, always firing so that its absence at the dead man's switch
 * proves the pipeline broken, and `InfoInhibitor` with kube-prometheus-stack's semantics.
 */
import { META_ALERTS } from "./alerts";
import { alertingRule } from "../../kit/rule";
import { META_SEVERITY } from "../../model/severity";
import type { AlertingRule, RuleContext, RuleGroup } from "../../kit/rule-types";

/** `service` and `team` of platform-wide alerts. */
export const PLATFORM_OWNER = { service: "observability-stack", team: "platform" } as const;

/** `Watchdog`: `vector(1)`. */
export function watchdogRule(ctx: RuleContext): AlertingRule {
  return alertingRule(
    {
      ...PLATFORM_OWNER,
      alert: META_ALERTS.Watchdog,
      expr: "vector(1)",
      severity: META_SEVERITY,
      summary: "Alerting pipeline heartbeat (always firing)",
      description: `This alert always fires in environment ${ctx.environment}. The dead man's switch receiver expects it every minute; its silence means Prometheus, Alertmanager or the path between them is broken.`,
    },
    ctx,
  );
}

/**
 * `InfoInhibitor`: one alert per namespace in which `info` alerts fire while no `warning` or
 * `critical` does; Alertmanager mutes that namespace's `info` alerts with it. Counted per namespace
 * (kube-prometheus-stack keeps each info alert's labels, which collide once alertname is rewritten).
 */
export function infoInhibitorRule(ctx: RuleContext): AlertingRule {
  return alertingRule(
    {
      ...PLATFORM_OWNER,
      alert: META_ALERTS.InfoInhibitor,
      expr:
        `count by (namespace) (ALERTS{severity="info",alertstate="firing"})\n` +
        `unless on (namespace)\n` +
        `count by (namespace) (ALERTS{alertname!="${META_ALERTS.InfoInhibitor}",severity=~"warning|critical",alertstate="firing"})`,
      severity: META_SEVERITY,
      summary: "Info alerts fire in namespace {{ $labels.namespace }} with nothing worse",
      description:
        "Alerts of severity info fire in namespace {{ $labels.namespace }} and no warning or critical does. " +
        "This alert only exists so Alertmanager can mute those info alerts; it is routed to the null receiver.",
    },
    ctx,
  );
}

/** The `observability-stack.meta` group. */
export function metaRuleGroup(ctx: RuleContext): RuleGroup {
  return { name: `${PLATFORM_OWNER.service}.meta`, rules: [watchdogRule(ctx), infoInhibitorRule(ctx)] };
}
