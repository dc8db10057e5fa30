/** Socket.IO: connected clients falling by more than half within 5m. */
import type { ServiceCore } from "../../model/service-core";
import { copyLabel, eq, formatNumber, selector, sumBy } from "../../kit/promql";
import { alertingRule, recordingRule } from "../../kit/rule";
import type { SocketsSpec } from "./spec";
import type { RuleContext, RuleGroup } from "../../kit/rule-types";

/** The alerts of the kind. */
export const SOCKET_ALERTS = {
  /** Socket.IO connected clients fell by more than half in 5m. */
  SocketClientsDrop: "SocketClientsDrop",
} as const;

/** The comparison window of the drop. */
export const SOCKET_DROP_WINDOW = "5m";
/** How long the drop must last: one evaluation more, so a single odd scrape does not page. */
export const SOCKET_DROP_FOR = "1m";

/** Connected clients per Socket.IO namespace (as `socket_namespace`), labelled `service`, for dashboards. */
export const SOCKET_SERIES = { clients: "service_socket:clients:sum" } as const;

/** The `<service>.sockets` group, or nothing without `sockets`. */
export function socketRuleGroups(service: ServiceCore, sockets: SocketsSpec | undefined, ctx: RuleContext): RuleGroup[] {
  if (sockets === undefined) return [];
  const by = [sockets.namespaceLabel];
  const clients = selector(sockets.clientsMetric, [eq("job", service.metrics.job)]);
  const now = sumBy(by, clients);
  const before = sumBy(by, `${clients} offset ${SOCKET_DROP_WINDOW}`);
  const keep = formatNumber(1 - sockets.maxDropRatio);
  const drop = `${formatNumber(sockets.maxDropRatio * 100)}%`;
  const rule = alertingRule(
    {
      alert: SOCKET_ALERTS.SocketClientsDrop,
      // Offsets, not ranges: two instant reads per namespace. The guard ignores drops from a handful.
      expr: `${now} < ${keep} * ${before}\nand\n${before} >= ${formatNumber(sockets.minClients)}`,
      for: SOCKET_DROP_FOR,
      severity: "warning",
      service: service.name,
      team: service.team,
      summary: `${service.name}: socket clients of {{ $labels.${sockets.namespaceLabel} }} dropped by more than ${drop}`,
      description: `Connected socket clients (${sockets.clientsMetric}) of ${service.name} in namespace {{ $labels.${sockets.namespaceLabel} }} fell by more than ${drop} within ${SOCKET_DROP_WINDOW}: a crash, a failed deploy or a broken load balancer drops connections.`,
    },
    ctx,
  );
  const record = recordingRule({
    record: SOCKET_SERIES.clients,
    expr: sumBy(["socket_namespace"], copyLabel(clients, sockets.namespaceLabel, "socket_namespace")),
    labels: { service: service.name },
  });
  return [{ name: `${service.name}.sockets`, rules: [record, rule] }];
}
