/** Fixtures of the readiness, scrape and restart alerts of a service. */
import { HEALTH_TIMING, readinessRule, restartRule, RESTARTS_METRIC, scrapeRule } from "./rules";
import type { ServiceCore } from "../../model/service-core";
import type { ProbesSpec } from "./spec";
import type { RuleContext } from "../../kit/rule-types";
import type { AlertCase } from "../../kit/promtool/alert-case";
import { gaugeValues, inputSeries, rampValues } from "../../kit/promtool/series";
import type { PromtoolSeries } from "../../kit/promtool/types";

const INSTANCE = "fixture:8080";

/** A pod name the service's pattern matches (`<name>-.*` by default). */
function podName(service: ServiceCore): string {
  const candidate = `${service.name}-7d9f8b6c5-x2x4z`;
  if (!new RegExp(`^(?:${service.podNamePattern})$`).test(candidate)) {
    throw new Error(
      `podNamePattern of service "${service.name}" must match a pod named like "${candidate}" for its fixtures, got ${JSON.stringify(service.podNamePattern)}`,
    );
  }
  return candidate;
}

function restartSeries(service: ServiceCore, values: string): PromtoolSeries {
  return inputSeries(RESTARTS_METRIC, { namespace: service.namespace, pod: podName(service), container: "app" }, values);
}

/** Probe succeeding, target up, no restarts. */
export function healthHealthySeries(service: ServiceCore, probes: ProbesSpec, total: number): PromtoolSeries[] {
  const url = probes.readinessUrl;
  return [
    ...(url !== undefined ? [inputSeries("probe_success", { instance: url, job: "blackbox" }, gaugeValues([[0, 1]], total))] : []),
    inputSeries("up", { job: service.metrics.job, instance: INSTANCE }, gaugeValues([[0, 1]], total)),
    restartSeries(service, gaugeValues([[0, 2]], total)),
  ];
}

/** Probe failing, target down, target gone, and a container restarting every minute. */
export function healthAlertCases(service: ServiceCore, probes: ProbesSpec, ctx: RuleContext, total: number): AlertCase[] {
  const job = service.metrics.job;
  const cases: AlertCase[] = readinessRule(service, probes, ctx).map((rule) => ({
    name: `${rule.alert}: fires ${rule.for} after probe_success reads 0`,
    target: { rule, exprLabels: { instance: probes.readinessUrl! }, activeAtMinute: 0 },
    series: [inputSeries("probe_success", { instance: probes.readinessUrl!, job: "blackbox" }, gaugeValues([[0, 0]], total))],
  }));
  const scrape = scrapeRule(service, ctx);
  cases.push(
    {
      name: `${scrape.alert}: fires ${scrape.for} after up reads 0`,
      target: { rule: scrape, exprLabels: { instance: INSTANCE, job }, activeAtMinute: 0 },
      series: [inputSeries("up", { job, instance: INSTANCE }, gaugeValues([[0, 0]], total))],
    },
    {
      name: `${scrape.alert}: fires ${scrape.for} after the job has no target at all`,
      target: { rule: scrape, exprLabels: { job }, activeAtMinute: 0 },
      series: [inputSeries("up", { job: "some-other-job", instance: INSTANCE }, gaugeValues([[0, 1]], total))],
    },
  );
  const restarts = restartRule(service, ctx);
  cases.push({
    // One restart a minute: the 15m difference first exists, and exceeds 3, at minute 15.
    name: `${restarts.alert}: fires once more than ${HEALTH_TIMING.maxRestarts} restarts fall within ${HEALTH_TIMING.restartsWindow}`,
    target: { rule: restarts, exprLabels: { namespace: service.namespace, pod: podName(service) }, activeAtMinute: 15 },
    series: [restartSeries(service, rampValues(0, 1, total))],
  });
  return cases;
}
