import * as units from "@grafana/grafana-foundation-sdk/units";
import { ALERT_NAMES } from "../signals/alert-names";
import type { ServiceSpec } from "../signals/service-spec";
import { SOCKET_DROP_WINDOW, SOCKET_SERIES } from "../signals/socket/rules";
import type { DashboardContext } from "./context";
import { assembleDashboard, PLATFORM_FOLDER, type DashboardArtifact } from "./dashboard";
import type { PanelRow } from "./layout";
import { runbookLink } from "./links";
import { statPanel, timeseriesPanel } from "./panels";
import { labelValuesVariable } from "./variables";

/** Socket.IO clients of one service by namespace (recorded), and their change over the alert's window. */
export function socketRow(service: ServiceSpec, ctx: DashboardContext): PanelRow | undefined {
  const sockets = service.sockets;
  if (sockets === undefined) return undefined;
  const clients = `${SOCKET_SERIES.clients}{service="${service.name}"}`;
  const runbook = [runbookLink(ctx.runbookBaseUrl, ALERT_NAMES.SocketClientsDrop)];
  return {
    title: `Sockets of ${service.name}`,
    panels: [
      timeseriesPanel({ title: "Connected clients by namespace", unit: units.Short, min: 0, queries: [{ expr: clients, legend: "{{socket_namespace}}" }], links: runbook }),
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
  };
}

/** Sockets and chat fan-out of every service, templated by `$service` over the recorded client counts. */
export function buildSocketsDashboard(ctx: DashboardContext): DashboardArtifact {
  const clients = `${SOCKET_SERIES.clients}{service=~"$service"}`;
  const runbook = [runbookLink(ctx.runbookBaseUrl, ALERT_NAMES.SocketClientsDrop)];
  return assembleDashboard({
    key: "sockets-and-chat",
    title: "Sockets and chat",
    description: "Connected Socket.IO clients per service and namespace, and their drops.",
    folder: PLATFORM_FOLDER,
    tags: ["sockets"],
    variables: [labelValuesVariable("service", "service", SOCKET_SERIES.clients, "Service")],
    rows: [
      {
        title: "Connected clients",
        panels: [
          timeseriesPanel({ title: "Clients by namespace", unit: units.Short, min: 0, queries: [{ expr: clients, legend: "{{service}} {{socket_namespace}}" }], links: runbook }),
          timeseriesPanel({
            title: `Clients kept over ${SOCKET_DROP_WINDOW}`,
            description: `Share of clients still connected compared with ${SOCKET_DROP_WINDOW} earlier; SocketClientsDrop fires below the service's threshold (0.5 by default).`,
            unit: units.PercentUnit,
            min: 0,
            baseColor: "red",
            thresholds: [{ value: 0.5, color: "green" }],
            queries: [{ expr: `${clients} / ${clients} offset ${SOCKET_DROP_WINDOW}`, legend: "{{service}} {{socket_namespace}}" }],
            links: runbook,
          }),
          statPanel({
            title: "Socket alerts firing",
            unit: units.Short,
            width: 24,
            height: 4,
            thresholds: [{ value: 1, color: "red" }],
            queries: [{ expr: `count(ALERTS{alertname="${ALERT_NAMES.SocketClientsDrop}", alertstate="firing", service=~"$service"}) or vector(0)` }],
          }),
        ],
      },
    ],
  });
}
