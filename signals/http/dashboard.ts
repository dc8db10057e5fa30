/** The RED rows of a service's dashboard and the `$route`/`$method` variables they filter by. */
import * as units from "@grafana/grafana-foundation-sdk/units";
import type { ServiceCore } from "../../model/service-core";
import type { DashboardContext } from "../../kit/dashboards/context";
import type { PanelRow } from "../../kit/dashboards/layout";
import { exploreLinks, runbookLink } from "../../kit/dashboards/links";
import { statPanel, timeseriesPanel, type ThresholdStep } from "../../kit/dashboards/panels";
import { labelValuesVariable } from "../../kit/dashboards/variables";
import { eq, re, selector } from "../../kit/promql";
import { HTTP_ALERTS, RED_SERIES } from "./rules";
import { quantileSeconds } from "./selectors";
import type { RedSpec } from "./spec";

/** The lowest threshold of a severity-keyed set (the one that fires first), as a red step. */
function firstThreshold(values: readonly (number | undefined)[]): ThresholdStep[] {
  const defined = values.filter((v): v is number => v !== undefined);
  return defined.length === 0 ? [] : [{ value: Math.min(...defined), color: "red" }];
}

/**
 * One service's RED rows: service-level rate, 5xx ratio and latency from the recorded series (alert
 * thresholds drawn), then per-route and per-method panels from the service's own metrics as it
 * declares them (names and labels from its spec), filtered by the `$route` and `$method` variables
 * of {@link redVariables}.
 */
export function redRows(service: ServiceCore, red: RedSpec, ctx: DashboardContext): PanelRow[] {
  const { requests, codeLabel, routeLabel, methodLabel, durationHistogram, job } = service.metrics;
  const raw = `job="${job}", ${routeLabel}=~"$route", ${methodLabel}=~"$method"`;
  // Failed requests: the errors counter when the service counts them apart, else its 5xx answers.
  const failed =
    service.metrics.errors !== undefined
      ? selector(service.metrics.errors, [eq("job", job), re(routeLabel, "$route"), re(methodLabel, "$method")])
      : `${requests}{${raw}, ${codeLabel}=~"5.."}`;
  const runbookBaseUrl = ctx.runbookBaseUrl;
  const own = `service="${service.name}"`;
  const errorThresholds = firstThreshold(Object.values(red.errorRatio).map((t) => t?.maxRatio));
  const latencyThresholds = firstThreshold(Object.values(red.latencyP95).map((t) => t?.maxSeconds));
  const explore = exploreLinks(service.name);
  const rows: PanelRow[] = [
    {
      title: "Service",
      panels: [
        statPanel({ title: "Requests", unit: units.RequestsPerSecond, width: 6, queries: [{ expr: `sum(${RED_SERIES.requests}{${own}})` }] }),
        statPanel({
          title: "5xx ratio",
          unit: units.PercentUnit,
          width: 6,
          thresholds: errorThresholds,
          queries: [{ expr: `sum(${RED_SERIES.errorRatio}{${own}})` }],
          links: [runbookLink(runbookBaseUrl, HTTP_ALERTS.ServiceHighErrorRate)],
        }),
        statPanel({
          title: "p95 latency",
          unit: units.Seconds,
          width: 6,
          thresholds: latencyThresholds,
          queries: [{ expr: `max(${RED_SERIES.quantile}{${own}, quantile="0.95"})` }],
          links: [runbookLink(runbookBaseUrl, HTTP_ALERTS.ServiceHighLatencyP95)],
        }),
        statPanel({
          title: "Firing alerts",
          unit: units.Short,
          width: 6,
          thresholds: [{ value: 1, color: "red" }],
          queries: [{ expr: `count(ALERTS{${own}, alertstate="firing"}) or vector(0)` }],
        }),
        timeseriesPanel({
          title: "5xx ratio",
          unit: units.PercentUnit,
          min: 0,
          thresholds: errorThresholds,
          queries: [{ expr: `${RED_SERIES.errorRatio}{${own}}`, legend: "5xx ratio" }],
          links: [runbookLink(runbookBaseUrl, HTTP_ALERTS.ServiceHighErrorRate), ...explore],
        }),
        timeseriesPanel({
          title: "Latency quantiles",
          unit: units.Seconds,
          min: 0,
          thresholds: latencyThresholds,
          queries: [{ expr: `${RED_SERIES.quantile}{${own}}`, legend: "p{{quantile}}" }],
          links: [runbookLink(runbookBaseUrl, HTTP_ALERTS.ServiceHighLatencyP95), ...explore],
        }),
      ],
    },
    {
      title: "By route and method",
      panels: [
        timeseriesPanel({
          title: "Requests by route",
          unit: units.RequestsPerSecond,
          width: 8,
          queries: [
            { expr: `sum by (${routeLabel}, ${methodLabel}) (rate(${requests}{${raw}}[$__rate_interval]))`, legend: `{{${methodLabel}}} {{${routeLabel}}}` },
          ],
        }),
        timeseriesPanel({
          title: "5xx ratio by route",
          unit: units.PercentUnit,
          width: 8,
          min: 0,
          thresholds: errorThresholds,
          queries: [
            {
              expr: `sum by (${routeLabel}) (rate(${failed}[$__rate_interval])) / sum by (${routeLabel}) (rate(${requests}{${raw}}[$__rate_interval]))`,
              legend: `{{${routeLabel}}}`,
            },
          ],
        }),
        timeseriesPanel({
          title: "p95 latency by route",
          unit: units.Seconds,
          width: 8,
          min: 0,
          thresholds: latencyThresholds,
          queries: [
            {
              expr: quantileSeconds(service, 0.95, `sum by (${routeLabel}, le) (rate(${durationHistogram}_bucket{${raw}}[$__rate_interval]))`),
              legend: `{{${routeLabel}}}`,
            },
          ],
        }),
        timeseriesPanel({
          title: "Responses by status",
          unit: units.RequestsPerSecond,
          width: 24,
          queries: [{ expr: `sum by (${codeLabel}) (rate(${requests}{${raw}}[$__rate_interval]))`, legend: `{{${codeLabel}}}` }],
        }),
      ],
    },
  ];
  return rows;
}

/** The `$route` and `$method` variables the RED rows filter by, over the service's own counter. */
export function redVariables(service: ServiceCore) {
  const { requests, routeLabel, methodLabel, job } = service.metrics;
  return [
    labelValuesVariable("route", routeLabel, `${requests}{job="${job}"}`, "Route"),
    labelValuesVariable("method", methodLabel, `${requests}{job="${job}", ${routeLabel}=~"$route"}`, "Method"),
  ];
}
