/**
 * A real Prometheus (Debian's /usr/bin/prometheus) on loopback for the bench: started in its own
 * process group, always stopped by `stop()` or by processes.ts' cleanup.
 */
import type { ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { freePort, listensOn } from "../scripts/preview/processes";
import { runCommand, spawnTracked, stopChild } from "./processes";

/** `prometheus --version`'s first line, e.g. `2.42.0+ds`. */
export async function prometheusVersion(binary = "prometheus"): Promise<string> {
  const r = await runCommand(binary, ["--version"], { timeoutMs: 15_000 });
  return (r.stdout + r.stderr).match(/version ([^\s]+)/)?.[1] ?? "unknown";
}

export interface PrometheusOptions {
  readonly label: string;
  readonly binary?: string;
  readonly configFile: string;
  readonly dataDir: string;
  readonly extraArgs?: readonly string[];
  readonly logFile: string;
}

export class PrometheusInstance {
  private constructor(
    readonly label: string,
    readonly url: string,
    private readonly child: ChildProcess,
    readonly logFile: string,
  ) {}

  /** Starts Prometheus and waits until `/-/ready` answers 200 (or throws with the log's tail). */
  static async start(options: PrometheusOptions, readyTimeoutMs = 180_000): Promise<PrometheusInstance> {
    const port = await freePort();
    const log = fs.openSync(options.logFile, "w");
    const child = spawnTracked(
      options.binary ?? "prometheus",
      [
        `--config.file=${options.configFile}`,
        `--storage.tsdb.path=${options.dataDir}`,
        `--web.listen-address=127.0.0.1:${port}`,
        "--log.level=warn",
        ...(options.extraArgs ?? []),
      ],
      { stdio: ["ignore", log, log] },
    );
    fs.closeSync(log);
    const instance = new PrometheusInstance(options.label, `http://127.0.0.1:${port}`, child, options.logFile);
    const deadline = Date.now() + readyTimeoutMs;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`prometheus (${options.label}) exited with ${child.exitCode ?? child.signalCode} during start-up:\n${instance.logTail()}`);
      }
      try {
        const response = await fetch(`${instance.url}/-/ready`, { signal: AbortSignal.timeout(2_000) });
        // Only this Prometheus' own answer: another process may have taken the port after freePort().
        if (response.ok && listensOn(child.pid!, port) !== false) return instance;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) {
        await instance.stop();
        throw new Error(`prometheus (${options.label}) not ready after ${readyTimeoutMs / 1000}s:\n${instance.logTail()}`);
      }
      await sleep(500);
    }
  }

  logTail(lines = 20): string {
    try {
      return fs.readFileSync(this.logFile, "utf8").trim().split("\n").slice(-lines).join("\n");
    } catch {
      return "(no log)";
    }
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  async stop(): Promise<void> {
    await stopChild(this.child, 30_000);
  }

  /** Its own `/metrics`, parsed: metric name with labels -> value. */
  async selfMetrics(): Promise<Map<string, number>> {
    const response = await fetch(`${this.url}/metrics`, { signal: AbortSignal.timeout(20_000) });
    if (!response.ok) throw new Error(`${this.label} /metrics answered ${response.status}`);
    const map = new Map<string, number>();
    for (const line of (await response.text()).split("\n")) {
      if (line === "" || line.startsWith("#")) continue;
      const space = line.lastIndexOf(" ");
      map.set(line.slice(0, space), Number(line.slice(space + 1)));
    }
    return map;
  }

  /** `/api/v1/rules`: every group with its rules' last evaluation time (seconds). */
  async ruleGroups(): Promise<
    { name: string; file: string; evaluationTime: number; rules: { name: string; type: string; labels?: Record<string, string>; evaluationTime: number }[] }[]
  > {
    const response = await fetch(`${this.url}/api/v1/rules`, { signal: AbortSignal.timeout(30_000) });
    const body = (await response.json()) as { status: string; data?: { groups: never[] } };
    if (body.status !== "success" || !body.data) throw new Error(`${this.label} /api/v1/rules answered ${response.status}`);
    return body.data.groups;
  }

  /**
   * The samples an instant query at `atSeconds` reads, from the query API's own statistics
   * (`stats=all`): `data.stats.samples.totalQueryableSamples`, every sample its selectors load,
   * each step of a subquery counted.
   */
  async samplesRead(expr: string, atSeconds: number, timeoutSeconds = 120): Promise<number> {
    const url = `${this.url}/api/v1/query?query=${encodeURIComponent(expr)}&time=${atSeconds}&stats=all&timeout=${timeoutSeconds}s`;
    const response = await fetch(url, { signal: AbortSignal.timeout((timeoutSeconds + 10) * 1000) });
    const body = (await response.json()) as { status: string; error?: string; data?: { stats?: { samples?: { totalQueryableSamples?: number } } } };
    if (body.status !== "success") throw new Error(`${this.label} query ${expr} failed: ${body.error ?? response.status}`);
    const samples = body.data?.stats?.samples?.totalQueryableSamples;
    if (samples === undefined) throw new Error(`${this.label} answered no samples statistics (stats=all needs Prometheus 2.35 or later)`);
    return samples;
  }

  /** An instant query; returns the vector's samples as labels and value. */
  async query(expr: string, timeoutSeconds = 60): Promise<{ metric: Record<string, string>; value: number }[]> {
    const url = `${this.url}/api/v1/query?query=${encodeURIComponent(expr)}&timeout=${timeoutSeconds}s`;
    const response = await fetch(url, { signal: AbortSignal.timeout((timeoutSeconds + 10) * 1000) });
    const body = (await response.json()) as { status: string; error?: string; data?: { resultType: string; result: unknown } };
    if (body.status !== "success") throw new Error(`${this.label} query ${expr} failed: ${body.error ?? response.status}`);
    const result = body.data!.result;
    if (body.data!.resultType === "scalar") return [{ metric: {}, value: Number((result as [number, string])[1]) }];
    return (result as { metric: Record<string, string>; value: [number, string] }[]).map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Copies a TSDB directory for another instance (without the lock and query log of its last owner). */
export function copyTsdb(from: string, to: string): void {
  fs.cpSync(from, to, { recursive: true });
  for (const f of ["lock", "queries.active"]) fs.rmSync(path.join(to, f), { force: true });
}
