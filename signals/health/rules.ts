/**
 * A service's health from outside: blackbox readiness probe failing for 2m, scrape target missing
 * for 5m, and its pods restarting more than 3 times in 15m.
 */
import type { ServiceCore } from "../../model/service-core";
import { eq, re, selector } from "../../kit/promql";
import { alertingRule } from "../../kit/rule";
import type { ProbesSpec } from "./spec";
import type { AlertingRule, RuleContext, RuleGroup } from "../../kit/rule-types";

/** The alerts of the kind. */
export const HEALTH_ALERTS = {
  /** Blackbox readiness probe failing for 2m. */
  ReadinessProbeFailing: "ReadinessProbeFailing",
  /** A service's scrape target missing or down for 5m. */
  TargetScrapeMissing: "TargetScrapeMissing",
  /** More than 3 container restarts in 15m. */
  PodRestartingFrequently: "PodRestartingFrequently",
} as const;

/** Durations and limits of the health alerts. */
export const HEALTH_TIMING = { readinessFor: "2m", scrapeFor: "5m", restartsWindow: "15m", maxRestarts: 3 } as const;

/** kube-state-metrics' restart counter. */
export const RESTARTS_METRIC = "kube_pod_container_status_restarts_total";

/** `ReadinessProbeFailing`, when the service has a readiness URL. */
export function readinessRule(service: ServiceCore, probes: ProbesSpec, ctx: RuleContext): AlertingRule[] {
  const url = probes.readinessUrl;
  if (url === undefined) return [];
  return [
    alertingRule(
      {
        alert: HEALTH_ALERTS.ReadinessProbeFailing,
        // `max`: failing only when every prober sees it fail.
        expr: `max by (instance) (${selector("probe_success", [eq("instance", url)])}) == 0`,
        for: HEALTH_TIMING.readinessFor,
        severity: "critical",
        service: service.name,
        team: service.team,
        summary: `${service.name} is not ready: {{ $labels.instance }} fails`,
        description: `The blackbox probe of {{ $labels.instance }} has failed for ${HEALTH_TIMING.readinessFor}: ${service.name} reports itself unable to serve (a dependency or migration check fails).`,
      },
      ctx,
    ),
  ];
}

/** `TargetScrapeMissing`: a target down, or no target at all. */
export function scrapeRule(service: ServiceCore, ctx: RuleContext): AlertingRule {
  const up = selector("up", [eq("job", service.metrics.job)]);
  return alertingRule(
    {
      alert: HEALTH_ALERTS.TargetScrapeMissing,
      expr: `max by (job, instance) (${up}) == 0\nor\nabsent(${up})`,
      for: HEALTH_TIMING.scrapeFor,
      severity: "warning",
      service: service.name,
      team: service.team,
      summary: `${service.name}: metrics of job {{ $labels.job }} are not scraped`,
      description: `For ${HEALTH_TIMING.scrapeFor} job {{ $labels.job }} has had a target down, or no target at all: every alert of ${service.name} is blind meanwhile.`,
    },
    ctx,
  );
}

/** `PodRestartingFrequently`: more than 3 container restarts in 15m. */
export function restartRule(service: ServiceCore, ctx: RuleContext): AlertingRule {
  const restarts = selector(RESTARTS_METRIC, [eq("namespace", service.namespace), re("pod", service.podNamePattern)]);
  return alertingRule(
    {
      alert: HEALTH_ALERTS.PodRestartingFrequently,
      // The counter now minus 15m ago: two instant reads instead of 15m of raw samples.
      expr: `sum by (namespace, pod) (${restarts} - ${restarts} offset ${HEALTH_TIMING.restartsWindow}) > ${HEALTH_TIMING.maxRestarts}`,
      severity: "warning",
      service: service.name,
      team: service.team,
      summary: `${service.name}: pod {{ $labels.pod }} restarted more than ${HEALTH_TIMING.maxRestarts} times in ${HEALTH_TIMING.restartsWindow}`,
      description: `Containers of pod {{ $labels.namespace }}/{{ $labels.pod }} restarted more than ${HEALTH_TIMING.maxRestarts} times in ${HEALTH_TIMING.restartsWindow}: crash loop, OOM kill or failing liveness probe.`,
    },
    ctx,
  );
}

/** The `<service>.health` group. */
export function healthRuleGroups(service: ServiceCore, probes: ProbesSpec, ctx: RuleContext): RuleGroup[] {
  return [{ name: `${service.name}.health`, rules: [...readinessRule(service, probes, ctx), scrapeRule(service, ctx), restartRule(service, ctx)] }];
}
