import * as units from "@grafana/grafana-foundation-sdk/units";
import { SOCKET_ALERTS, SOCKET_DROP_WINDOW, SOCKET_SERIES } from "../signals/socket/rules";
import type { DashboardContext } from "../kit/dashboards/context";
import { assembleDashboard, PLATFORM_FOLDER, type DashboardArtifact } from "../kit/dashboards/dashboard";
import { runbookLink } from "../kit/dashboards/links";
import { statPanel, timeseriesPanel } from "../kit/dashboards/panels";
import { labelValuesVariable } from "../kit/dashboards/variables";

/** Sockets and chat fan-out of every service, templated by `$service` over the recorded client counts. */
export function buildSocketsDashboard(ctx: DashboardContext): DashboardArtifact {
  const clients = `${SOCKET_SERIES.clients}{service=~"$service"}`;
  const runbook = [runbookLink(ctx.runbookBaseUrl, SOCKET_ALERTS.SocketClientsDrop)];
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
          timeseriesPanel({
            title: "Clients by namespace",
            unit: units.Short,
            min: 0,
            queries: [{ expr: clients, legend: "{{service}} {{socket_namespace}}" }],
            links: runbook,
          }),
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
            queries: [{ expr: `count(ALERTS{alertname="${SOCKET_ALERTS.SocketClientsDrop}", alertstate="firing", service=~"$service"}) or vector(0)` }],
          }),
        ],
      },
    ],
  });
}
