/**
 * The alerts every store dependency has: down for 2m (critical, labelled `dependency` so that
 * Alertmanager mutes the alerts of every service that depends on it) and slow (warning). The
 * Redis and Postgres kinds build theirs with these, under their own names.
 */
import type { ServiceCore } from "../../model/service-core";
import { BASE_RATE_WINDOW, eq, formatNumber, rate, safeRatio, selector, sumBy } from "../../kit/promql";
import { alertingRule } from "../../kit/rule";
import type { AlertingRule, RuleContext, RuleGroup } from "../../kit/rule-types";
import type { StoreDependency } from "./spec";

/** How long a dependency must report down before the alert fires. */
export const DEPENDENCY_DOWN_FOR = "2m";
/** How long mean latency must stay above its threshold. */
export const DEPENDENCY_LATENCY_FOR = "5m";

/** How a store kind names itself and its two alerts. */
export interface StoreAlerts {
  /** `Redis`, `Postgres`. */
  readonly title: string;
  readonly down: string;
  readonly slow: string;
}

/** The name of the group every store kind's alerts of a service go in. */
export function dependencyGroupName(service: Pick<ServiceCore, "name">): string {
  return `${service.name}.dependencies`;
}

/** `metric{job="...", <extra labels>}` of one dependency. */
export function dependencySelector(dependency: Pick<StoreDependency, "job" | "labels">, metric: string): string {
  const extra = Object.entries(dependency.labels).sort(([a], [b]) => a.localeCompare(b));
  return selector(metric, [eq("job", dependency.job), ...extra.map(([k, v]) => eq(k, v))]);
}

/** The down and latency alerts of one dependency. */
export function storeAlertRules(service: ServiceCore, alerts: StoreAlerts, dependency: StoreDependency, ctx: RuleContext): AlertingRule[] {
  const { title, down, slow } = alerts;
  const base = { service: service.name, team: service.team, labels: { dependency: dependency.name } };
  const up = dependencySelector(dependency, dependency.upMetric);
  const result = [
    alertingRule(
      {
        ...base,
        alert: down,
        // `max`: down only when every scraped replica sees it down, not when one pod lost its connection.
        expr: `max by (job) (${up}) == 0`,
        for: DEPENDENCY_DOWN_FOR,
        severity: "critical",
        summary: `${title} ${dependency.name} of ${service.name} is down`,
        description: `${dependency.upMetric} of job {{ $labels.job }} has been 0 for ${DEPENDENCY_DOWN_FOR}: ${service.name} cannot reach ${title} ${dependency.name}. Alerts of the services that depend on it are inhibited meanwhile.`,
      },
      ctx,
    ),
  ];
  if (dependency.latencyMetric !== undefined) {
    const sum = sumBy(["job"], rate(dependencySelector(dependency, `${dependency.latencyMetric}_sum`), BASE_RATE_WINDOW));
    const count = sumBy(["job"], rate(dependencySelector(dependency, `${dependency.latencyMetric}_count`), BASE_RATE_WINDOW));
    const ms = formatNumber(dependency.latencyThresholdSeconds * 1000);
    result.push(
      alertingRule(
        {
          ...base,
          alert: slow,
          expr: `${safeRatio(sum, count)} > ${formatNumber(dependency.latencyThresholdSeconds)}`,
          for: DEPENDENCY_LATENCY_FOR,
          severity: "warning",
          summary: `${title} ${dependency.name} of ${service.name} answers slowly (mean above ${ms} ms)`,
          description: `The mean latency of ${dependency.latencyMetric} (job {{ $labels.job }}) over the last 5m has been above ${ms} ms for ${DEPENDENCY_LATENCY_FOR}; the readiness check of ${service.name} may start failing.`,
        },
        ctx,
      ),
    );
  }
  return result;
}

/** The `<service>.dependencies` group of one store kind, or nothing when the service declares none. */
export function storeRuleGroups(service: ServiceCore, alerts: StoreAlerts, dependencies: readonly StoreDependency[], ctx: RuleContext): RuleGroup[] {
  const rules = dependencies.flatMap((d) => storeAlertRules(service, alerts, d, ctx));
  return rules.length === 0 ? [] : [{ name: dependencyGroupName(service), rules }];
}
