/** Grafana's 24-column grid and what a panel takes of it: the types the panels and the layout share. */
import type * as cog from "@grafana/grafana-foundation-sdk/cog";
import type * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";

/** Grafana's grid is 24 columns wide. */
export const GRID_COLUMNS = 24;

/** What the layout needs of an SDK panel builder (time series, stat, logs...): it sets the id and position, then builds. */
export interface GridPanelBuilder extends cog.Builder<dashboard.Panel> {
  id(id: number): this;
  gridPos(gridPos: dashboard.GridPos): this;
}

/**
 * An unbuilt panel and the room it takes in the 24-column grid; the layout sets its id and position
 * and builds it, once. Made by the panel functions below, which check the width; further options go
 * through the builder's own methods (`spec.panel.spanNulls(true)`), never onto a built model.
 */
export interface PanelSpec<B extends GridPanelBuilder = GridPanelBuilder> {
  readonly panel: B;
  /** Columns, 1..24. */
  readonly width: number;
  /** Grid rows. */
  readonly height: number;
}
