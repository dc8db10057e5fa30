import { ALERT_NAMES } from "../alert-rules/alert-names";
import type { ServiceSpec } from "../alert-rules/service-spec";
import { SOCKET_DROP_WINDOW } from "../alert-rules/sockets";
import type { DashboardContext } from "./context";
import { assembleDashboard, PLATFORM_FOLDER, type DashboardArtifact } from "./dashboard";
import type { PanelRow } from "./layout";
import { runbookLink } from "./links";
import { timeseriesPanel } from "./panels";

/** Socket.IO clients of one service by namespace, and their change over the alert's window. */
export function socketRow(service: ServiceSpec, ctx: DashboardContext): PanelRow | undefined {
  const sockets = service.sockets;
  if (sockets === undefined) return undefined;
  const clients = `${sockets.clientsMetric}{job="${service.metrics.job}"}`;
  const ns = sockets.namespaceLabel;
  const runbook = [runbookLink(ctx.runbookBaseUrl, ALERT_NAMES.SocketClientsDrop)];
  return {
    title: `Sockets of ${service.name}`,
    panels: [
      timeseriesPanel({ title: "Connected clients by namespace", unit: "short", min: 0, queries: [{ expr: `sum by (${ns}) (${clients})`, legend: `{{${ns}}}` }], links: runbook }),
      timeseriesPanel({
        title: `Change over ${SOCKET_DROP_WINDOW}`,
        description: `Share of clients kept compared with ${SOCKET_DROP_WINDOW} earlier; the alert fires below ${1 - sockets.maxDropRatio}.`,
        unit: "percentunit",
        min: 0,
        baseColor: "red",
        thresholds: [{ value: 1 - sockets.maxDropRatio, color: "green" }],
        queries: [{ expr: `sum by (${ns}) (${clients}) / sum by (${ns}) (${clients} offset ${SOCKET_DROP_WINDOW})`, legend: `{{${ns}}}` }],
        links: runbook,
      }),
    ],
  };
}

/** Sockets and chat fan-out of every service that declares sockets. */
export function buildSocketsDashboard(services: readonly ServiceSpec[], ctx: DashboardContext): DashboardArtifact {
  return assembleDashboard({
    title: "Sockets and chat",
    description: "Connected Socket.IO clients per namespace and their drops, per service.",
    folder: PLATFORM_FOLDER,
    tags: ["sockets"],
    rows: services.flatMap((s) => socketRow(s, ctx) ?? []),
  });
}
