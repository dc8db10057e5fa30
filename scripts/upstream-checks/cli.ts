/**
 * Upstream checks of what synth produced, against the pinned charts' and operator's own files:
 *
 *   npx tsx scripts/upstream-checks/cli.ts crds <upstream-dir>        manifests of the content stacks vs the CRD schemas
 *   npx tsx scripts/upstream-checks/cli.ts values <upstream-dir>      values files' key paths vs the charts' defaults
 *   npx tsx scripts/upstream-checks/cli.ts --self-test <upstream-dir> a deliberate typo makes each check fail
 *
 * `<upstream-dir>` holds `crds/` and `chart-values/` (in CI: ../shared/upstream, see its
 * PROVENANCE.md). Run after `npm run synth`: the checks read cdktf.out/stacks/ and generated/.
 * Exit 1 on any failure, 2 on bad usage. Not part of `npm test`: a user's clone has no upstream copies.
 */
import * as fs from "node:fs";
import { runCrdCheck } from "./run-crd-check";
import { runSelfTest } from "./self-test";
import { runValuesCheck } from "./run-values-check";

const CHECKS: Readonly<Record<string, (upstreamDir: string) => number>> = {
  crds: runCrdCheck,
  values: runValuesCheck,
  "--self-test": runSelfTest,
};

function main([mode, upstreamDir]: readonly string[]): number {
  const check = mode === undefined ? undefined : CHECKS[mode];
  if (!check || !upstreamDir || !fs.existsSync(upstreamDir)) {
    console.error(
      `usage: tsx scripts/upstream-checks/cli.ts <${Object.keys(CHECKS).join("|")}> <upstream-dir>${upstreamDir ? ` (no such directory: ${upstreamDir})` : ""}`,
    );
    return 2;
  }
  const started = Date.now();
  try {
    const failures = check(upstreamDir);
    console.log(`(${((Date.now() - started) / 1000).toFixed(1)} s)`);
    return failures === 0 ? 0 : 1;
  } catch (error) {
    // A missing synth output, an unreadable upstream file or a self-test whose real document lacks what it mutates.
    console.error(`upstream check ${mode} could not run: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

process.exitCode = main(process.argv.slice(2));
