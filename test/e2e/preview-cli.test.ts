/**
 * `npm run preview` as a person runs it: the script starts, prints its URLs and fault examples,
 * and Ctrl-C (SIGINT to its process group, as a terminal sends it) stops every process it started
 * and removes its files. An unknown environment is refused with the list of environments.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { isProcessAlive } from "../../scripts/preview/processes";

const ROOT = join(__dirname, "..", "..");
const SCRIPT = join(ROOT, "scripts", "preview.ts");
/** As `npm run preview` runs it: one node process with tsx's loader (no wrapper that re-raises Ctrl-C). */
const PREVIEW = [process.execPath, "--import", "tsx", SCRIPT] as const;

describe("npm run preview", () => {
  it("refuses an unknown environment, naming the environments", () => {
    const run = spawnSync(PREVIEW[0], [...PREVIEW.slice(1), "--env", "nowhere"], { cwd: ROOT, encoding: "utf8" });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('environment must be one of local, dev, staging, prod, got "nowhere"');
  }, 30_000);

  describe("started for dev", () => {
    let child: ChildProcess;
    let output = "";
    const exit = () =>
      new Promise<number | null>((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once("exit", (code) => resolve(code))));
    const pids = () => [...output.matchAll(/\(pid (\d+)\)/g)].map((m) => Number(m[1]));

    beforeAll(async () => {
      // Its own process group, so that SIGINT reaches every process of it as Ctrl-C in a terminal does.
      child = spawn(PREVIEW[0], [...PREVIEW.slice(1), "--env", "dev", "--services", "divan-api"], {
        cwd: ROOT,
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
      });
      child.stdout!.on("data", (d) => (output += String(d)));
      child.stderr!.on("data", (d) => (output += String(d)));
      const deadline = Date.now() + 60_000;
      while (!output.includes("Ctrl-C stops everything")) {
        if (child.exitCode !== null || Date.now() > deadline) throw new Error(`preview did not start:\n${output}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }, 70_000);

    afterAll(() => {
      if (child.exitCode === null) process.kill(-child.pid!, "SIGKILL");
      for (const pid of pids()) if (isProcessAlive(pid)) process.kill(pid, "SIGKILL");
    });

    it("prints the URLs of Prometheus, Alertmanager, the sink and the demo, and a curl line per fault", async () => {
      const prometheus = output.match(/Prometheus\s+(http:\/\/127\.0\.0\.1:\d+)\/alerts/)?.[1];
      const alertmanager = output.match(/Alertmanager\s+(http:\/\/127\.0\.0\.1:\d+)\//)?.[1];
      expect((await fetch(`${prometheus}/-/ready`)).ok).toBe(true);
      expect((await fetch(`${alertmanager}/-/ready`)).ok).toBe(true);
      expect(output).toMatch(/Webhook sink\s+http:\/\/127\.0\.0\.1:\d+\/notifications/);
      for (const fault of ["errorRatio", "latencySeconds", "dependencyDown", "socketDrop", "jobFailureRatio"]) {
        expect(output).toMatch(new RegExp(`curl -s -X POST http://127\\.0\\.0\\.1:\\d+/faults .*"${fault}"`));
      }
      const curl = output.match(/curl -s -X POST (http:\/\/127\.0\.0\.1:\d+)\/faults /)![1]!;
      const response = await fetch(`${curl}/faults`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"latencySeconds": 0.5}' });
      expect(await response.json()).toMatchObject({ latencySeconds: 0.5 });
      expect(pids()).toHaveLength(2);
    }, 20_000);

    it("stops everything on Ctrl-C and removes its work dir", async () => {
      const workDir = output.match(/Work dir\s+(\S+)/)![1]!;
      expect(existsSync(workDir)).toBe(true);
      process.kill(-child.pid!, "SIGINT");
      expect(await exit()).toBe(0);
      expect(output).toContain("nothing left running");
      for (const pid of pids()) expect(isProcessAlive(pid)).toBe(false);
      expect(existsSync(workDir)).toBe(false);
    }, 30_000);
  });
});
