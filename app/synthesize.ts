import { App } from "cdktf";
import { buildAllArtifacts } from "./environments";
import { addEnvironmentStacks } from "./stacks";
import type { EnvironmentName } from "../environments";
import type { ServiceSpec, ServiceSpecInput } from "../signals/service-spec";
import { replaceTreesAtomically, writeTree, type StagedTree, type SwapReport, type TreeFileOps } from "./atomic-tree";
import type { EnvironmentArtifacts } from "../artifacts/environment-artifacts";
import { generatedFiles } from "../artifacts/generated-files";

/** Where `synthesize` writes, and optionally what it reads instead of the repository's own inputs. */
export interface SynthesizeOptions {
  /** cdktf's output directory; in the same parent directory as `generatedDir`. */
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
  readonly services?: readonly (ServiceSpecInput | ServiceSpec)[];
  /**
   * The renames and removals that swap the trees, for tests that simulate what their root user
   * cannot (a previous tree that resists removal).
   * @default - node:fs
   */
  readonly fileOps?: Partial<TreeFileOps>;
}

/** What one synth produced, and what it found and left beside the outputs. */
export interface SynthesizeResult extends SwapReport {
  readonly environments: readonly EnvironmentArtifacts[];
  readonly generatedFiles: ReadonlyMap<string, string>;
}

/** The two trees one synth replaces together: generated/ first, then cdktf.out/. */
export function outputTrees(
  dirs: Pick<SynthesizeOptions, "outDir" | "generatedDir">,
  environments: readonly EnvironmentArtifacts[],
  files: ReadonlyMap<string, string>,
): StagedTree[] {
  return [
    { target: dirs.generatedDir, write: (dir) => writeTree(dir, files) },
    { target: dirs.outDir, write: (dir) => addEnvironmentStacks(new App({ outdir: dir, skipValidation: false }), environments).synth() },
  ];
}

/**
 * Validates every profile and builds every environment in memory (an input error throws here,
 * before anything is written), then replaces `generatedDir` and `outDir` together with
 * {@link replaceTreesAtomically}: both new or, on a failure, both as they were; a synth stopped
 * mid-swap is finished by the next one.
 */
export function synthesize(options: SynthesizeOptions): SynthesizeResult {
  const environments = buildAllArtifacts(options.profileInputs, options.services);
  const files = generatedFiles(environments);
  const report = replaceTreesAtomically(outputTrees(options, environments, files), { fileOps: options.fileOps });
  return { environments, generatedFiles: files, ...report };
}
