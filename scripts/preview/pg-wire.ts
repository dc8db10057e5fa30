/**
 * The smallest Postgres client the preview needs (protocol 3, trust authentication, simple query
 * protocol): to tell when the preview's Postgres accepts connections, and for the end-to-end test
 * to hold connections, locks and transactions the way an application would. Not a general client:
 * no password authentication, no TLS, text results only.
 */
import { connect, type Socket } from "node:net";

/** What one simple query returned: its rows as text (null for NULL), or the server's error. */
export interface QueryResult {
  readonly rows: readonly (readonly (string | null)[])[];
  /** `ErrorResponse` message and SQLSTATE, when the statement failed. */
  readonly error?: { readonly message: string; readonly code: string };
}

/** One open session. */
export interface PgSession {
  /** Runs `sql` (one or more statements); resolves at the server's ReadyForQuery. Queries queue in order. */
  query(sql: string): Promise<QueryResult>;
  /** Sends Terminate and closes the socket. */
  close(): Promise<void>;
}

/** Where and as whom to connect. */
export interface PgTarget {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly database: string;
}

function cstring(text: string): Buffer {
  return Buffer.concat([Buffer.from(text, "utf8"), Buffer.from([0])]);
}

function message(type: string, body: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeInt32BE(body.length + 4);
  return Buffer.concat([Buffer.from(type, "ascii"), length, body]);
}

/** Fields of an ErrorResponse: `M` message, `C` SQLSTATE. */
function errorFields(body: Buffer): Record<string, string> {
  const fields: Record<string, string> = {};
  let i = 0;
  while (i < body.length && body[i] !== 0) {
    const code = String.fromCharCode(body[i]!);
    const end = body.indexOf(0, i + 1);
    fields[code] = body.toString("utf8", i + 1, end);
    i = end + 1;
  }
  return fields;
}

function dataRow(body: Buffer): (string | null)[] {
  const columns = body.readInt16BE(0);
  const row: (string | null)[] = [];
  let i = 2;
  for (let c = 0; c < columns; c++) {
    const length = body.readInt32BE(i);
    i += 4;
    if (length < 0) row.push(null);
    else {
      row.push(body.toString("utf8", i, i + length));
      i += length;
    }
  }
  return row;
}

/** Opens a session; rejects with the server's message when it refuses (too many clients, starting up). */
export function pgConnect(target: PgTarget, timeoutMs = 5000): Promise<PgSession> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect({ host: target.host, port: target.port });
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`postgres at ${target.host}:${target.port}: no answer within ${timeoutMs} ms`)));
    let buffer = Buffer.alloc(0);
    let ready = false;
    let rows: (string | null)[][] = [];
    let error: QueryResult["error"];
    const waiting: ((result: QueryResult) => void)[] = [];
    const session: PgSession = {
      query: (sql) =>
        new Promise<QueryResult>((done, fail) => {
          if (socket.destroyed) return fail(new Error("postgres session closed"));
          waiting.push(done);
          socket.write(message("Q", cstring(sql)));
        }),
      close: () =>
        new Promise<void>((done) => {
          if (socket.destroyed) return done();
          socket.once("close", () => done());
          socket.end(message("X", Buffer.alloc(0)));
        }),
    };
    socket.once("error", (e) => (ready ? undefined : reject(e)));
    socket.on("close", () => {
      for (const done of waiting.splice(0)) done({ rows, error: { message: "connection closed", code: "08006" } });
    });
    socket.on("data", (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      while (buffer.length >= 5) {
        const length = buffer.readInt32BE(1);
        if (buffer.length < 1 + length) break;
        const type = String.fromCharCode(buffer[0]!);
        const body = buffer.subarray(5, 1 + length);
        buffer = buffer.subarray(1 + length);
        if (type === "E") {
          const fields = errorFields(body);
          error = { message: fields.M ?? "unknown error", code: fields.C ?? "" };
          if (!ready) {
            socket.destroy();
            reject(new Error(`postgres at ${target.host}:${target.port} refused ${target.user}: ${error.message}`));
          }
        } else if (type === "R" && body.readInt32BE(0) !== 0) {
          socket.destroy();
          reject(new Error(`postgres at ${target.host}:${target.port} asks for a password; the preview's server trusts loopback`));
        } else if (type === "D") {
          rows.push(dataRow(body));
        } else if (type === "Z") {
          if (!ready) {
            ready = true;
            socket.setTimeout(0);
            error = undefined;
            resolve(session);
          } else {
            const done = waiting.shift();
            done?.({ rows, ...(error ? { error } : {}) });
          }
          rows = [];
          error = undefined;
        }
      }
    });
    const startup = Buffer.concat([
      Buffer.from([0, 3, 0, 0]),
      cstring("user"),
      cstring(target.user),
      cstring("database"),
      cstring(target.database),
      Buffer.from([0]),
    ]);
    const length = Buffer.alloc(4);
    length.writeInt32BE(startup.length + 4);
    socket.write(Buffer.concat([length, startup]));
  });
}
