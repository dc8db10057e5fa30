/**
 * `npm run synth`: validates every environment profile, synthesizes `obs-<env>-bootstrap`, `obs-<env>-platform` and
 * `obs-<env>-content` into cdktf.out/, and rewrites the review artifacts in generated/. Both trees
 * are replaced together (app/atomic-tree.ts): an input error writes nothing; a failure while
 * swapping says where the trees stand; a synth that was killed is recovered by the next one.
 */
import * as path from "node:path";
import { TreeSwapError } from "../app/atomic-tree";
import { ValidationError } from "../model/validation-error";

/** What a failed synth prints: true about what was written, naming the paths. */
export function failureMessage(error: unknown): string {
  // An input error is the user's to fix: its message says what, a stack trace would only bury it.
  if (error instanceof ValidationError) return `synth failed, nothing was written:\n${error.message}`;
  if (error instanceof TreeSwapError) {
    const cause = error.cause instanceof Error && error.state === "untouched" && !isSystemError(error.cause) ? `\n${error.cause.stack}` : "";
    return [
      ...error.report.recovered.map((r) => `recovered: ${r}`),
      ...error.report.warnings.map((w) => `warning: ${w}`),
      `synth failed: ${error.message}${cause}`,
    ].join("\n");
  }
  // Anything else was thrown before the swap began (importing the app, building, rendering): the
  // trees were not touched. It is unexpected, so its stack is kept.
  return `synth failed, nothing was written:\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
}

/** An operating-system error (EPERM, ENOSPC): its message names the path, its stack is Node's internals. */
function isSystemError(error: Error): boolean {
  return typeof (error as NodeJS.ErrnoException).code === "string" && typeof (error as NodeJS.ErrnoException).syscall === "string";
}

/** Synthesizes into `<root>/cdktf.out` and `<root>/generated`; returns the exit code. */
export async function main(root: string): Promise<number> {
  try {
    // Imported here, not at the top: importing the app evaluates services/ and environments/,
    // which validate as they load, and such a throw must reach this catch.
    const { synthesize } = await import("../app/synthesize");
    const { stackNames } = await import("../app/stacks");
    const result = synthesize({ outDir: path.join(root, "cdktf.out"), generatedDir: path.join(root, "generated") });
    for (const line of result.recovered) console.error(`recovered: ${line}`);
    for (const env of result.environments) {
      const names = stackNames(env.profile.name);
      const rules = env.ruleFiles.flatMap((f) => f.groups.flatMap((g) => g.rules));
      const alerts = rules.filter((r) => "alert" in r).length;
      console.log(
        `${env.profile.name.padEnd(8)} ${names.bootstrap}, ${names.platform}, ${names.content}: ${env.releases.length} releases, ` +
          `${env.ruleFiles.length} rule files (${rules.length - alerts} recording, ${alerts} alerting rules)`,
      );
    }
    console.log(`wrote cdktf.out/ and ${result.generatedFiles.size} files under generated/`);
    // The shipped profiles are examples: say, every synth, what a user must replace before deploying.
    const { placeholderWarnings } = await import("../environments/placeholders");
    for (const env of result.environments) for (const line of placeholderWarnings(env.profile)) console.error(`warning: ${line}`);
    const { canaryPlaceholderWarnings, exporterPlaceholderWarnings } = await import("../artifacts/exporter-placeholders");
    const catalog = result.environments[0]?.services ?? [];
    for (const line of [...exporterPlaceholderWarnings(catalog), ...canaryPlaceholderWarnings(catalog)]) console.error(`warning: ${line}`);
    for (const warning of result.warnings) console.error(`warning: ${warning}`);
    return 0;
  } catch (error) {
    console.error(failureMessage(error));
    return 1;
  }
}

if (require.main === module) {
  void main(path.resolve(__dirname, "..")).then((code) => (process.exitCode = code));
}
