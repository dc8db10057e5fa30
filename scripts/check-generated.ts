/**
 * `npm run check:generated`: regenerates every artifact in memory and fails, listing the files,
 * when the committed generated/ differs (stale, edited by hand, or missing files). Writes nothing.
 */
import * as path from "node:path";
import { readTree } from "../app/atomic-tree";
import { generatedFiles } from "../artifacts/generated-files";
import { buildAllArtifacts } from "../app";

/** Paths that differ between the expected and the actual tree, each with why. */
export function staleFiles(expected: ReadonlyMap<string, string>, actual: ReadonlyMap<string, string>): string[] {
  const problems: string[] = [];
  for (const [file, content] of expected) {
    if (!actual.has(file)) problems.push(`missing: ${file}`);
    else if (actual.get(file) !== content) problems.push(`differs: ${file}`);
  }
  for (const file of actual.keys()) if (!expected.has(file)) problems.push(`not generated any more: ${file}`);
  return problems.sort();
}

if (require.main === module) {
  const generatedDir = path.resolve(__dirname, "..", "generated");
  const problems = staleFiles(generatedFiles(buildAllArtifacts()), readTree(generatedDir));
  if (problems.length > 0) {
    console.error(`generated/ is stale; run \`npm run synth\` and commit the result:\n${problems.map((p) => `  ${p}`).join("\n")}`);
    process.exitCode = 1;
  } else {
    console.log("generated/ is fresh");
  }
}
