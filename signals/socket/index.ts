/** Socket.IO: connected clients falling by more than half within 5m (spec field `sockets`). */
import { defineSignalKind } from "../kind";
import { gauge } from "../../kit/synthetic-series";
import { SOCKET_FAULTS, socketSimulation } from "./simulation";
import { socketRows } from "./dashboard";
import { socketAlertCases, socketHealthySeries } from "./promtool";
import { SOCKET_ALERTS, socketRuleGroups } from "./rules";
import { socketsSchema } from "./spec";

export const socketKind = defineSignalKind({
  name: "socket",
  part: { field: "sockets", schema: socketsSchema.optional() },
  alertNames: Object.values(SOCKET_ALERTS),
  ruleGroups: socketRuleGroups,
  dashboard: { rows: socketRows },
  syntheticSeries: (service, sockets) => [gauge(sockets.clientsMetric, { job: service.metrics.job, [sockets.namespaceLabel]: "/" }, 250)],
  faults: SOCKET_FAULTS,
  simulation: socketSimulation,
  faultExamples: () => [{ patch: { socketDrop: 0.8 }, raises: "SocketClientsDrop" }],
  promtool: { alertCases: socketAlertCases, healthySeries: socketHealthySeries },
});
