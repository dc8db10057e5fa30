/** The rows of a service's store dependencies: up, and ping latency against its threshold. */
import * as units from "@grafana/grafana-foundation-sdk/units";
import type { ServiceCore } from "../../model/service-core";
import type { DashboardContext } from "../../kit/dashboards/context";
import type { PanelRow } from "../../kit/dashboards/layout";
import { runbookLink } from "../../kit/dashboards/links";
import { statPanel, timeseriesPanel } from "../../kit/dashboards/panels";
import type { PanelSpec } from "../../kit/dashboards/grid";
import { dependencySelector, type StoreAlerts } from "./rules";
import type { StoreDependency } from "./spec";

/**
 * One dependency of one service, as the service sees it: up, and ping latency against its
 * threshold. Connections and pool usage, from the exporters, are on the Dependencies dashboard.
 */
export function dependencyRow(service: ServiceCore, alerts: StoreAlerts, dependency: StoreDependency, ctx: DashboardContext): PanelRow {
  const { title, down, slow } = alerts;
  const panels: PanelSpec[] = [
    statPanel({
      title: "Up",
      unit: units.BoolOnOff,
      width: 4,
      height: 8,
      baseColor: "red",
      thresholds: [{ value: 1, color: "green" }],
      queries: [{ expr: `max(${dependencySelector(dependency, dependency.upMetric)})` }],
      links: [runbookLink(ctx.runbookBaseUrl, down)],
    }),
  ];
  if (dependency.latencyMetric !== undefined) {
    const sum = dependencySelector(dependency, `${dependency.latencyMetric}_sum`);
    const count = dependencySelector(dependency, `${dependency.latencyMetric}_count`);
    panels.push(
      timeseriesPanel({
        title: "Mean ping latency",
        unit: units.Seconds,
        width: 8,
        min: 0,
        thresholds: [{ value: dependency.latencyThresholdSeconds, color: "red" }],
        queries: [{ expr: `sum(rate(${sum}[$__rate_interval])) / sum(rate(${count}[$__rate_interval]))`, legend: "mean" }],
        links: [runbookLink(ctx.runbookBaseUrl, slow)],
      }),
    );
  }
  return { title: `${title} ${dependency.name} (used by ${service.name})`, panels };
}

/** One row per dependency of a store kind. */
export function dependencyRows(service: ServiceCore, alerts: StoreAlerts, dependencies: readonly StoreDependency[], ctx: DashboardContext): PanelRow[] {
  return dependencies.map((d) => dependencyRow(service, alerts, d, ctx));
}
