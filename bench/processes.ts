/**
 * Child processes of the bench: every one is registered, so that a timeout, an error or Ctrl-C
 * stops them (and their process groups) and removes the bench's temporary directories.
 */
import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { stopProcess } from "../scripts/preview/processes";

const children = new Set<ChildProcess>();
const tempDirs = new Set<string>();

/** Sends `signal` to the child's process group (children are spawned detached, as group leaders). */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

/** Spawns a registered child in its own process group. */
export function spawnTracked(command: string, args: readonly string[], options: SpawnOptions = {}): ChildProcess {
  const child = spawn(command, args, { ...options, detached: true });
  children.add(child);
  child.once("exit", () => children.delete(child));
  return child;
}

/** Stops one child and its process group: SIGTERM, then SIGKILL after `graceMs`; resolves when it has exited. */
export function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  return stopProcess(child, graceMs, (signal) => signalGroup(child, signal));
}

/** What a finished command printed. */
export interface CommandResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly wallMs: number;
}

/** Runs a command to completion; kills it (and its group) after `timeoutMs` and rejects. */
export function runCommand(
  command: string,
  args: readonly string[],
  options: { cwd?: string; timeoutMs: number; env?: NodeJS.ProcessEnv; input?: string },
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawnTracked(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on("data", (d: Buffer) => out.push(d));
    child.stderr?.on("data", (d: Buffer) => err.push(d));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      signalGroup(child, "SIGKILL");
    }, options.timeoutMs);
    child.once("error", (e) => {
      clearTimeout(timer);
      reject(new Error(`${command} could not be started: ${e.message}`));
    });
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      const result = { code, signal, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString(), wallMs: Date.now() - started };
      if (timedOut) reject(new Error(`${command} ${args.join(" ")} timed out after ${options.timeoutMs / 1000}s`));
      else resolve(result);
    });
    child.stdin?.end(options.input ?? "");
  });
}

/** A fresh temporary directory, removed by {@link cleanup} at the latest. */
export function makeTempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `obs-bench-${prefix}-`));
  tempDirs.add(dir);
  return dir;
}

/** Removes one temporary directory now. */
export function removeTempDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
  tempDirs.delete(dir);
}

/** Stops every child still running and removes every temporary directory. */
export async function cleanup(): Promise<void> {
  await Promise.all([...children].map((c) => stopChild(c, 5_000)));
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

let installed = false;

/** On SIGINT/SIGTERM: clean up, then exit 130/143. */
export function installSignalHandlers(): void {
  if (installed) return;
  installed = true;
  for (const [signal, code] of [
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping child processes and removing temporary directories`);
      void cleanup().finally(() => process.exit(code));
    });
  }
}
