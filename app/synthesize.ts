import * as fs from "node:fs";
import * as path from "node:path";
import { App } from "cdktf";
import { buildAllArtifacts } from "./environments";
import { addEnvironmentStacks } from "./stacks";
import type { EnvironmentName } from "../environments";
import type { ServiceSpec } from "../signals/service-spec";
import { replaceTreeAtomically } from "./atomic-tree";
import type { EnvironmentArtifacts } from "../artifacts/environment-artifacts";
import { generatedFiles } from "../artifacts/generated-files";

/** Where `synthesize` writes, and optionally what it reads instead of the repository's own inputs. */
export interface SynthesizeOptions {
  /** cdktf's output directory. */
  readonly outDir: string;
  /** The review artifacts directory. */
  readonly generatedDir: string;
  /**
   * Profiles as written, by environment.
   * @default - the repository's environments/
   */
  readonly profileInputs?: Readonly<Record<EnvironmentName, unknown>>;
  /**
   * The service catalog.
   * @default - the repository's services/
   */
  readonly services?: readonly ServiceSpec[];
}

/** What one synth produced. */
export interface SynthesizeResult {
  readonly environments: readonly EnvironmentArtifacts[];
  readonly generatedFiles: ReadonlyMap<string, string>;
}

/**
 * Validates every profile, builds every environment, synthesizes the stacks into a temporary
 * directory and only then swaps both `outDir` and `generatedDir` in. Any error (a bad profile, a
 * malformed rule) happens before the swap, so the previous outputs stay as they were.
 */
export function synthesize(options: SynthesizeOptions): SynthesizeResult {
  const environments = buildAllArtifacts(options.profileInputs, options.services);
  const files = generatedFiles(environments);
  const stagingOut = `${options.outDir}.tmp-${process.pid}`;
  fs.rmSync(stagingOut, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(stagingOut), { recursive: true });
  try {
    addEnvironmentStacks(new App({ outdir: stagingOut, skipValidation: false }), environments).synth();
    replaceTreeAtomically(options.generatedDir, files);
    fs.rmSync(options.outDir, { recursive: true, force: true });
    fs.renameSync(stagingOut, options.outDir);
  } finally {
    fs.rmSync(stagingOut, { recursive: true, force: true });
  }
  return { environments, generatedFiles: files };
}
