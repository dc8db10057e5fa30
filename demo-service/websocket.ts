/**
 * The demo's WebSocket endpoints: the paths a service's WebSocket flows open, on the demo's own
 * HTTP server (the `ws` package, upgrades only on those paths). A client authenticates as the
 * browser's would, with its access token; {@link WebSocketHub.deliver} pushes a JSON message to
 * every open socket of one user, as the outbox relay does.
 */
import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";

/** What decides an upgrade: the user the socket belongs to, or the status to refuse it with. */
export type UpgradeDecision = { readonly user: string } | { readonly status: number; readonly reason: string };

/** The WebSocket side of a demo service. */
export interface WebSocketHub {
  /** Sends `message` as JSON to every open socket of `user`; returns how many got it. */
  deliver(user: string, message: unknown): number;
  /** Closes every socket and stops accepting upgrades. */
  close(): void;
}

/** Refuses an upgrade with a plain HTTP answer. */
function refuse(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(reason)}\r\n\r\n${reason}`);
}

/**
 * Accepts upgrades on `server` for the requests `decide` maps to a user (others are refused with
 * its status); `decide` returns undefined for a path that is not a WebSocket endpoint (404).
 */
export function attachWebSockets(server: Server, decide: (request: IncomingMessage) => UpgradeDecision | undefined): WebSocketHub {
  const sockets = new WebSocketServer({ noServer: true });
  const users = new Map<WebSocket, string>();
  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const decision = decide(request);
    if (decision === undefined) return refuse(socket, 404, "not a WebSocket endpoint");
    if ("status" in decision) return refuse(socket, decision.status, decision.reason);
    sockets.handleUpgrade(request, socket, head, (ws) => {
      users.set(ws, decision.user);
      ws.on("close", () => users.delete(ws));
    });
  };
  server.on("upgrade", onUpgrade);
  return {
    deliver: (user, message) => {
      const open = [...users].filter(([ws, u]) => u === user && ws.readyState === ws.OPEN).map(([ws]) => ws);
      for (const ws of open) ws.send(JSON.stringify(message));
      return open.length;
    },
    close: () => {
      server.off("upgrade", onUpgrade);
      for (const ws of users.keys()) ws.terminate();
      users.clear();
      sockets.close();
    },
  };
}
