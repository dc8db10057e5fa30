/**
 * The smallest Redis client the preview needs (RESP2 over one TCP connection): PING to tell when
 * the preview's redis-server serves, and pipelined commands for the end-to-end test's faults
 * (filling memory past `maxmemory`). Replies are returned as text: `OK`, a bulk string, an
 * integer's digits, or `ERR ...` prefixed with `-` for an error reply. Arrays are not parsed.
 */
import { connect } from "node:net";

function encode(args: readonly string[]): string {
  return `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join("")}`;
}

/** One reply at the start of `buffer`: its text and length, or undefined while incomplete. */
function parseReply(buffer: Buffer): { text: string; length: number } | undefined {
  const end = buffer.indexOf("\r\n");
  if (end < 0) return undefined;
  const head = buffer.toString("utf8", 0, end);
  const type = head[0];
  if (type === "+" || type === ":") return { text: head.slice(1), length: end + 2 };
  if (type === "-") return { text: head, length: end + 2 };
  if (type === "$") {
    const size = Number(head.slice(1));
    if (size < 0) return { text: "", length: end + 2 };
    if (buffer.length < end + 2 + size + 2) return undefined;
    return { text: buffer.toString("utf8", end + 2, end + 2 + size), length: end + 2 + size + 2 };
  }
  throw new Error(`unsupported redis reply: ${head}`);
}

/** Sends `commands` pipelined on one connection to 127.0.0.1:`port`; resolves with one reply per command. */
export function redisCommands(port: number, commands: readonly (readonly string[])[], timeoutMs = 10_000): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port });
    const replies: string[] = [];
    let buffer = Buffer.alloc(0);
    socket.setTimeout(timeoutMs, () =>
      socket.destroy(new Error(`redis at 127.0.0.1:${port}: ${replies.length} of ${commands.length} replies within ${timeoutMs} ms`)),
    );
    socket.once("error", reject);
    socket.on("data", (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const reply = parseReply(buffer);
        if (reply === undefined) break;
        replies.push(reply.text);
        buffer = buffer.subarray(reply.length);
      }
      if (replies.length >= commands.length) {
        socket.end();
        resolve(replies);
      }
    });
    socket.write(commands.map(encode).join(""));
  });
}

/** True once redis-server on `port` answers PING. */
export async function redisAnswersPing(port: number): Promise<boolean> {
  const [reply] = await redisCommands(port, [["PING"]], 2000);
  return reply === "PONG";
}
