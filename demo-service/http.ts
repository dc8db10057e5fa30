/** Small helpers for the demo's loopback HTTP servers. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** The loopback address every demo server binds; nothing listens on other interfaces. */
export const LOOPBACK = "127.0.0.1";

/** A request handler; returning normally after writing the response, or throwing for a 500. */
export type Handler = (request: IncomingMessage, response: ServerResponse) => void | Promise<void>;

/** A listening server and how to stop it. */
export interface ListeningServer {
  readonly server: Server;
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Stops accepting connections and drops open ones (scrapers keep connections alive). */
  close(): Promise<void>;
}

/**
 * Listens on 127.0.0.1 at `port` (0: a free port the kernel picks). Handler errors become 500s
 * instead of crashing the process that hosts the server.
 */
export function listen(handler: Handler, port = 0): Promise<ListeningServer> {
  const server = createServer((request, response) => {
    Promise.resolve()
      .then(() => handler(request, response))
      .catch((error: unknown) => {
        if (!response.headersSent) sendText(response, 500, `${error instanceof Error ? error.message : String(error)}\n`);
        else response.destroy();
      });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, LOOPBACK, () => {
      server.off("error", reject);
      const actual = (server.address() as AddressInfo).port;
      resolve({
        server,
        port: actual,
        url: `http://${LOOPBACK}:${actual}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

/** Writes a plain-text response. */
export function sendText(response: ServerResponse, status: number, text: string, contentType = "text/plain; charset=utf-8"): void {
  response.writeHead(status, { "content-type": contentType });
  response.end(text);
}

/** Writes a JSON response. */
export function sendJson(response: ServerResponse, status: number, value: unknown): void {
  sendText(response, status, `${JSON.stringify(value, null, 2)}\n`, "application/json");
}

/** The request body parsed as JSON (an empty body is `{}`); throws a `SyntaxError` on bad JSON. */
export async function readJson(request: IncomingMessage, limitBytes = 1 << 20): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limitBytes) throw new RangeError(`body larger than ${limitBytes} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString("utf8").trim();
  return text === "" ? {} : (JSON.parse(text) as unknown);
}

/** The path of a request without its query string. */
export function pathOf(request: IncomingMessage): string {
  return new URL(request.url ?? "/", "http://localhost").pathname;
}
