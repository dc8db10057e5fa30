/**
 * `npm run rules:diff -- --base <git-ref> [--out <file>] [--full-out <file>] [--full-url <url>]`:
 * the semantic summary of rule changes between the rule files committed at `<git-ref>`
 * (generated/<env>/rules/*.yaml) and the rules the working tree builds now, per environment, as
 * markdown ready to post on a pull request. Prints "no rule changes" when nothing differs.
 *
 * What is printed and written to `--out` is cut to fit a comment (COMMENT_MAX_CHARS), ending with
 * a pointer to the full report: `--full-url` when given (CI: the run holding the artifact), else
 * the `--full-out` file, which receives the uncut report. Exit 0 either way; 2 on bad usage or an
 * unknown ref.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { diffRuleSets, type RuleSetDiff } from "../rules/rules-diff";
import { COMMENT_MAX_CHARS, renderRulesDiffMarkdown } from "../rules/rules-diff-markdown";
import type { RuleGroup } from "../kit/rule-types";
import { buildAllArtifacts } from "../app";

const root = path.resolve(__dirname, "..");

/** `generated/<env>/rules/<file>.yaml` but not the promtool tests under `rules/tests/`. */
const RULE_FILE = /^generated\/([^/]+)\/rules\/[^/]+\.ya?ml$/;

function git(args: string[]): string {
  return execFileSync("git", args, { cwd: root, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
}

/** Rule groups by environment as committed at `ref`. */
export function rulesAtRef(ref: string): Map<string, RuleGroup[]> {
  const byEnv = new Map<string, RuleGroup[]>();
  const files = git(["ls-tree", "-r", "--name-only", ref, "--", "generated"])
    .split("\n")
    .filter((f) => RULE_FILE.test(f));
  for (const file of files.sort()) {
    const env = RULE_FILE.exec(file)![1]!;
    const doc = parse(git(["show", `${ref}:${file}`])) as { groups?: RuleGroup[] } | null;
    byEnv.set(env, [...(byEnv.get(env) ?? []), ...(doc?.groups ?? [])]);
  }
  return byEnv;
}

/** Rule groups by environment as the working tree builds them (what synth would write). */
export function rulesOfWorkingTree(): Map<string, RuleGroup[]> {
  return new Map(buildAllArtifacts().map((env) => [env.profile.name, env.ruleFiles.flatMap((f) => [...f.groups])]));
}

const USAGE = "usage: npm run rules:diff -- --base <git-ref> [--out <file>] [--full-out <file>] [--full-url <url>]";
const OPTIONS = { "--base": "base", "--out": "out", "--full-out": "fullOut", "--full-url": "fullUrl" } as const;
type Args = { base: string } & Partial<Record<"out" | "fullOut" | "fullUrl", string>>;

function parseArgs(argv: readonly string[]): Args | string {
  const args: Partial<Args> = {};
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (!Object.hasOwn(OPTIONS, arg)) return `unknown argument "${arg}"`;
    const value = argv[++i];
    if (value === undefined || value.startsWith("--")) return `${arg} needs a value`;
    args[OPTIONS[arg as keyof typeof OPTIONS]] = value;
  }
  if (!args.base) return "missing --base <git-ref>";
  return { ...args, base: args.base };
}

/** Where the cut report says the full one is. */
function fullReportPointer(args: Args): string {
  if (args.fullUrl) return `[${args.fullOut ? path.basename(args.fullOut) : "full report"}](${args.fullUrl})`;
  if (args.fullOut) return `\`${args.fullOut}\``;
  return `\`npm run rules:diff -- --base ${args.base} --full-out <file>\``;
}

function writeMarkdown(file: string, markdown: string): void {
  fs.writeFileSync(file, markdown.endsWith("\n") ? markdown : `${markdown}\n`);
}

function main(argv: readonly string[]): number {
  const args = parseArgs(argv);
  if (typeof args === "string") {
    console.error(`rules:diff: ${args}\n${USAGE}`);
    return 2;
  }
  try {
    git(["rev-parse", "--verify", "--quiet", `${args.base}^{commit}`]);
  } catch {
    console.error(`rules:diff: "${args.base}" is not a commit in this repository (fetch it first, e.g. git fetch origin main)`);
    return 2;
  }
  const before = rulesAtRef(args.base);
  const after = rulesOfWorkingTree();
  // The working tree's order (local, dev, staging, prod), then environments only the base has.
  const envs = [...new Set([...after.keys(), ...before.keys()])];
  const diffs = new Map<string, RuleSetDiff>(envs.map((env) => [env, diffRuleSets(before.get(env) ?? [], after.get(env) ?? [])]));
  const capped = renderRulesDiffMarkdown(args.base, diffs, { cap: { maxChars: COMMENT_MAX_CHARS, fullReport: fullReportPointer(args) } });
  if (args.out) writeMarkdown(args.out, capped);
  if (args.fullOut) writeMarkdown(args.fullOut, renderRulesDiffMarkdown(args.base, diffs));
  console.log(capped.trimEnd());
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
