import { startDaemon, type Daemon } from "../../scripts/preview/processes";
import { TOOLS } from "../../scripts/preview/tool-checks";

/** Labels and status of one alert, as Alertmanager's API v2 reports it. */
export interface ApiAlert {
  readonly labels: Readonly<Record<string, string>>;
  readonly fingerprint: string;
  readonly status: { readonly state: "active" | "suppressed" | "unprocessed"; readonly inhibitedBy: readonly string[] };
}

/**
 * A real Alertmanager (Debian's 0.25) on loopback, without clustering, started and stopped by the
 * preview's {@link startDaemon}: `stop` resolves once the process has exited, after it has written
 * its state into `storagePath`, so the folder can be removed then.
 */
export class LocalAlertmanager {
  private constructor(private readonly daemon: Daemon) {}

  /** `command` runs instead of Debian's Alertmanager with the same flags (the teardown tests' stand-in). */
  static async start(configFile: string, storagePath: string, command: string = TOOLS.alertmanager): Promise<LocalAlertmanager> {
    const daemon = await startDaemon({
      name: "alertmanager",
      command,
      args: (port) => [`--config.file=${configFile}`, `--storage.path=${storagePath}`, `--web.listen-address=127.0.0.1:${port}`, "--cluster.listen-address="],
    });
    return new LocalAlertmanager(daemon);
  }

  get url(): string {
    return this.daemon.url;
  }

  get pid(): number {
    return this.daemon.pid;
  }

  /** Polls `condition` until it holds; fails with Alertmanager's log if the process exits first. */
  async until(condition: () => Promise<boolean>, what: string): Promise<void> {
    for (;;) {
      if (this.daemon.hasExited()) throw new Error(`alertmanager exited before ${what}:\n${this.daemon.output()}`);
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

  /** SIGTERM, then SIGKILL after `graceMs`; resolves once Alertmanager has exited. */
  stop(graceMs?: number): Promise<void> {
    return this.daemon.stop(graceMs);
  }
}
