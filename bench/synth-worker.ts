/**
 * One synth measurement in a fresh process (spawned by synth-scaling.ts, so that peak memory is
 * this size's alone). Prints one JSON line on stdout: a {@link SynthWorkerResult}.
 *
 *   tsx bench/synth-worker.ts <services> <three|all> <tmpdir>
 *
 * `three`: dev, staging and prod, built and written exactly as `synthesize()` does (same functions,
 * same order) with `local` left out, because `synthesize()` always loads every profile.
 * `all`: `synthesize()` itself, all four profiles (local, dev, staging, prod): what `npm run synth` runs.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { performance } from "node:perf_hooks";

import { loadProfiles, type EnvironmentName } from "../environments";
import { buildEnvironmentArtifacts } from "../artifacts/environment-artifacts";
import { generatedFiles } from "../artifacts/generated-files";
import { replaceTreesAtomically } from "../app/atomic-tree";
import { outputTrees, synthesize } from "../app/synthesize";
import { generateCatalog } from "./catalog-generator";

/** What the worker reports. */
export interface SynthWorkerResult {
  readonly services: number;
  readonly environments: readonly string[];
  /** Process start to first line of work: Node, tsx's transpiling and loading cdktf and the product. */
  readonly startupMs: number;
  /** `defineService` for every generated service. */
  readonly catalogMs: number;
  /** The whole synthesis: build artifacts, render generated/, cdktf synth, write and swap both trees. */
  readonly synthMs: number;
  /** Breakdown for `three` (undefined for `all`, which is one opaque call). */
  readonly phases?: { buildMs: number; renderMs: number; cdktfSynthMs: number; writeMs: number };
  readonly ruleFiles: number;
  readonly rules: number;
  readonly generatedFiles: number;
  readonly generatedBytes: number;
  readonly cdktfOutBytes: number;
  /** Peak resident set size of this process, from `process.resourceUsage().maxRSS`. */
  readonly maxRssMiB: number;
}

const THREE: readonly EnvironmentName[] = ["dev", "staging", "prod"];

function treeBytes(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    total += entry.isDirectory() ? treeBytes(p) : fs.statSync(p).size;
  }
  return total;
}

function main(): void {
  // Imports run before main(); performance.now() counts from process start.
  const startupMs = performance.now();
  const [countArg, mode, tmp] = process.argv.slice(2);
  const count = Number(countArg);
  if (!Number.isInteger(count) || count < 1 || (mode !== "three" && mode !== "all") || tmp === undefined) {
    throw new Error("usage: synth-worker.ts <services> <three|all> <tmpdir>");
  }
  fs.mkdirSync(tmp, { recursive: true });
  const outDir = path.join(tmp, "cdktf.out");
  const generatedDir = path.join(tmp, "generated");

  let t = performance.now();
  const services = generateCatalog(count);
  const catalogMs = performance.now() - t;

  t = performance.now();
  let environmentNames: string[];
  let phases: SynthWorkerResult["phases"];
  let ruleCounts: { ruleFiles: number; rules: number };
  let fileCount: number;
  if (mode === "all") {
    const result = synthesize({ outDir, generatedDir, services });
    environmentNames = result.environments.map((e) => e.profile.name);
    ruleCounts = countRules(result.environments);
    fileCount = result.generatedFiles.size;
  } else {
    // The body of synthesize(), restricted to three profiles.
    const t0 = performance.now();
    const environments = loadProfiles(THREE).map((profile) => buildEnvironmentArtifacts(profile, services));
    const t1 = performance.now();
    const files = generatedFiles(environments);
    const t2 = performance.now();
    // The same trees and swap as synthesize(); cdktf's synth runs inside the swap's staging, timed apart.
    let cdktfSynthMs = 0;
    const trees = outputTrees({ outDir, generatedDir }, environments, files).map((tree) =>
      tree.target === outDir
        ? {
            ...tree,
            write: (dir: string) => {
              const start = performance.now();
              tree.write(dir);
              cdktfSynthMs = performance.now() - start;
            },
          }
        : tree,
    );
    replaceTreesAtomically(trees);
    const t3 = performance.now();
    phases = { buildMs: t1 - t0, renderMs: t2 - t1, cdktfSynthMs, writeMs: t3 - t2 - cdktfSynthMs };
    environmentNames = environments.map((e) => e.profile.name);
    ruleCounts = countRules(environments);
    fileCount = files.size;
  }
  const synthMs = performance.now() - t;

  const result: SynthWorkerResult = {
    services: count,
    environments: environmentNames,
    startupMs,
    catalogMs,
    synthMs,
    ...(phases ? { phases } : {}),
    ...ruleCounts,
    generatedFiles: fileCount,
    generatedBytes: treeBytes(generatedDir),
    cdktfOutBytes: treeBytes(outDir),
    // Linux reports kilobytes.
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function countRules(environments: readonly { ruleFiles: readonly { groups: readonly { rules: readonly unknown[] }[] }[] }[]) {
  return {
    ruleFiles: environments.reduce((n, e) => n + e.ruleFiles.length, 0),
    rules: environments.reduce((n, e) => n + e.ruleFiles.reduce((m, f) => m + f.groups.reduce((k, g) => k + g.rules.length, 0), 0), 0),
  };
}

main();
