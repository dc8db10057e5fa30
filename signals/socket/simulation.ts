/** The demo's Socket.IO clients: a steady number per namespace, less the `socketDrop` share. */
import type { Gauge } from "prom-client";
import { numberFault, ratioFault, type FaultField, type KindSimulation, type SimulationSetup, type StepContext } from "../../kit/simulation";
import type { ServiceCore } from "../../model/service-core";
import type { SocketsSpec } from "./spec";

/** Socket.IO namespaces and their connected clients when nothing is wrong. */
export const SOCKET_NAMESPACES: readonly { readonly namespace: string; readonly clients: number }[] = [
  { namespace: "/", clients: 120 },
  { namespace: "/chat", clients: 60 },
];

/** The faults of the kind. */
export const SOCKET_FAULTS: Readonly<Record<string, FaultField>> = {
  /** Share of Socket.IO clients disconnected, in [0, 1]. */
  socketDrop: ratioFault,
};

class SocketClients implements KindSimulation {
  constructor(
    private readonly clients: Gauge<string>,
    private readonly namespaceLabel: string,
  ) {}

  step(context: StepContext): void {
    const drop = numberFault(context.faults, "socketDrop");
    for (const { namespace, clients } of SOCKET_NAMESPACES) this.clients.set({ [this.namespaceLabel]: namespace }, Math.round(clients * (1 - drop)));
  }
}

/** The clients gauge of the service's sockets. */
export function socketSimulation(_service: ServiceCore, sockets: SocketsSpec, setup: SimulationSetup): KindSimulation {
  const clients = setup.metrics.gauge(sockets.clientsMetric, "Connected Socket.IO clients by namespace (demo)", [sockets.namespaceLabel]);
  return new SocketClients(clients, sockets.namespaceLabel);
}
