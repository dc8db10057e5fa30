import * as units from "@grafana/grafana-foundation-sdk/units";
import { PanelBuilder as TimeseriesPanelBuilder } from "@grafana/grafana-foundation-sdk/timeseries";
import { layoutRows } from "../../kit/dashboards/layout";
import { logsPanel, statPanel, timeseriesPanel } from "../../kit/dashboards/panels";

const query = [{ expr: "sum(rate(http_requests_total[5m]))" }];
const runbook = { title: "Runbook: ServiceHighErrorRate", url: "https://runbooks.example.com/ServiceHighErrorRate.md" };

describe("panels", () => {
  it("returns unbuilt SDK builders, sized for the grid, that further options go through", () => {
    const spec = timeseriesPanel({ title: "Errors", unit: units.PercentUnit, width: 6, queries: query });
    expect(spec.panel).toBeInstanceOf(TimeseriesPanelBuilder);
    expect([spec.width, spec.height]).toEqual([6, 8]);
    spec.panel.spanNulls(true);
    expect(spec.panel.build().fieldConfig?.defaults?.custom).toEqual({ fillOpacity: 10, lineWidth: 1, spanNulls: true });
  });

  it("draws a time series' thresholds as dashed lines, and only when it has some", () => {
    const withSteps = timeseriesPanel({ title: "Errors", unit: units.PercentUnit, thresholds: [{ value: 0.05, color: "red" }], queries: query }).panel.build();
    expect(withSteps.fieldConfig?.defaults?.custom).toEqual({ fillOpacity: 10, lineWidth: 1, thresholdsStyle: { mode: "dashed" } });
    expect(withSteps.fieldConfig?.defaults?.thresholds).toEqual({
      mode: "absolute",
      steps: [
        { value: null, color: "green" },
        { value: 0.05, color: "red" },
      ],
    });
    const without = timeseriesPanel({ title: "Requests", unit: units.RequestsPerSecond, queries: query }).panel.build();
    expect(without.fieldConfig?.defaults?.custom).toEqual({ fillOpacity: 10, lineWidth: 1 });
  });

  it.each([
    ["time series", timeseriesPanel({ title: "p", unit: units.Seconds, queries: query, links: [runbook] })],
    ["stat", statPanel({ title: "p", unit: units.Seconds, queries: query, links: [runbook] })],
    ["logs", logsPanel({ title: "p", queries: [{ expr: '{service_name="edge"}' }], links: [runbook] })],
  ])("%s: links open in a new tab", (_kind, spec) => {
    expect(spec.panel.build().links).toEqual([expect.objectContaining({ ...runbook, targetBlank: true })]);
  });

  it("leaves links out when there are none", () => {
    expect(statPanel({ title: "p", unit: units.Short, queries: query }).panel.build()).not.toHaveProperty("links");
  });

  it("sets the unit, the base color and instant queries of a stat", () => {
    const stat = statPanel({ title: "Up", unit: units.BoolOnOff, baseColor: "red", thresholds: [{ value: 1, color: "green" }], queries: query }).panel.build();
    expect(stat.fieldConfig?.defaults?.unit).toBe("bool_on_off");
    expect(stat.fieldConfig?.defaults?.thresholds?.steps).toEqual([
      { value: null, color: "red" },
      { value: 1, color: "green" },
    ]);
    expect(stat.targets).toEqual([expect.objectContaining({ instant: true, range: false })]);
  });

  it("places panels left to right under their row header, wrapping at 24 columns, numbered in reading order", () => {
    const panel = (title: string, width: number) => timeseriesPanel({ title, unit: units.Short, width, queries: query });
    const placed = layoutRows([
      { title: "A", panels: [panel("a1", 12), panel("a2", 8), panel("a3", 8)] },
      { title: "B", panels: [panel("b1", 24)] },
    ]);
    expect(placed.map((p) => [p.type, p.title, p.id, p.gridPos])).toEqual([
      ["row", "A", 1, { h: 1, w: 24, x: 0, y: 0 }],
      ["timeseries", "a1", 2, { h: 8, w: 12, x: 0, y: 1 }],
      ["timeseries", "a2", 3, { h: 8, w: 8, x: 12, y: 1 }],
      ["timeseries", "a3", 4, { h: 8, w: 8, x: 0, y: 9 }],
      ["row", "B", 5, { h: 1, w: 24, x: 0, y: 17 }],
      ["timeseries", "b1", 6, { h: 8, w: 24, x: 0, y: 18 }],
    ]);
  });

  it.each([0, 25])("fails when a panel's width is outside the grid: %d", (width) => {
    expect(() => timeseriesPanel({ title: "Too wide", unit: units.Short, width, queries: query })).toThrow(
      /^panel width must be 1\.\.24, got \d+ \(panel "Too wide"\)$/,
    );
  });
});
