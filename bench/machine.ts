/** The machine a result was measured on, and where results are written. */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** What every result file records about its machine. */
export interface MachineInfo {
  readonly os: string;
  readonly kernel: string;
  readonly arch: string;
  readonly cpuModel: string;
  /** CPUs the process may use (`os.availableParallelism`), which is what "2 cores" means. */
  readonly cpus: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly prometheus: string | undefined;
  /** The code measured: commit, and how many files outside bench/ differ from it. */
  readonly revision: string;
}

/** `634c76f` or `634c76f + 3 uncommitted files` (bench/ itself not counted). */
export function revision(): string {
  const repo = path.resolve(__dirname, "..");
  try {
    const commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: repo, encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--", ".", ":!bench"], { cwd: repo, encoding: "utf8" })
      .split("\n")
      .filter((l) => l.trim() !== "").length;
    return dirty > 0 ? `${commit} + ${dirty} uncommitted files` : commit;
  } catch {
    return "unknown (not a git checkout)";
  }
}

function osName(): string {
  try {
    const release = fs.readFileSync("/etc/os-release", "utf8");
    const pretty = release.match(/^PRETTY_NAME="?([^"\n]*)"?$/m)?.[1];
    if (pretty) return pretty;
  } catch {
    // not Linux, or no os-release: fall through
  }
  return `${os.type()} ${os.release()}`;
}

/** Describes this machine; `prometheusVersion` is filled by the parts that run it. */
export function machineInfo(prometheusVersion?: string): MachineInfo {
  const cpus = os.cpus();
  return {
    os: osName(),
    kernel: os.release(),
    arch: os.arch(),
    cpuModel: cpus[0]?.model.trim() ?? "unknown",
    cpus: typeof os.availableParallelism === "function" ? os.availableParallelism() : cpus.length,
    memoryGiB: Number((os.totalmem() / 1024 ** 3).toFixed(1)),
    node: process.version,
    prometheus: prometheusVersion,
    revision: revision(),
  };
}

/** One line: `Debian GNU/Linux 12 (x64), AMD EPYC x2, 23.5 GiB RAM, Node v20.20.2; code 634c76f`. */
export function machineLine(m: MachineInfo): string {
  return `${m.os} (${m.arch}), ${m.cpuModel} x${m.cpus}, ${m.memoryGiB} GiB RAM, Node ${m.node}${m.prometheus ? `, Prometheus ${m.prometheus}` : ""}; code ${m.revision}`;
}

/** `bench/results/`. */
export const RESULTS_DIR = path.join(__dirname, "results");

/** Writes `bench/results/<part>.json` (or `<part>.smoke.json`) and returns its path. */
export function writeResult(part: string, smoke: boolean, body: Record<string, unknown>): string {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${part}${smoke ? ".smoke" : ""}.json`);
  fs.writeFileSync(file, `${JSON.stringify(body, null, 2)}\n`);
  return file;
}
