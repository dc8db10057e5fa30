/** The file side of the upstream checks: where the synthesized stacks, values and upstream files are. */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml, parseAllDocuments } from "yaml";
import { crdAjv } from "./crd-validator";
import { crdVersions } from "./crds";
import { CrdCatalog } from "./manifest-check";
import { helmReleases, type StackHelmRelease } from "./terraform-json";

/** The repository root (scripts/upstream-checks/ is two levels down). */
export const ROOT = path.resolve(__dirname, "..", "..");

/** A path as the output shows it: relative to the repository root. */
export function shownPath(file: string): string {
  return path.relative(ROOT, file) || ".";
}

/** The environments synthesized into cdktf.out/ (`obs-<env>-content` stacks), sorted; throws when synth has not run. */
export function synthesizedEnvironments(): string[] {
  const stacksDir = path.join(ROOT, "cdktf.out", "stacks");
  const envs = fs.existsSync(stacksDir)
    ? fs
        .readdirSync(stacksDir)
        .map((name) => /^obs-(.+)-content$/.exec(name)?.[1])
        .filter((env): env is string => env !== undefined)
    : [];
  if (envs.length === 0) throw new Error(`no obs-<env>-content stack under ${shownPath(stacksDir)}: run \`npm run synth\` first`);
  return envs.sort();
}

/** The Terraform JSON of one synthesized stack, with its file. */
export function stackJson(env: string, part: "platform" | "content"): { file: string; stack: unknown } {
  const file = path.join(ROOT, "cdktf.out", "stacks", `obs-${env}-${part}`, "cdk.tf.json");
  return { file, stack: JSON.parse(fs.readFileSync(file, "utf8")) as unknown };
}

/** Every CRD file of `<upstream>/crds` as one catalog, and the files read. */
export function loadCrdCatalog(upstreamDir: string): { catalog: CrdCatalog; files: string[] } {
  const dir = path.join(upstreamDir, "crds");
  const files = fs
    .readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => path.join(dir, f));
  const documents = files.flatMap((file) => parseAllDocuments(fs.readFileSync(file, "utf8")).map((doc) => doc.toJS() as unknown));
  return { catalog: new CrdCatalog(crdAjv(), crdVersions(documents)), files };
}

/** Reads `<upstream>/chart-values/<file>` parsed, or undefined when absent; each file parsed once. */
export function defaultsReader(upstreamDir: string): (fileName: string) => unknown {
  const cache = new Map<string, unknown>();
  return (fileName) => {
    if (!cache.has(fileName)) {
      const file = path.join(upstreamDir, "chart-values", fileName);
      cache.set(fileName, fs.existsSync(file) ? (parseYaml(fs.readFileSync(file, "utf8")) as unknown) : undefined);
    }
    return cache.get(fileName);
  };
}

/** One environment's values files (`generated/<env>/values/*.yaml`) beside the Helm releases of its platform stack. */
export function environmentValues(env: string): {
  files: { file: string; release: string; values: unknown }[];
  releases: StackHelmRelease[];
  platformFile: string;
} {
  const dir = path.join(ROOT, "generated", env, "values");
  const names = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith(".yaml")) : [];
  const files = names.sort().map((name) => {
    const file = path.join(dir, name);
    return { file, release: name.replace(/\.yaml$/, ""), values: parseYaml(fs.readFileSync(file, "utf8")) as unknown };
  });
  const platform = stackJson(env, "platform");
  return { files, releases: helmReleases(platform.stack), platformFile: platform.file };
}
