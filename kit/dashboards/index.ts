/** The dashboard house style shared by the kinds' rows and the platform dashboards. */
export type { DashboardContext } from "./context";
export type { PanelRow } from "./layout";
