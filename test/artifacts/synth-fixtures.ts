/**
 * Small synths for the swap tests: a previous catalog ("edge") and a new one ("edge" and "feed"),
 * so that every file tells which synth wrote it. A synth of two services takes well under a second.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { readTree, TEMP_PREFIX } from "../../app/atomic-tree";
import { synthesize, type SynthesizeOptions, type SynthesizeResult } from "../../app/synthesize";
import { serviceCatalog } from "../../services";

export const PREVIOUS_SERVICES: readonly string[] = ["edge"];
export const NEW_SERVICES: readonly string[] = ["edge", "feed"];

/** Synthesizes `services` (by name) into `<parent>/generated` and `<parent>/cdktf.out`. */
export function synthInto(parent: string, services: readonly string[], options: Partial<SynthesizeOptions> = {}): SynthesizeResult {
  return synthesize({
    outDir: path.join(parent, "cdktf.out"),
    generatedDir: path.join(parent, "generated"),
    services: serviceCatalog().filter((s) => services.includes(s.name)),
    ...options,
  });
}

/** Both trees, read back. */
export interface TreePair {
  readonly generated: Map<string, string>;
  readonly out: Map<string, string>;
}

export function pairIn(parent: string): TreePair {
  return { generated: readTree(path.join(parent, "generated")), out: readTree(path.join(parent, "cdktf.out")) };
}

/** What a reader sees in `parent`, temporary directories left out. */
export function visibleEntries(parent: string): string[] {
  return fs
    .readdirSync(parent)
    .filter((e) => !e.startsWith(TEMP_PREFIX))
    .sort();
}

/** The temporary directories in `parent`. */
export function tempEntries(parent: string): string[] {
  return fs
    .readdirSync(parent)
    .filter((e) => e.startsWith(TEMP_PREFIX))
    .sort();
}

/** The stacks every synth writes: the three stacks of every environment. */
export const ALL_STACKS: readonly string[] = ["dev", "local", "prod", "staging"]
  .flatMap((env) => [`obs-${env}-bootstrap`, `obs-${env}-content`, `obs-${env}-platform`])
  .sort();

export function stacksIn(parent: string): string[] {
  const dir = path.join(parent, "cdktf.out", "stacks");
  return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
}
