/**
 * `npm run synth`: validates every environment profile, synthesizes `obs-<env>-platform` and
 * `obs-<env>-content` into cdktf.out/, and rewrites the review artifacts in generated/. Nothing is
 * written when anything fails.
 */
import * as path from "node:path";
import { synthesize } from "../app/synthesize";
import { stackNames } from "../app";

const root = path.resolve(__dirname, "..");

function main(): number {
  try {
    const result = synthesize({ outDir: path.join(root, "cdktf.out"), generatedDir: path.join(root, "generated") });
    for (const env of result.environments) {
      const names = stackNames(env.profile.name);
      const rules = env.ruleFiles.flatMap((f) => f.groups.flatMap((g) => g.rules));
      const alerts = rules.filter((r) => "alert" in r).length;
      console.log(
        `${env.profile.name.padEnd(8)} ${names.platform}, ${names.content}: ${env.releases.length} releases, ` +
          `${env.ruleFiles.length} rule files (${rules.length - alerts} recording, ${alerts} alerting rules)`,
      );
    }
    console.log(`wrote cdktf.out/ and ${result.generatedFiles.size} files under generated/`);
    return 0;
  } catch (error) {
    console.error(`synth failed, nothing was written:\n${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

process.exitCode = main();
