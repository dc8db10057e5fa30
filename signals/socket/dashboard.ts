/** The socket row of a service's dashboard. */
import * as units from "@grafana/grafana-foundation-sdk/units";
import type { ServiceCore } from "../../model/service-core";
import type { DashboardContext } from "../../kit/dashboards/context";
import type { PanelRow } from "../../kit/dashboards/layout";
import { runbookLink } from "../../kit/dashboards/links";
import { timeseriesPanel } from "../../kit/dashboards/panels";
import { SOCKET_ALERTS, SOCKET_DROP_WINDOW, SOCKET_SERIES } from "./rules";
import type { SocketsSpec } from "./spec";

/** Socket.IO clients of one service by namespace (recorded), and their change over the alert's window. */
export function socketRows(service: ServiceCore, sockets: SocketsSpec, ctx: DashboardContext): PanelRow[] {
  const clients = `${SOCKET_SERIES.clients}{service="${service.name}"}`;
  const runbook = [runbookLink(ctx.runbookBaseUrl, SOCKET_ALERTS.SocketClientsDrop)];
  return [
    {
      title: `Sockets of ${service.name}`,
      panels: [
        timeseriesPanel({
          title: "Connected clients by namespace",
          unit: units.Short,
          min: 0,
          queries: [{ expr: clients, legend: "{{socket_namespace}}" }],
          links: runbook,
        }),
        timeseriesPanel({
          title: `Change over ${SOCKET_DROP_WINDOW}`,
          description: `Share of clients kept compared with ${SOCKET_DROP_WINDOW} earlier; the alert fires below ${1 - sockets.maxDropRatio}.`,
          unit: units.PercentUnit,
          min: 0,
          baseColor: "red",
          thresholds: [{ value: 1 - sockets.maxDropRatio, color: "green" }],
          queries: [{ expr: `${clients} / ${clients} offset ${SOCKET_DROP_WINDOW}`, legend: "{{socket_namespace}}" }],
          links: runbook,
        }),
      ],
    },
  ];
}
