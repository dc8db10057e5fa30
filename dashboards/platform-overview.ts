import * as units from "@grafana/grafana-foundation-sdk/units";
import { RED_SERIES } from "../signals/http/rules";
import { SLO_SERIES } from "../signals/slo/rules";
import { assembleDashboard, PLATFORM_FOLDER, type DashboardArtifact } from "../kit/dashboards/dashboard";
import { statPanel, timeseriesPanel } from "../kit/dashboards/panels";
import { budgetRemainingPanel } from "../signals/slo/dashboard";

/**
 * The front page: every service's request rate, 5xx ratio and p95 side by side, every SLO's
 * remaining budget, and what is firing. Reads only recorded series, so it stays cheap however many
 * services there are, and does not change when a service is added.
 */
export function buildPlatformOverviewDashboard(): DashboardArtifact {
  return assembleDashboard({
    key: "platform-overview",
    title: "Platform overview",
    description: "Per service: request rate, 5xx ratio, p95 latency and SLO status. Open a service from the Services dropdown.",
    folder: PLATFORM_FOLDER,
    tags: ["overview"],
    rows: [
      {
        title: "Now",
        panels: [
          statPanel({
            title: "Firing critical alerts",
            unit: units.Short,
            width: 8,
            thresholds: [{ value: 1, color: "red" }],
            queries: [{ expr: `count(ALERTS{alertstate="firing", severity="critical"}) or vector(0)` }],
          }),
          statPanel({
            title: "Firing warnings",
            unit: units.Short,
            width: 8,
            thresholds: [{ value: 1, color: "orange" }],
            queries: [{ expr: `count(ALERTS{alertstate="firing", severity="warning"}) or vector(0)` }],
          }),
          statPanel({
            title: "SLOs out of budget",
            unit: units.Short,
            width: 8,
            thresholds: [{ value: 1, color: "red" }],
            queries: [{ expr: `count(${SLO_SERIES.budgetRemaining} < 0) or vector(0)` }],
          }),
        ],
      },
      {
        title: "Services",
        panels: [
          timeseriesPanel({
            title: "Request rate",
            unit: units.RequestsPerSecond,
            width: 8,
            queries: [{ expr: `sum by (service) (${RED_SERIES.requests})`, legend: "{{service}}" }],
          }),
          timeseriesPanel({
            title: "5xx ratio",
            unit: units.PercentUnit,
            width: 8,
            min: 0,
            queries: [{ expr: `${RED_SERIES.errorRatio}`, legend: "{{service}}" }],
          }),
          timeseriesPanel({
            title: "p95 latency",
            unit: units.Seconds,
            width: 8,
            min: 0,
            queries: [{ expr: `${RED_SERIES.quantile}{quantile="0.95"}`, legend: "{{service}}" }],
          }),
        ],
      },
      {
        title: "SLO status",
        panels: [budgetRemainingPanel(SLO_SERIES.budgetRemaining, { width: 24, height: 6, legend: "{{service}} / {{slo}}" })],
      },
    ],
  });
}
