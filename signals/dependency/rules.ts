/**
 * Redis and Postgres alerts of a service: down for 2m (critical, labelled `dependency` so that
 * Alertmanager mutes the alerts of every service that depends on it) and slow (warning).
 */
import { ALERT_NAMES, type AlertName } from "../alert-names";
import { BASE_RATE_WINDOW } from "../slo/burn-rate";
import { eq, formatNumber, rate, safeRatio, selector, sumBy } from "../../kit/promql";
import { alertingRule } from "../../kit/rule";
import type { DependencySpec, ServiceSpec } from "../service-spec";
import type { AlertingRule, RuleContext, RuleGroup } from "../../kit/rule-types";

/** How long a dependency must report down before the alert fires. */
export const DEPENDENCY_DOWN_FOR = "2m";
/** How long mean latency must stay above its threshold. */
export const DEPENDENCY_LATENCY_FOR = "5m";

const KINDS: Readonly<Record<"redis" | "postgres", { title: string; down: AlertName; slow: AlertName }>> = {
  redis: { title: "Redis", down: ALERT_NAMES.RedisDown, slow: ALERT_NAMES.RedisHighLatency },
  postgres: { title: "Postgres", down: ALERT_NAMES.PostgresDown, slow: ALERT_NAMES.PostgresHighLatency },
};

/** `metric{job="...", <extra labels>}` of one dependency. */
export function dependencySelector(dependency: DependencySpec, metric: string): string {
  const extra = Object.entries(dependency.labels).sort(([a], [b]) => a.localeCompare(b));
  return selector(metric, [eq("job", dependency.job), ...extra.map(([k, v]) => eq(k, v))]);
}

function rules(service: ServiceSpec, kind: "redis" | "postgres", dependency: DependencySpec, ctx: RuleContext): AlertingRule[] {
  const { title, down, slow } = KINDS[kind];
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

/** The `<service>.dependencies` group, or nothing when the service declares none. */
export function dependencyRuleGroups(service: ServiceSpec, ctx: RuleContext): RuleGroup[] {
  const all = [
    ...service.dependencies.redis.flatMap((d) => rules(service, "redis", d, ctx)),
    ...service.dependencies.postgres.flatMap((d) => rules(service, "postgres", d, ctx)),
  ];
  return all.length === 0 ? [] : [{ name: `${service.name}.dependencies`, rules: all }];
}
