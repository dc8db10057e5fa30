/** The app: what `cdktf synth|deploy` (main.ts) and `npm run synth` (scripts/synth.ts) run. */
import { App } from "cdktf";
import { buildAllArtifacts } from "./environments";
import { addEnvironmentStacks } from "./stacks";

export { buildAllArtifacts } from "./environments";
export { addEnvironmentStacks, stackNames } from "./stacks";
export { synthesize, type SynthesizeOptions, type SynthesizeResult } from "./synthesize";

/** Synthesizes every environment into cdktf's output directory (cdktf's own entry point). */
export function runApp(): void {
  addEnvironmentStacks(new App(), buildAllArtifacts()).synth();
}
