/**
 * NAIVE BASELINE, for the rule-evaluation benchmark only; never deployed.
 *
 * The same multiwindow multi-burn-rate alerts as the product (same SLOs, windows, factors,
 * thresholds and traffic guard), but computed the textbook-naive way: every window's error ratio
 * straight from the raw counters, `sum(rate(errors[W])) / sum(rate(total[W]))` over the long
 * windows (1h, 6h, 1d, 3d) too, and no recording rules at all. What the product's recorded
 * `slo:sli_*:rate5m` series and derived windows are measured against.
 */
import { errorBudget, type BurnRateAlert } from "../signals/slo/burn-rate";
import { anyOfRegex, bucketMatcher, eq, formatNumber, nre, re, selector, type LabelMatcher } from "../kit/promql";
import type { ServiceSpec } from "../signals/service-spec";
import type { SloSpec } from "../signals/slo/spec";
import type { AlertingRule, RuleGroup } from "../kit/rule-types";

/** Raw-counter selectors of an SLO: bad events and all events. */
function rawSelectors(service: ServiceSpec, slo: SloSpec): { bad: string; total: string; badIsComplement: boolean } {
  const job = eq("job", service.metrics.job);
  const routes: LabelMatcher[] = "routes" in slo && slo.routes ? [re(service.metrics.routeLabel, anyOfRegex(slo.routes))] : [];
  switch (slo.kind) {
    case "availability":
      return {
        bad: selector(service.metrics.requests, [job, ...routes, re(service.metrics.codeLabel, "5..")]),
        total: selector(service.metrics.requests, [job, ...routes]),
        badIsComplement: false,
      };
    case "latency":
      // Bad = all requests minus those in the threshold's bucket.
      return {
        bad: selector(`${service.metrics.durationHistogram}_bucket`, [job, ...routes, bucketMatcher(slo.latencyThresholdSeconds)]),
        total: selector(`${service.metrics.durationHistogram}_count`, [job, ...routes]),
        badIsComplement: true,
      };
    case "events":
      return {
        bad: selector(slo.metric, [job, nre(slo.outcomeLabel, anyOfRegex(slo.goodOutcomes))]),
        total: selector(slo.metric, [job]),
        badIsComplement: false,
      };
    default:
      throw new Error(`the naive baseline reads availability, latency and events SLOs, got kind "${slo.kind}" (slo "${slo.name}")`);
  }
}

/** The naive error ratio over `window`, from raw counters. */
export function naiveErrorRatio(service: ServiceSpec, slo: SloSpec, window: string): string {
  const s = rawSelectors(service, slo);
  const total = `sum(rate(${s.total}[${window}]))`;
  const bad = s.badIsComplement ? `(${total} - sum(rate(${s.bad}[${window}])))` : `sum(rate(${s.bad}[${window}]))`;
  return `${bad} / ${total}`;
}

function condition(service: ServiceSpec, slo: SloSpec, a: BurnRateAlert): string {
  const threshold = `(${formatNumber(a.factor)} * ${formatNumber(errorBudget(slo.objective))})`;
  const parts = [`(${naiveErrorRatio(service, slo, a.longWindow)}) > ${threshold}`, `(${naiveErrorRatio(service, slo, a.shortWindow)}) > ${threshold}`];
  if (slo.minEventsPerSecond > 0) parts.push(`sum(rate(${rawSelectors(service, slo).total}[${a.longWindow}])) >= ${formatNumber(slo.minEventsPerSecond)}`);
  return `(\n  ${parts.join("\n  and\n  ")}\n)`;
}

/** One alert per SLO and severity, conditions joined by `or`, like the product's. */
export function naiveBurnRateGroups(service: ServiceSpec): RuleGroup[] {
  return service.slos.map((slo) => {
    const severities = [...new Set(slo.burnRateAlerts.map((a) => a.severity))];
    const rules: AlertingRule[] = severities.map((severity) => ({
      alert: "NaiveSLOErrorBudgetBurn",
      expr: slo.burnRateAlerts
        .filter((a) => a.severity === severity)
        .map((a) => condition(service, slo, a))
        .join("\nor\n"),
      labels: { severity, service: service.name, slo: slo.name, team: service.team },
      annotations: { summary: `naive baseline: ${service.name} burns its ${slo.name} budget` },
    }));
    return { name: `${service.name}.naive-baseline.${slo.name}`, rules };
  });
}
