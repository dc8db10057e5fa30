/**
 * Child processes of the preview, the tests and the bench (Prometheus, Alertmanager): started on a
 * free loopback port, awaited until ready (answered by the child itself, not by whatever else took
 * the port meanwhile), logged to a file, and stopped for sure: SIGTERM, then SIGKILL after a grace
 * period, resolving only once the process has exited, so that its data folder can be removed; and
 * a SIGKILL from the parent's `exit` handler for any child still alive when the parent goes away
 * (an uncaught error, `process.exit`).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { appendFileSync, existsSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { createServer } from "node:net";

/** A free TCP port on 127.0.0.1 (the kernel picks it; released just before use). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** Children still running, killed when the parent process exits. */
const living = new Set<ChildProcess>();
let exitHookInstalled = false;

function track(child: ChildProcess): void {
  living.add(child);
  child.once("exit", () => living.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once("exit", () => {
      for (const c of living) c.kill("SIGKILL");
    });
  }
}

/** Options of {@link startDaemon}. */
export interface DaemonOptions {
  /** Name in messages, e.g. `prometheus`. */
  readonly name: string;
  /** Executable, e.g. `/usr/bin/prometheus`; the process that listens (not a wrapper that forks it). */
  readonly command: string;
  /** Arguments for the chosen port. */
  readonly args: (port: number) => readonly string[];
  /** Path answering 200 once the daemon is ready. @default "/-/ready" */
  readonly readyPath?: string;
  /** @default 30000 */
  readonly readyTimeoutMs?: number;
  /** File the daemon's stdout and stderr are appended to. @default - kept in memory only */
  readonly logFile?: string;
  /** Ports tried when the chosen one is taken between picking and binding. @default 3 */
  readonly attempts?: number;
  /**
   * Readiness for a daemon that speaks no HTTP (redis-server, postgres): resolves true once it
   * serves. @default - `readyPath` answering 200
   */
  readonly isReady?: (port: number) => Promise<boolean>;
  /** Signal that stops it cleanly (postgres: SIGINT, its fast shutdown). @default "SIGTERM" */
  readonly stopSignal?: NodeJS.Signals;
  /** Port to listen on (a restart on the same port): one attempt only. @default - a free port */
  readonly port?: number;
  /** Environment added to the parent's. @default {} */
  readonly env?: Readonly<Record<string, string>>;
  /** User and group ids to run as (postgres refuses to run as root). @default - the parent's */
  readonly uid?: number;
  readonly gid?: number;
}

/** A running daemon on 127.0.0.1. */
export interface Daemon {
  readonly name: string;
  readonly pid: number;
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** The last 64 KiB of its output. */
  output(): string;
  /** True once the process has exited. */
  hasExited(): boolean;
  /** SIGTERM, then SIGKILL after `graceMs` (@default 5000); resolves once the process has exited. */
  stop(graceMs?: number): Promise<void>;
}

const OUTPUT_LIMIT = 64 * 1024;

/** True once `child` has exited, or could not be spawned (Node sets a negative `exitCode` then). */
function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/**
 * Stops `child` and resolves once it has exited (at once if it already has): `send("SIGTERM")`,
 * then `send("SIGKILL")` if it is still running after `graceMs`. A daemon writes its state on
 * SIGTERM (Alertmanager its silences and notification log, Prometheus its head block), so its
 * folders may be removed only once this resolves. `send` signals the child by default; the bench
 * signals the child's process group.
 */
export async function stopProcess(
  child: ChildProcess,
  graceMs = 5000,
  send: (signal: NodeJS.Signals) => void = (s) => child.kill(s),
  stopSignal: NodeJS.Signals = "SIGTERM",
): Promise<void> {
  if (hasExited(child)) return;
  const exit = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  send(stopSignal);
  const killer = setTimeout(() => send("SIGKILL"), graceMs);
  await exit;
  clearTimeout(killer);
}

/**
 * Whether process `pid` holds a TCP socket listening on `port`, read from Linux's /proc (the
 * listening sockets' inodes in /proc/net/tcp{,6} against the socket links in /proc/<pid>/fd);
 * undefined where /proc cannot tell (another OS, another user's process).
 */
export function listensOn(pid: number, port: number): boolean | undefined {
  const tables = ["/proc/net/tcp", "/proc/net/tcp6"].filter((file) => existsSync(file));
  if (tables.length === 0) return undefined;
  const hexPort = port.toString(16).toUpperCase().padStart(4, "0");
  const inodes = new Set<string>();
  for (const line of tables.flatMap((file) => readFileSync(file, "utf8").split("\n").slice(1))) {
    // sl local_address(HEXIP:HEXPORT) rem_address st(0A = LISTEN) tx:rx tr:when retrnsmt uid timeout inode
    const fields = line.trim().split(/\s+/);
    if (fields[1]?.endsWith(`:${hexPort}`) && fields[3] === "0A" && fields[9] !== undefined) inodes.add(`socket:[${fields[9]}]`);
  }
  if (inodes.size === 0) return false;
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch (error) {
    // Gone: not listening. Not ours to read (another user's process): /proc cannot tell.
    return (error as NodeJS.ErrnoException).code === "ENOENT" ? false : undefined;
  }
  return fds.some((fd) => {
    try {
      return inodes.has(readlinkSync(`/proc/${pid}/fd/${fd}`));
    } catch {
      return false; // closed meanwhile
    }
  });
}

async function startOnce(options: DaemonOptions, port: number): Promise<Daemon> {
  let output = "";
  const child = spawn(options.command, [...options.args(port)], {
    stdio: ["ignore", "pipe", "pipe"],
    ...(options.env ? { env: { ...process.env, ...options.env } } : {}),
    ...(options.uid !== undefined ? { uid: options.uid } : {}),
    ...(options.gid !== undefined ? { gid: options.gid } : {}),
  });
  track(child);
  const record = (data: Buffer) => {
    output = (output + String(data)).slice(-OUTPUT_LIMIT);
    if (options.logFile !== undefined) appendFileSync(options.logFile, data);
  };
  child.stdout!.on("data", record);
  child.stderr!.on("data", record);
  const spawnError = new Promise<Error>((resolve) => child.once("error", resolve));
  const url = `http://127.0.0.1:${port}`;
  const daemon: Daemon = {
    name: options.name,
    pid: child.pid ?? -1,
    port,
    url,
    output: () => output,
    hasExited: () => hasExited(child),
    stop: (graceMs) => stopProcess(child, graceMs, (s) => child.kill(s), options.stopSignal),
  };
  const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
  const readyUrl = `${url}${options.readyPath ?? "/-/ready"}`;
  for (;;) {
    const failure = await Promise.race([spawnError, new Promise<undefined>((r) => setTimeout(() => r(undefined), 100))]);
    if (failure !== undefined) throw new Error(`${options.name} could not start (${options.command}): ${failure.message}`);
    if (daemon.hasExited()) throw new DaemonExitedError(options.name, output);
    // Another process may have bound the port between freePort() and the child's bind (a test file
    // running in parallel): its answer does not count, and the child then exits with "address already
    // in use" and is started again on another port.
    const ready = options.isReady
      ? await options.isReady(port).catch(() => false)
      : (await fetch(readyUrl, { signal: AbortSignal.timeout(2000) }).catch(() => undefined))?.ok === true;
    if (ready && listensOn(daemon.pid, port) !== false) return daemon;
    if (Date.now() > deadline) {
      await daemon.stop();
      throw new Error(
        `${options.name} was not ready at ${options.isReady ? `port ${port}` : readyUrl} within ${options.readyTimeoutMs ?? 30_000} ms:\n${output}`,
      );
    }
  }
}

/** The daemon exited before it was ready; `output` says why. */
export class DaemonExitedError extends Error {
  constructor(
    readonly daemonName: string,
    readonly output: string,
  ) {
    super(`${daemonName} exited before it was ready:\n${output}`);
    this.name = "DaemonExitedError";
  }
}

/** Starts a daemon on a free loopback port and waits until it is ready; retries when the port was taken meanwhile. */
export async function startDaemon(options: DaemonOptions): Promise<Daemon> {
  if (options.port !== undefined) return startOnce(options, options.port);
  const attempts = options.attempts ?? 3;
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options, await freePort());
    } catch (error) {
      const portTaken = error instanceof DaemonExitedError && /address already in use/i.test(error.output);
      if (!portTaken || attempt >= attempts) throw error;
    }
  }
}

/** True while a process with this id exists (signal 0 probes without signalling). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
