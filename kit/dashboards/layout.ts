import type * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import { GRID_COLUMNS, type PanelSpec } from "./grid";

/** A titled row of panels. */
export interface PanelRow {
  readonly title: string;
  readonly panels: readonly PanelSpec[];
}

/**
 * Places rows of panels on the grid, left to right, wrapping at 24 columns, each row under a
 * (non-collapsed) row header; ids are 1..n in reading order, so they are unique and stable. Each
 * panel is built here, once, after its id and position are set through its builder; a spec belongs
 * to one dashboard (the SDK's `build()` hands out the builder's own object).
 */
export function layoutRows(rows: readonly PanelRow[]): (dashboard.Panel | dashboard.RowPanel)[] {
  const placed: (dashboard.Panel | dashboard.RowPanel)[] = [];
  let y = 0;
  let id = 1;
  for (const row of rows) {
    // A literal rather than the SDK's RowBuilder, whose defaults order the keys differently
    // (type, collapsed, id, panels, title): the same row, but every generated file would change.
    placed.push({ type: "row", title: row.title, collapsed: false, id: id++, panels: [], gridPos: { h: 1, w: GRID_COLUMNS, x: 0, y } });
    y += 1;
    let x = 0;
    let lineHeight = 0;
    for (const spec of row.panels) {
      if (x + spec.width > GRID_COLUMNS) {
        y += lineHeight;
        x = 0;
        lineHeight = 0;
      }
      placed.push(spec.panel.id(id++).gridPos({ h: spec.height, w: spec.width, x, y }).build());
      x += spec.width;
      lineHeight = Math.max(lineHeight, spec.height);
    }
    y += lineHeight;
  }
  return placed;
}
