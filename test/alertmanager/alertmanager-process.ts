import { spawn, type ChildProcess } from "node:child_process";
import { freePort } from "../../scripts/preview/processes";

/** Labels and status of one alert, as Alertmanager's API v2 reports it. */
export interface ApiAlert {
  readonly labels: Readonly<Record<string, string>>;
  readonly fingerprint: string;
  readonly status: { readonly state: "active" | "suppressed" | "unprocessed"; readonly inhibitedBy: readonly string[] };
}

/** A real Alertmanager (Debian's 0.25) on loopback, without clustering, stopped by `stop`. */
export class LocalAlertmanager {
  private constructor(
    private readonly process: ChildProcess,
    readonly url: string,
    private readonly log: string[],
  ) {}

  static async start(configFile: string, storagePath: string): Promise<LocalAlertmanager> {
    const port = await freePort();
    const log: string[] = [];
    const child = spawn(
      "prometheus-alertmanager",
      [`--config.file=${configFile}`, `--storage.path=${storagePath}`, `--web.listen-address=127.0.0.1:${port}`, "--cluster.listen-address="],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    child.stdout!.on("data", (d) => log.push(String(d)));
    child.stderr!.on("data", (d) => log.push(String(d)));
    const am = new LocalAlertmanager(child, `http://127.0.0.1:${port}`, log);
    await am.until(async () => (await fetch(`${am.url}/-/ready`).catch(() => undefined))?.ok === true, "ready");
    return am;
  }

  /** Polls `condition` until it holds; fails with Alertmanager's log if the process exits first. */
  async until(condition: () => Promise<boolean>, what: string): Promise<void> {
    for (;;) {
      if (this.process.exitCode !== null) throw new Error(`alertmanager exited before ${what}:\n${this.log.join("")}`);
      if (await condition()) return;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async post(alerts: readonly Readonly<Record<string, string>>[]): Promise<void> {
    const response = await fetch(`${this.url}/api/v2/alerts`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(alerts.map((labels) => ({ labels }))),
    });
    if (!response.ok) throw new Error(`posting alerts failed: ${response.status} ${await response.text()}`);
  }

  async alerts(): Promise<ApiAlert[]> {
    return (await (await fetch(`${this.url}/api/v2/alerts`)).json()) as ApiAlert[];
  }

  stop(): void {
    if (this.process.exitCode === null) this.process.kill("SIGTERM");
  }
}
