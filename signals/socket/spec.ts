/** The `sockets` part of a service spec: Socket.IO connected clients. */
import { z } from "zod";
import { labelName, metricName, nonNegative, openRatio } from "../../model/schema-primitives";

/** Socket.IO connected clients. */
export const socketsSchema = z.strictObject({
  /** Gauge, e.g. `divan_socketio_clients{namespace}`. */
  clientsMetric: metricName,
  /**
   * Label of the Socket.IO namespace. Note: scraped through a ServiceMonitor without
   * `honorLabels`, an app's `namespace` label arrives as `exported_namespace`.
   * @default "namespace"
   */
  namespaceLabel: labelName.default("namespace"),
  /** @default 0.5 */
  maxDropRatio: openRatio.default(0.5),
  /** Drops from fewer clients than this are not alerted on. @default 10 */
  minClients: nonNegative.default(10),
});

/** The validated sockets part. */
export type SocketsSpec = z.output<typeof socketsSchema>;
