/**
 * Part 1, synth scaling: wall time and peak memory of synthesizing the environments with N
 * generated services, each size in a fresh process (synth-worker.ts).
 *
 * Goal (the issue): 3 environments x 100 services in 10 s or less on 2 cores, growing linearly.
 */
import * as path from "node:path";
import { machineInfo, machineLine, writeResult } from "./machine";
import { makeTempDir, removeTempDir, runCommand } from "./processes";
import type { SynthWorkerResult } from "./synth-worker";
import { fmt, markdownTable, median } from "./table";

export interface SynthOptions {
  readonly sizes: readonly number[];
  readonly smoke: boolean;
  /** Also measure `synthesize()` itself over all four profiles (local, dev, staging, prod). */
  readonly includeAllProfiles: boolean;
}

/** Seconds the goal allows for 3 environments x 100 services. */
export const SYNTH_GOAL_SECONDS = 10;
const REPO = path.resolve(__dirname, "..");

/** Median of `repeats` runs of one size and mode, each in a fresh process. */
interface SizeResult {
  readonly mode: "three" | "all";
  readonly services: number;
  readonly runs: readonly SynthWorkerResult[];
  readonly synthSeconds: number;
  readonly processSeconds: number;
  readonly maxRssMiB: number;
  readonly msPerService: number;
}

async function runWorker(services: number, mode: "three" | "all"): Promise<{ result: SynthWorkerResult; processMs: number }> {
  const dir = makeTempDir(`synth-${services}`);
  try {
    const run = await runCommand(process.execPath, ["--import", "tsx", path.join(__dirname, "synth-worker.ts"), String(services), mode, dir], {
      cwd: REPO,
      // A generous ceiling: about 0.1 s per service and environment, times 20.
      timeoutMs: Math.max(120_000, services * 4 * 2_000),
    });
    const last = run.stdout.trim().split("\n").pop() ?? "";
    if (run.code !== 0 || !last.startsWith("{")) {
      throw new Error(
        `synth worker (${services} services, ${mode}) failed with ${run.code ?? run.signal}:\n${run.stderr.trim().split("\n").slice(-15).join("\n")}`,
      );
    }
    return { result: JSON.parse(last) as SynthWorkerResult, processMs: run.wallMs };
  } finally {
    removeTempDir(dir);
  }
}

async function measure(services: number, mode: "three" | "all", repeats: number): Promise<SizeResult> {
  const runs: SynthWorkerResult[] = [];
  const processMs: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const { result, processMs: ms } = await runWorker(services, mode);
    runs.push(result);
    processMs.push(ms);
    console.log(
      `  ${mode === "three" ? "3 envs" : "4 envs"}, ${String(services).padStart(4)} services, run ${i + 1}/${repeats}: synth ${fmt(result.synthMs / 1000)} s, peak RSS ${fmt(result.maxRssMiB)} MiB`,
    );
  }
  const synthSeconds = median(runs.map((r) => r.synthMs)) / 1000;
  return {
    mode,
    services,
    runs,
    synthSeconds,
    processSeconds: median(processMs) / 1000,
    maxRssMiB: Math.max(...runs.map((r) => r.maxRssMiB)),
    msPerService: (synthSeconds * 1000) / services,
  };
}

/** Least-squares t = a + b n over the sizes: fixed cost a and cost per service b. */
function linearFit(points: readonly { n: number; t: number }[]): { fixed: number; perService: number } {
  const n = points.length;
  const sx = points.reduce((s, p) => s + p.n, 0);
  const sy = points.reduce((s, p) => s + p.t, 0);
  const sxx = points.reduce((s, p) => s + p.n * p.n, 0);
  const sxy = points.reduce((s, p) => s + p.n * p.t, 0);
  const perService = (n * sxy - sx * sy) / (n * sxx - sx * sx);
  return { fixed: (sy - perService * sx) / n, perService };
}

export async function runSynthScaling(options: SynthOptions): Promise<Record<string, unknown>> {
  console.log(`\n## Synth scaling (${options.sizes.join(", ")} services; each run in a fresh process)`);
  const modes: ("three" | "all")[] = options.includeAllProfiles ? ["three", "all"] : ["three"];
  const results: SizeResult[] = [];
  for (const mode of modes) {
    for (const size of options.sizes) {
      // Small sizes are cheap and noisy: take the median of three runs.
      results.push(await measure(size, mode, options.smoke ? 1 : size <= 100 ? 3 : 1));
    }
  }
  const rows = results.map((r, i) => {
    const prev = i > 0 && results[i - 1]!.mode === r.mode ? results[i - 1] : undefined;
    const growth = prev ? `${fmt(r.synthSeconds / prev.synthSeconds)}x for ${fmt(r.services / prev.services)}x services` : "-";
    const first = r.runs[0]!;
    return [
      r.mode === "three" ? "dev, staging, prod" : "local, dev, staging, prod",
      String(r.services),
      String(first.rules),
      `${fmt(first.generatedBytes / 1024 ** 2)} + ${fmt(first.cdktfOutBytes / 1024 ** 2)}`,
      fmt(r.synthSeconds),
      fmt(r.processSeconds),
      fmt(r.msPerService),
      fmt(r.maxRssMiB),
      growth,
    ];
  });
  const table = markdownTable(
    ["environments", "services", "rules", "generated/ + cdktf.out MiB", "synth s", "process s", "ms / service", "peak RSS MiB", "growth"],
    rows,
  );
  const three = results.filter((r) => r.mode === "three");
  const fit = three.length >= 2 ? linearFit(three.map((r) => ({ n: r.services, t: r.synthSeconds }))) : undefined;
  const at100 = three.find((r) => r.services === 100);
  const goal = at100 ? { seconds: at100.synthSeconds, goalSeconds: SYNTH_GOAL_SECONDS, met: at100.synthSeconds <= SYNTH_GOAL_SECONDS } : undefined;
  const r100 = three.find((r) => r.services === 100);
  const r1000 = three.find((r) => r.services === 1000);
  const growth100to1000 = r100 && r1000 ? r1000.synthSeconds / r100.synthSeconds : undefined;
  const phaseRows = three.map((r) => {
    const p = r.runs.map((x) => x.phases!);
    const m = (k: keyof NonNullable<SynthWorkerResult["phases"]>) => fmt(median(p.map((x) => x[k])) / 1000);
    return [String(r.services), m("buildMs"), m("renderMs"), m("cdktfSynthMs"), m("writeMs")];
  });
  const phases = markdownTable(["services (3 envs)", "build artifacts s", "render generated/ s", "cdktf synth s", "write s"], phaseRows);
  console.log(`\n${table}\n\nWhere the time goes (3 environments, medians):\n\n${phases}\n`);
  if (fit) console.log(`Linear fit over the sizes (3 envs): ${fmt(fit.fixed)} s fixed + ${fmt(fit.perService * 1000)} ms per service.`);
  if (growth100to1000 !== undefined) console.log(`Growth 100 -> 1000 services: ${fmt(growth100to1000)}x (linear = 10x).`);
  if (goal) console.log(`Goal 3 envs x 100 services <= ${SYNTH_GOAL_SECONDS} s: ${fmt(goal.seconds)} s, ${goal.met ? "met" : "MISSED"}.`);
  const machine = machineInfo();
  console.log(`Machine: ${machineLine(machine)}`);
  const body = {
    part: "synth-scaling",
    date: new Date().toISOString(),
    machine,
    smoke: options.smoke,
    method:
      "Each size runs in a fresh Node process (node --import tsx bench/synth-worker.ts); 'synth s' is the wall time of the whole synthesis " +
      "(validate profiles, build every environment's artifacts, render generated/, cdktf synth of the stacks, write both trees into a temp dir), " +
      "excluding process start-up and catalog generation; 'process s' is the child's whole wall time. Peak RSS is process.resourceUsage().maxRSS " +
      "of the child. 'dev, staging, prod' is synthesize()'s body restricted to three profiles; 'local, dev, staging, prod' is synthesize() itself. " +
      "Sizes up to 100 take the median of 3 runs, larger sizes 1 run.",
    results: results.map(({ runs, ...rest }) => ({ ...rest, runs })),
    linearFit: fit ? { fixedSeconds: fit.fixed, msPerService: fit.perService * 1000 } : undefined,
    growth100to1000,
    goal,
    table,
    phases,
  };
  console.log(`wrote ${writeResult("synth-scaling", options.smoke, body)}`);
  return body;
}
