/**
 * `npm run openslo -- export [--out <dir>]`: every SLO of the catalog as OpenSLO v1 documents, on
 * stdout as one YAML stream, or one file per service (`<dir>/<service>.yaml`); the SLOs left out
 * are named on stderr with the reason.
 *
 * `npm run openslo -- import <file>`: an OpenSLO v1 file read as the product's service specs,
 * printed as the input `defineService` takes (JSON), after the checks a service of the catalog
 * gets; or every problem, on stderr, with exit code 1.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { ValidationError } from "../model/validation-error";

const USAGE = "usage: npm run openslo -- export [--out <dir>]\n       npm run openslo -- import <file>";

/** Output of one run. */
export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function exportCatalog(args: readonly string[]): Promise<CliResult> {
  const outAt = args.indexOf("--out");
  const out = outAt === -1 ? undefined : args[outAt + 1];
  if ((outAt !== -1 && out === undefined) || args.some((a, i) => a !== "--out" && i !== outAt + 1)) return { code: 2, stdout: "", stderr: USAGE };
  const { serviceCatalog } = await import("../services");
  const { exportOpenSlo, renderOpenSloYaml } = await import("../signals/slo/openslo-export");
  const result = exportOpenSlo(serviceCatalog());
  const stderr = result.skipped.map((s) => `skipped: service ${JSON.stringify(s.service)}, slo ${JSON.stringify(s.slo)}: ${s.reason}`);
  if (out === undefined) return { code: 0, stdout: renderOpenSloYaml([...result.documents.values()].flat()), stderr: stderr.join("\n") };
  fs.mkdirSync(out, { recursive: true });
  for (const [service, documents] of result.documents) fs.writeFileSync(path.join(out, `${service}.yaml`), renderOpenSloYaml(documents));
  stderr.push(`wrote ${result.documents.size} files to ${out}`);
  return { code: 0, stdout: "", stderr: stderr.join("\n") };
}

async function importFile(args: readonly string[]): Promise<CliResult> {
  if (args.length !== 1) return { code: 2, stdout: "", stderr: USAGE };
  const file = args[0]!;
  if (!fs.existsSync(file)) return { code: 1, stdout: "", stderr: `no such file: ${file}` };
  const { importOpenSlo } = await import("../signals/slo/openslo-import");
  const { buildCatalog } = await import("../signals/catalog");
  const { TYPESCRIPT_SERVICES } = await import("../services");
  const services = importOpenSlo(file, fs.readFileSync(file, "utf8"));
  // The catalog's checks too: a name the TypeScript services already use is refused here, not at synth.
  buildCatalog([...TYPESCRIPT_SERVICES, ...services]);
  return { code: 0, stdout: `${JSON.stringify(services, null, 2)}\n`, stderr: "" };
}

/** Runs the command `args` (without `node` and the script); a validation problem is exit code 1, a usage error 2. */
export async function run(args: readonly string[]): Promise<CliResult> {
  try {
    const [command, ...rest] = args;
    if (command === "export") return await exportCatalog(rest);
    if (command === "import") return await importFile(rest);
    return { code: 2, stdout: "", stderr: USAGE };
  } catch (error) {
    if (error instanceof ValidationError) return { code: 1, stdout: "", stderr: error.message };
    throw error;
  }
}

if (require.main === module) {
  void run(process.argv.slice(2)).then((result) => {
    if (result.stdout !== "") process.stdout.write(result.stdout);
    if (result.stderr !== "") console.error(result.stderr);
    process.exitCode = result.code;
  });
}
