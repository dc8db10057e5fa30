import { GraphThresholdsStyleConfigBuilder, GraphThresholdsStyleMode } from "@grafana/grafana-foundation-sdk/common";
import { DashboardLinkBuilder, ThresholdsConfigBuilder, ThresholdsMode } from "@grafana/grafana-foundation-sdk/dashboard";
import { PanelBuilder as LogsPanelBuilder } from "@grafana/grafana-foundation-sdk/logs";
import { PanelBuilder as StatPanelBuilder } from "@grafana/grafana-foundation-sdk/stat";
import { PanelBuilder as TimeseriesPanelBuilder } from "@grafana/grafana-foundation-sdk/timeseries";
import type * as units from "@grafana/grafana-foundation-sdk/units";
import { DATASOURCES } from "./datasource-refs";
import { GRID_COLUMNS, type GridPanelBuilder, type PanelSpec } from "./grid";
import { queryBuilders, type QuerySpec } from "./queries";

/** A Grafana unit id, one of the SDK's `units` constants (`units.Seconds`, `units.PercentUnit`...). */
export type Unit = (typeof units)[keyof typeof units];

/** A link shown on a panel: a runbook, an Explore view, another dashboard. */
export interface PanelLink {
  readonly title: string;
  readonly url: string;
}

/** A threshold step: the color from `value` up; the first step starts at minus infinity. */
export interface ThresholdStep {
  readonly value: number;
  readonly color: "green" | "yellow" | "orange" | "red";
}

/** What every panel kind takes. */
export interface PanelOptions {
  readonly title: string;
  readonly description?: string;
  readonly queries: readonly QuerySpec[];
  /** @default 12 */
  readonly width?: number;
  /** @default 8 */
  readonly height?: number;
  /** @default [] */
  readonly links?: readonly PanelLink[];
}

/** Options of a panel that shows numbers. */
export interface NumericPanelOptions extends PanelOptions {
  /** One of the SDK's `units` constants: `units.RequestsPerSecond`, `units.Seconds`... Required: no number without a unit. */
  readonly unit: Unit;
  /** Steps above the base color. @default [] */
  readonly thresholds?: readonly ThresholdStep[];
  /** Color below the first step: green where higher is worse, red where lower is worse. @default "green" */
  readonly baseColor?: ThresholdStep["color"];
  /** @default - automatic */
  readonly min?: number;
  /** @default - automatic */
  readonly max?: number;
}

function thresholds(steps: readonly ThresholdStep[], baseColor: ThresholdStep["color"] = "green") {
  // Grafana's base step has a null value ("from minus infinity"); the SDK types it as a number.
  const base = { value: null as unknown as number, color: baseColor };
  return new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps([base, ...steps.map((s) => ({ value: s.value, color: s.color }))]);
}

function links(items: readonly PanelLink[]): DashboardLinkBuilder[] {
  return items.map((l) => new DashboardLinkBuilder(l.title).url(l.url).targetBlank(true));
}

function sized<B extends GridPanelBuilder>(panel: B, options: PanelOptions): PanelSpec<B> {
  const width = options.width ?? 12;
  if (width < 1 || width > GRID_COLUMNS) throw new Error(`panel width must be 1..${GRID_COLUMNS}, got ${width} (panel "${options.title}")`);
  return { panel, width, height: options.height ?? 8 };
}

/** A time series panel: the house default for rates, ratios and latencies. */
export function timeseriesPanel(options: NumericPanelOptions): PanelSpec<TimeseriesPanelBuilder> {
  const builder = new TimeseriesPanelBuilder()
    .title(options.title)
    .datasource(DATASOURCES.prometheus)
    .unit(options.unit)
    .targets(queryBuilders(options.queries))
    .thresholds(thresholds(options.thresholds ?? [], options.baseColor))
    .fillOpacity(10)
    .lineWidth(1);
  if (options.description) builder.description(options.description);
  if (options.min !== undefined) builder.min(options.min);
  if (options.max !== undefined) builder.max(options.max);
  // Draw the alert thresholds as dashed lines, so a reader sees how far from firing a series is.
  if (options.thresholds?.length) builder.thresholdsStyle(new GraphThresholdsStyleConfigBuilder().mode(GraphThresholdsStyleMode.Dashed));
  if (options.links?.length) builder.links(links(options.links));
  return sized(builder, options);
}

/** A single-value panel: the current value, colored by thresholds. */
export function statPanel(options: NumericPanelOptions): PanelSpec<StatPanelBuilder> {
  const builder = new StatPanelBuilder()
    .title(options.title)
    .datasource(DATASOURCES.prometheus)
    .unit(options.unit)
    .targets(queryBuilders(options.queries.map((q) => ({ ...q, instant: true }))))
    .thresholds(thresholds(options.thresholds ?? [], options.baseColor));
  if (options.description) builder.description(options.description);
  if (options.min !== undefined) builder.min(options.min);
  if (options.max !== undefined) builder.max(options.max);
  if (options.links?.length) builder.links(links(options.links));
  return sized(builder, { ...options, height: options.height ?? 5 });
}

/** A logs panel over LogQL. */
export function logsPanel(options: PanelOptions): PanelSpec<LogsPanelBuilder> {
  const builder = new LogsPanelBuilder()
    .title(options.title)
    .datasource(DATASOURCES.loki)
    .targets(queryBuilders(options.queries.map((q) => ({ ...q, language: "logql" as const }))))
    .showTime(true)
    .wrapLogMessage(true)
    .enableLogDetails(true);
  if (options.description) builder.description(options.description);
  if (options.links?.length) builder.links(links(options.links));
  return sized(builder, { ...options, width: options.width ?? 24, height: options.height ?? 10 });
}
