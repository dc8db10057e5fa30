/** The app: what `cdktf synth|deploy` (main.ts) and `npm run synth` (scripts/synth.ts) run. */
import { App } from "cdktf";
import { ValidationError } from "../model/validation-error";
import { buildAllArtifacts } from "./environments";
import { addEnvironmentStacks } from "./stacks";

export { buildAllArtifacts } from "./environments";
export { addEnvironmentStacks, stackNames } from "./stacks";
export { synthesize, type SynthesizeOptions, type SynthesizeResult } from "./synthesize";

/**
 * Synthesizes every environment into cdktf's output directory (cdktf's own entry point). Bad input
 * prints every problem, without a stack trace, and exits 1.
 */
export function runApp(): void {
  try {
    addEnvironmentStacks(new App(), buildAllArtifacts()).synth();
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    console.error(`synth failed:\n${error.message}`);
    process.exitCode = 1;
  }
}
