/**
 * The lifecycle every server a test starts goes through (scripts/preview/processes.ts'
 * startDaemon, under LocalAlertmanager, the preview pipeline and the end-to-end tests), on a fake
 * daemon in plain Node (fake-daemon.js) that does on purpose what the real ones do now and then:
 * write into its data folder after SIGTERM, ignore SIGTERM, start slowly while another process
 * takes its port.
 */
import { existsSync, readdirSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { isProcessAlive, listensOn, startDaemon } from "../../scripts/preview/processes";
import { LocalAlertmanager } from "../alertmanager/alertmanager-process";
import { tempDir } from "../alertmanager/amtool";

const FAKE_DAEMON = join(__dirname, "fake-daemon.js");

describe("stopping a daemon", () => {
  it("resolves LocalAlertmanager.stop() once the process has exited, so its data folder can be removed though it writes there on SIGTERM", async () => {
    const dir = tempDir("teardown-alertmanager-");
    const dataDir = join(dir.path, "data");
    // The fake takes Alertmanager's flags and writes into --storage.path for 300 ms after SIGTERM.
    const am = await LocalAlertmanager.start(dir.write("alertmanager.yaml", ""), dataDir, FAKE_DAEMON);
    try {
      expect(isProcessAlive(am.pid)).toBe(true);
      await am.stop();
      expect(isProcessAlive(am.pid)).toBe(false);
      expect(readdirSync(dataDir).filter((f) => f.startsWith("state-")).length).toBeGreaterThan(0);
      expect(() => dir.remove()).not.toThrow();
      expect(existsSync(dir.path)).toBe(false);
    } finally {
      await am.stop();
      dir.remove();
    }
  });

  it("kills a daemon that ignores SIGTERM once the grace period is over, and resolves when it is gone", async () => {
    const daemon = await startDaemon({
      name: "fake",
      command: process.execPath,
      args: (port) => [FAKE_DAEMON, `--web.listen-address=127.0.0.1:${port}`, "--ignore-sigterm"],
    });
    try {
      await daemon.stop(200);
      expect(daemon.hasExited()).toBe(true);
      expect(isProcessAlive(daemon.pid)).toBe(false);
    } finally {
      await daemon.stop(0);
    }
  });

  it("resolves at once when the daemon has already exited", async () => {
    const daemon = await startDaemon({
      name: "fake",
      command: process.execPath,
      args: (port) => [FAKE_DAEMON, `--web.listen-address=127.0.0.1:${port}`, "--shutdown-ms=0"],
    });
    await daemon.stop();
    await expect(daemon.stop()).resolves.toBeUndefined();
  });
});

describe("starting a daemon", () => {
  it("does not take the answer of another process that bound its port meanwhile for its own, and moves to another port", async () => {
    let impostor: { server: Server; port: number } | undefined;
    const daemon = await startDaemon({
      name: "fake",
      command: process.execPath,
      args: (port) => {
        // The first port is taken right away by another server (as by a test file running in
        // parallel), while the daemon, slow to start, binds only after 500 ms.
        impostor ??= { server: createServer((_request, response) => response.end("impostor")).listen(port, "127.0.0.1"), port };
        return [FAKE_DAEMON, `--web.listen-address=127.0.0.1:${port}`, "--listen-delay-ms=500"];
      },
    });
    try {
      expect(daemon.port).not.toBe(impostor!.port);
      expect(listensOn(daemon.pid, daemon.port)).toBe(true);
      expect(listensOn(daemon.pid, impostor!.port)).toBe(false);
      expect(await (await fetch(`${daemon.url}/-/ready`)).text()).toBe(String(daemon.pid));
    } finally {
      await daemon.stop();
      impostor?.server.closeAllConnections();
      impostor?.server.close();
    }
  });
});
